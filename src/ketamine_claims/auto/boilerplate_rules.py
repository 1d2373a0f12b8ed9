"""Stage 3: rule-based boilerplate detection for articles without gold labels.

Every rule is named, its word lists are module constants and its docstring says where it comes
from. `detect_boilerplate` returns one kind (or None) per segment and the rules that fired, so a
run can count how often each rule fired. The rules look only at one page at a time; none of them
contains strings taken from a particular article of the dataset.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..segments import TERMINAL_PUNCTUATION, Segment

# Words that mark the topic of the corpus; a segment naming one is about the article's subject.
TOPIC_TERMS = ("ketamine", "esketamine", "spravato", "ketamina", "kétamine")

# Ad-slot labels as shown by common ad servers and CMS themes, in the languages of the web
# pages this project reads (English, French, German, Spanish, Italian, Portuguese, Dutch).
SPONSORED_LABELS = frozenset(
    "sponsored|sponsored content|sponsored post|advertisement|advertising|ad|ads|promoted|paid content|"
    "partner content|commandité|sponsorisé|publicité|annonce|anzeige|werbung|gesponsert|patrocinado|"
    "publicidad|anuncio|sponsorizzato|pubblicità|publicidade|gesponsord|advertentie".split("|")
)

# Site navigation words of common CMS themes (same languages as above).
NAVIGATION_LABELS = frozenset(
    "home|menu|search|search for|read more|continue reading|skip to content|main menu|back to top|"
    "load more|show more|see more|view all|log in|login|sign in|register|rechercher|recherche|"
    "lire la suite|accueil|voir plus|suche|weiterlesen|startseite|buscar|leer más|inicio|cerca|"
    "leggi tutto|pesquisar|leia mais|zoeken|lees meer".split("|")
)

# Category and section tags that CMS themes print above posts and in teaser lists.
CATEGORY_LABELS = frozenset(
    "health|wellness|lifestyle|news|blog|general|uncategorized|uncategorised|categories|category|other|"
    "misc|mental health|medicine|science|catégories|catégorie|autre|autres|santé|kategorien|gesundheit|"
    "sonstiges|categorías|salud|otros|categorie|salute|altro|saúde|outros".split("|")
)

COUNTER_WORDS = frozenset(
    "view|views|like|likes|comment|comments|share|shares|read|reads|reaction|reactions|vote|votes|vue|"
    "vues|commentaire|commentaires|partages|aufrufe|kommentare|visitas|comentarios".split("|")
)
NUMBER = re.compile(r"^\d[\d.,]*[kKmM]?$")
COUNTER_SEPARATORS = re.compile(r"[·•|,/()]+")

COMMENT_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(\d+\s+)?comments?(\s*\(\d+\))?$",
        r"^leave a (reply|comment)",
        r"^(post|submit) (a )?comment$",
        r"your email address will not be published",
        r"^comments are closed\.?$",
        r"required fields are marked",
        r"^(\d+\s+)?(responses?|replies|thoughts on)\b",
        r"^(laisser|écrire) un commentaire",
        r"^commentaires?$",
        r"^kommentare?$",
        r"^comentarios?$",
    )
)

RELATED_LABEL_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(previous|next|older|newer) (article|post|story|entry)$",
        r"^you (may|might) (also )?like$",
        r"^(related|similar|recommended|popular|recent|trending) (posts?|articles?|stories|reads)$",
        r"^more (in|from|on) \S.{0,40}$",
        r"^read (next|also)$",
        r"^(article|post) (précédent|suivant)e?$",
        r"^vous aimerez aussi$",
        r"^à lire aussi$",
    )
)

PHONE_NUMBER = re.compile(r"(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}\b")
CALL_TO_ACTION_VERBS = re.compile(
    r"\b(call|contact|book|schedule|reach out|get in touch|visit us|text us|appointment|consultation)\b",
    re.IGNORECASE,
)
MAX_CALL_TO_ACTION_SENTENCES = 3

# Nouns and verbs of stock-photo alt text ("Medium shot woman holding pill").
PHOTO_WORDS = frozenset(
    "shot|photo|image|picture|stock|illustration|portrait|closeup|close-up|woman|women|man|men|girl|boy|"
    "person|people|couple|hands|hand|holding|sitting|standing|reading|looking|smiling".split("|")
)
MAX_CAPTION_WORDS = 10

LEGAL_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"©",
        r"\(c\)\s*\d{4}",
        r"\bcopyright\b",
        r"all rights reserved",
        r"^privacy policy",
        r"^terms (of|and) ",
        r"tous droits réservés",
        r"alle rechte vorbehalten",
        r"todos los derechos reservados",
    )
)
BARE_URL = re.compile(r"https?://\S+|www\.\S+")
MAX_SITE_FOOTER_WORDS = 4

NEWSLETTER_PATTERN = re.compile(r"\b(newsletter|subscribe|sign up for|join our mailing list)\b", re.IGNORECASE)
SHARE_WORDS = frozenset(
    "share|tweet|pin|pin it|email|print|facebook|twitter|x|linkedin|pinterest|whatsapp|reddit|telegram|"
    "copy link|partager|teilen|compartir".split("|")
)
TOC_PATTERN = re.compile(r"^(table of contents|contents|in this article|on this page|sommaire)$", re.IGNORECASE)
COOKIE_PATTERN = re.compile(r"\bcookies?\b.*\b(use|accept|consent|policy|settings)\b", re.IGNORECASE)
BYLINE_PATTERN = re.compile(
    r"^(by|written by|posted by|posted on|published|updated|par|von|por)\b.{0,60}"
    r"(\d{4}-\d{2}-\d{2}|\d{1,2},? \d{4}|\d{1,2}/\d{1,2}/\d{2,4})",
    re.IGNORECASE,
)
DATE_ONLY = re.compile(
    r"^((january|february|march|april|may|june|july|august|september|october|november|december)"
    r" \d{1,2}, \d{4}|\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?)$",
    re.IGNORECASE,
)

# An article paragraph: longer than a headline, ending a sentence (not with a teaser's ellipsis).
MIN_ARTICLE_PARAGRAPH_WORDS = 15


def _norm(text: str) -> str:
    return " ".join(text.casefold().strip(" :.!|·•-–—\u00a0").split())


def _words(text: str) -> list[str]:
    return text.split()


def mentions_topic(text: str) -> bool:
    folded = text.casefold()
    return any(term in folded for term in TOPIC_TERMS)


def sponsored_label(text: str) -> bool:
    """Ad-slot label alone on a line (IAB ad disclosure labels; SPONSORED_LABELS)."""
    return _norm(text) in SPONSORED_LABELS


def engagement_counter(text: str) -> bool:
    """Only numbers and counter words ("0", "107", "Comments · 9 Views"): social counters."""
    tokens = COUNTER_SEPARATORS.sub(" ", text).split()
    has_number = any(NUMBER.match(t) for t in tokens)
    return has_number and all(NUMBER.match(t) or t.casefold() in COUNTER_WORDS for t in tokens)


def navigation(text: str) -> bool:
    """Menu, search and read-more words alone on a line (NAVIGATION_LABELS)."""
    return _norm(text) in NAVIGATION_LABELS


def category_label(text: str) -> bool:
    """A CMS category tag alone on a line (CATEGORY_LABELS)."""
    return _norm(text) in CATEGORY_LABELS


def comments(text: str) -> bool:
    """Comment headers, forms and their notices (WordPress and common theme strings)."""
    return any(p.search(text) for p in COMMENT_PATTERNS)


def related_label(text: str) -> bool:
    """Labels of previous/next, related and "more in" lists (common theme strings)."""
    return any(p.search(text) for p in RELATED_LABEL_PATTERNS)


def call_to_action(text: str) -> bool:
    """A short line with a phone number and a contact verb: a clinic's promotional call to action."""
    sentences = len(re.findall(r"[.!?](\s|$)", text)) or 1
    return bool(PHONE_NUMBER.search(text) and CALL_TO_ACTION_VERBS.search(text)) and (sentences <= MAX_CALL_TO_ACTION_SENTENCES)


def image_caption(text: str) -> bool:
    """Stock-photo alt text: a short, unpunctuated, sentence-case line describing people or a shot."""
    words = _words(text)
    if not words or len(words) > MAX_CAPTION_WORDS or text.endswith(TERMINAL_PUNCTUATION) or mentions_topic(text):
        return False
    capitalised = sum(w[0].isupper() for w in words)
    return capitalised * 2 < len(words) and any(w.casefold().strip(",") in PHOTO_WORDS for w in words)


def legal_footer(text: str) -> bool:
    """Copyright and legal lines, and a site-identity footer (a site name and its URL)."""
    if any(p.search(text) for p in LEGAL_PATTERNS):
        return True
    return bool(BARE_URL.search(text)) and len(_words(text)) <= MAX_SITE_FOOTER_WORDS


def newsletter(text: str) -> bool:
    """Newsletter and subscription boxes."""
    return bool(NEWSLETTER_PATTERN.search(text)) and len(_words(text)) <= 25


def share_bar(text: str) -> bool:
    """Share buttons: a line made only of share words and network names (SHARE_WORDS)."""
    parts = [p for p in re.split(r"[\s|·•,/]+", _norm(text)) if p]
    return bool(parts) and "share" in " ".join(parts) and all(p in SHARE_WORDS or p == "on" for p in parts)


def table_of_contents(text: str) -> bool:
    """Table-of-contents headers."""
    return bool(TOC_PATTERN.match(_norm(text)))


def cookie_notice(text: str) -> bool:
    """Cookie and consent banners."""
    return bool(COOKIE_PATTERN.search(text)) and not mentions_topic(text)


def byline(text: str) -> bool:
    """Author/date lines ("By Jane Doe, March 3, 2024", "Par user 2023-11-29 09:05:30")."""
    return bool(BYLINE_PATTERN.match(text) or DATE_ONLY.match(text))


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    applies: Callable[[str], bool]


# Line rules, tried in order; the first that applies gives the kind.
LINE_RULES: tuple[Rule, ...] = (
    Rule("sponsored_label", "sponsored_label", sponsored_label),
    Rule("engagement_counter", "engagement_counter", engagement_counter),
    Rule("comments", "comments", comments),
    Rule("related_label", "related_content", related_label),
    Rule("navigation", "navigation", navigation),
    Rule("category_label", "category_label", category_label),
    Rule("share_bar", "share_bar", share_bar),
    Rule("table_of_contents", "table_of_contents", table_of_contents),
    Rule("cookie_notice", "cookie_notice", cookie_notice),
    Rule("legal_footer", "legal_footer", legal_footer),
    Rule("call_to_action", "call_to_action", call_to_action),
    Rule("newsletter", "newsletter", newsletter),
    Rule("image_caption", "image_caption", image_caption),
    Rule("byline", "byline", byline),
)
CONTEXT_RULE_NAMES = ("duplicate_title", "trailing_offtopic")
RULE_NAMES: tuple[str, ...] = tuple(r.name for r in LINE_RULES) + CONTEXT_RULE_NAMES


def is_article_paragraph(text: str) -> bool:
    """A sentence-final line long enough to be article prose (teasers end in an ellipsis)."""
    return len(_words(text)) >= MIN_ARTICLE_PARAGRAPH_WORDS and text.endswith((".", "!", "?")) and not text.endswith(("...", "…"))


def detect_boilerplate(segments: Sequence[Segment]) -> tuple[list[str | None], Counter[str]]:
    """Boilerplate kind (or None) for every segment, and how often each rule fired.

    Line rules look at one segment. Two context rules follow:
    - duplicate_title: a later verbatim copy of the first content segment (the title), as when a
      page's <title> and <h1> both leak into the text;
    - trailing_offtopic: after the last article paragraph or topical line, a segment that does not
      name the topic belongs to the page's tail (teaser lists, footers), as in jusText's
      context-sensitive pass; a one- or two-word tag there is a category label, anything else
      (including teaser bylines) related content.
    """
    kinds: list[str | None] = [None] * len(segments)
    fired: Counter[str] = Counter()
    for i, seg in enumerate(segments):
        for rule in LINE_RULES:
            if rule.applies(seg.text):
                kinds[i] = rule.kind
                fired[rule.name] += 1
                break

    title = next((s for s, k in zip(segments, kinds, strict=False) if k is None), None)
    if title is not None:
        for i, seg in enumerate(segments):
            if seg.index > title.index and kinds[i] is None and seg.text.casefold() == title.text.casefold():
                kinds[i] = "duplicate_title"
                fired["duplicate_title"] += 1

    last_article = max(
        (i for i, s in enumerate(segments) if kinds[i] is None and (is_article_paragraph(s.text) or mentions_topic(s.text))),
        default=len(segments) - 1,
    )
    for i in range(last_article + 1, len(segments)):
        text = segments[i].text
        if mentions_topic(text) or kinds[i] not in (None, "byline"):
            continue
        short_tag = len(_words(text)) <= 2 and not text.endswith(TERMINAL_PUNCTUATION)
        kinds[i] = "category_label" if short_tag else "related_content"
        fired["trailing_offtopic"] += 1
    return kinds, fired
