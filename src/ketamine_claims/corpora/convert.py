"""The converter of the boilerplate corpora: public HTML pages and their gold main text → line-labelled text.

The same rules as the `convert.py` that made `zyte.jsonl.gz` and `readability.jsonl.gz` (README.md of
the corpora folder gives them in full): HTML rendered to one block per line with inscriptis 2.7.6 and
lxml (the `corpora` extra), page tokens aligned with the gold tokens, a line is content when at least
half of its token characters are aligned, a headline rule, an English rule, duplicates dropped, a split
from a hash of the page id. `scripts/fetch-corpora` (`ketamine_claims.corpora.fetch`) runs it on the
sources at their pinned commits; any change here changes the bytes and so the pinned sha256.

Sources:

  zyte         Zyte's article body extraction benchmark (scrapinghub/article-extraction-benchmark):
               <checkout>/html/<id>.html.gz is the page; <checkout>/ground-truth.json gives each
               page's `articleBody` (written by annotators) as the gold text, and its `url`.
  readability  The test pages of mozilla/readability: <checkout>/test/test-pages/<name>/source.html
               with expected.html (Readability.js's expected article) as the gold text.
"""

from __future__ import annotations

import difflib
import gzip
import hashlib
import io
import json
import re
import unicodedata
from multiprocessing import Pool
from pathlib import Path

import lxml.html
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.html_engine import Inscriptis
from inscriptis.html_properties import Display
from inscriptis.model.config import ParserConfig
from inscriptis.model.html_element import HtmlElement

from ketamine_claims.errors import InputError

# ---------------------------------------------------------------- conversion

DROP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "select", "option", "datalist",
             "object", "embed", "canvas", "map", "head", "textarea"}
TABLE_TAGS = {"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col"}
LIST_TAGS = {"ul", "ol", "li", "dir"}  # no bullet characters: a browser's copied text has none
# block elements of a browser's default style sheet that inscriptis' strict profile leaves inline
EXTRA_BLOCKS = ("section", "dl", "dt", "dd", "form", "fieldset", "legend", "details", "summary", "center",
                "menu", "dialog", "hr")

PROFILE = dict(CSS_PROFILES["strict"])
for tag in EXTRA_BLOCKS:
    PROFILE[tag] = HtmlElement(display=Display.block)
CONFIG = ParserConfig(css=PROFILE, display_images=False, display_links=False, display_anchors=False)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def html_to_text(html: str) -> str:
    """Visible text of a page, one block per line (inscriptis, strict CSS profile + a few blocks)."""
    tree = lxml.html.document_fromstring(html)
    for el in list(tree.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        if el.getparent() is not None:
            el.drop_tree()
    doomed = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in DROP_TAGS or el.get("hidden") is not None or HIDDEN_STYLE.search(el.get("style") or ""):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text
    for el in tree.iter():
        # layout tables: every row and cell a block of its own (no side-by-side column layout)
        if isinstance(el.tag, str) and el.tag.lower() in TABLE_TAGS | LIST_TAGS:
            el.tag = "div"
    text = Inscriptis(tree, CONFIG).get_text()
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"


# ---------------------------------------------------------------- labelling

TOKEN = re.compile(r"\w+")
MIN_BLOCK_TOKENS = 3  # aligned runs shorter than this are treated as chance matches
CONTENT_SHARE = 0.5  # a line is content when >= this share of its token characters are aligned to gold


def tokens(text: str) -> list[tuple[str, int, int]]:
    norm = unicodedata.normalize("NFKC", text).casefold()
    # NFKC+casefold can change lengths; tokenise the normalised string but keep per-line granularity
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(norm)]


def label_lines(page_lines: list[str], gold: str) -> tuple[list[float], float]:
    """Share of each line's token characters aligned to the gold text, and the share of gold tokens found."""
    page_toks: list[str] = []
    owner: list[int] = []
    for i, line in enumerate(page_lines):
        for tok, _, _ in tokens(line):
            page_toks.append(tok)
            owner.append(i)
    gold_toks = [t for t, _, _ in tokens(gold)]
    sm = difflib.SequenceMatcher(None, page_toks, gold_toks, autojunk=False)
    aligned = [False] * len(page_toks)
    found = 0
    for a, _b, size in sm.get_matching_blocks():
        if size >= MIN_BLOCK_TOKENS:
            found += size
            for k in range(a, a + size):
                aligned[k] = True
    total = [0] * len(page_lines)
    hit = [0] * len(page_lines)
    for k, tok in enumerate(page_toks):
        total[owner[k]] += len(tok)
        if aligned[k]:
            hit[owner[k]] += len(tok)
    shares = [hit[i] / total[i] if total[i] else 0.0 for i in range(len(page_lines))]
    return shares, (found / len(gold_toks) if gold_toks else 0.0)


def norm_tokens(text: str) -> list[str]:
    return [t for t, _, _ in tokens(text)]


SITE_AFFIX = re.compile(r"\s+[|\-–—:»]\s+")


def headline_candidates(html: str) -> list[list[str]]:
    """Token lists that the article's headline line may have.

    From og:title / twitter:title / <title>: the whole text and its longest part when split at a
    " | ", " - ", " — ", " : " or " » " site-name separator. From <h1>: texts of 2+ tokens that share
    at least half of their tokens with those titles (a logo <h1> holding the site name does not).
    """
    tree = lxml.html.document_fromstring(html)
    titles = tree.xpath('//meta[@property="og:title" or @name="og:title" or @name="twitter:title"'
                        ' or @property="twitter:title"]/@content')
    titles += [t.text_content() for t in tree.iter("title")]
    cands: list[list[str]] = []
    for text in titles:
        text = text.strip()
        seps = list(SITE_AFFIX.finditer(text))
        parts = [text[: seps[-1].start()], text[seps[0].end() :], max(SITE_AFFIX.split(text), key=len)] if seps else []
        for v in [text, *parts]:
            t = norm_tokens(v)
            if len(t) >= (2 if v is text else 3):
                cands.append(t)
    title_vocab = {tok for c in cands for tok in c}
    for h1 in tree.iter("h1"):
        t = norm_tokens(h1.text_content())
        if len(t) >= 2 and (not title_vocab or sum(tok in title_vocab for tok in t) * 2 >= len(t)):
            cands.append(t)
    return cands


EN_FUNCTION_WORDS = set(
    "the of and to a in is that for it on with as was at by be this are from have has he she they said not".split()
)
DE_FUNCTION_WORDS = set("der die das und ist nicht mit von zu den dem des ein eine auf für sich auch".split())


def german_share(text: str) -> float:
    toks = norm_tokens(text)
    return sum(t in DE_FUNCTION_WORDS for t in toks) / len(toks) if toks else 0.0


def english_share(text: str) -> float:
    toks = norm_tokens(text)
    return sum(t in EN_FUNCTION_WORDS for t in toks) / len(toks) if toks else 0.0


def is_english(html: str, gold: str) -> bool:
    """English: enough English function words in the gold, or a lang="en*" page whose gold is not German."""
    en = english_share(gold)
    lang = re.search(r"<html[^>]*\blang=[\"']?([\w-]+)", html, re.I)
    return not (en < 0.15 and not (lang and lang.group(1).lower().startswith("en") and german_share(gold) < 0.05))


def label_page(html: str, gold: str) -> tuple[str, list[int], list[float], float, int | None]:
    """text, labels, shares, gold_found, headline_line of one page (the reference converter's rules)."""
    text = html_to_text(html)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    shares, found = label_lines(lines, gold)
    labels = [1 if s >= CONTENT_SHARE else 0 for s in shares]
    why = ["gold" if lab else "" for lab in labels]
    # headline rule: the copy of the headline nearest above the first gold line is content
    cands = headline_candidates(html)
    first_gold = next((i for i, lab in enumerate(labels) if lab), len(lines))
    for i in range(min(first_gold, len(lines) - 1), -1, -1):  # the copy nearest above the body
        if not labels[i] and norm_tokens(lines[i]) and norm_tokens(lines[i]) in cands:
            labels[i], why[i] = 1, "headline"
            break
    headline_line = next((i for i, w in enumerate(why) if w == "headline"), None)
    return text, labels, shares, found, headline_line


# ---------------------------------------------------------------- reading the sources

XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)  # lxml refuses str input that declares an encoding
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w:.-]+)", re.I)


def decode_html(raw: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8, else the declared charset, else Windows-1252."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        m = META_CHARSET.search(raw[:20000])
        enc = m.group(1).decode("ascii", "replace").lower() if m else "cp1252"
        if enc in ("utf-8", "utf8", "iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
            enc = "cp1252"  # browsers read these labels as windows-1252 (and invalid UTF-8 means they lied)
        try:
            text = raw.decode(enc, errors="replace")
        except LookupError:
            text = raw.decode("cp1252", errors="replace")
    return XML_DECL.sub("", text.lstrip("\ufeff"))


def read_zyte(root: Path):
    gt_path = root / "ground-truth.json"
    if not (gt_path.exists() and (root / "html").is_dir()):
        raise InputError(root, "no ground-truth.json + html/ (a checkout of scrapinghub/article-extraction-benchmark)")
    gt = json.loads(gt_path.read_text(encoding="utf-8"))
    for pid in sorted(gt):
        html = decode_html(gzip.decompress((root / "html" / f"{pid}.html.gz").read_bytes()))
        # the benchmark's page ids are 64 hex digits; the first 16 are unique and name the page here
        yield pid[:16], html, gt[pid]["articleBody"], gt[pid].get("url") or None


def read_readability(root: Path):
    base = root / "test" / "test-pages"
    if not base.is_dir():
        raise InputError(base, "is not a folder (a checkout of mozilla/readability)")
    for d in sorted(p for p in base.iterdir() if p.is_dir()):
        src, exp = d / "source.html", d / "expected.html"
        if not (src.exists() and exp.exists()):
            continue
        # the expected article is HTML: its gold text is its rendering by the same html_to_text
        gold = html_to_text(decode_html(exp.read_bytes()))
        yield d.name, decode_html(src.read_bytes()), gold, None


READERS = {"zyte": read_zyte, "readability": read_readability}


# ---------------------------------------------------------------- page metadata, split

def page_url(html: str) -> str | None:
    """The page's own absolute URL from <link rel=canonical> or og:url, if it gives one."""
    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:
        return None
    for xp in ('//link[translate(@rel,"CANONICAL","canonical")="canonical"]/@href',
               '//meta[@property="og:url" or @name="og:url"]/@content'):
        for v in tree.xpath(xp):
            v = v.strip()
            if re.match(r"https?://[^/\s]+\.[^/\s]+", v):
                return v
    return None


def norm_gold(text: str) -> str:
    return " ".join(norm_tokens(text))


def split_of(page_id: str) -> str:
    h = int(hashlib.sha256(page_id.encode("utf-8")).hexdigest()[:8], 16) % 10
    return "train" if h < 8 else ("dev" if h == 8 else "test")


# ---------------------------------------------------------------- main

QUALITY_GATE = 0.8  # a page is kept only if at least this share of its gold tokens is found in the text


def convert_one(args):
    source, stem, html, gold, url = args
    page_id = f"{source}-{stem}"
    if not norm_tokens(gold):
        return page_id, None, "empty gold"
    if not is_english(html, gold):
        return page_id, None, f"not English ({english_share(gold):.3f})"
    try:
        text, labels, shares, found, headline_line = label_page(html, gold)
    except Exception as e:
        return page_id, None, f"conversion failed: {e!r}"[:200]
    if found < QUALITY_GATE:
        return page_id, None, f"gold not found in converted text ({found:.3f})"
    row = {
        "id": page_id,
        "source": source,
        "url": url or page_url(html),
        "lang": "en",
        "split": split_of(page_id),
        "text": text,
        "labels": labels,
        "gold_found": round(found, 4),
        "headline_line": headline_line,
        "shares": [round(s, 3) for s in shares],
        "comment_lines": [],  # neither source marks reader comments apart from the page
        "_gold_norm": norm_gold(gold),
    }
    return page_id, row, None


def convert(source: str, checkout: Path, workers: int = 2) -> tuple[bytes, list[tuple[str, str]]]:
    """The gzipped JSON lines of a source's checkout (one object per kept page, in order of id) and the skipped pages.

    The gzip header holds no name or time: the same input gives the same bytes."""
    jobs = [(source, *page) for page in READERS[source](checkout)]
    with Pool(workers) as pool:
        results = pool.map(convert_one, jobs, chunksize=4)
    rows, skipped, seen_gold = [], [], {}
    for page_id, row, why in sorted(results, key=lambda r: r[0]):
        if row is not None and row["_gold_norm"] in seen_gold:
            why = f"duplicate of {seen_gold[row['_gold_norm']]} (same gold text)"
        if why:
            skipped.append((page_id, why))
            continue
        seen_gold[row.pop("_gold_norm")] = page_id
        rows.append(row)
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as raw:
        for r in rows:
            raw.write((json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8"))
    return out.getvalue(), skipped
