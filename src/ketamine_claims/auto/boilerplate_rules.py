"""Named boilerplate rules: features of the line model and the source of every boilerplate kind.

Every rule is named, its word lists are module constants and its docstring says where it comes
from. The line model (`line_model.py`) uses each rule's match as a feature, `detect_boilerplate`
gives a boilerplate line the kind of the first rule matching it, and rules that were near-certain
on the training pages decide alone. None of them contains strings taken from a particular article
of the dataset.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ketamine_claims.text.segments import TERMINAL_PUNCTUATION

# Words that mark the topic of the corpus; a segment naming one is about the article's subject.
TOPIC_TERMS = ("ketamine", "esketamine", "spravato", "ketamina", "kétamine")

# Ad-slot labels as shown by common ad servers and CMS themes, in the languages of the web
# pages this project reads (English, French, German, Spanish, Italian, Portuguese, Dutch).
SPONSORED_LABELS = frozenset(
    "sponsored|sponsored content|sponsored post|advertisement|advertising|ad|ads|promoted|paid content|"
    "partner content|commandité|sponsorisé|publicité|annonce|anzeige|werbung|gesponsert|patrocinado|"
    "publicidad|anuncio|sponsorizzato|pubblicità|publicidade|gesponsord|advertentie".split("|")
)

# Site navigation words of common CMS themes (same languages as above; "top of page" and "bottom of page" are the
# skip links Wix sites print).
NAVIGATION_LABELS = frozenset(
    "home|menu|search|search for|read more|continue reading|skip to content|main menu|back to top|top of page|"
    "bottom of page|"
    "load more|show more|see more|view all|log in|login|sign in|register|rechercher|recherche|"
    "lire la suite|accueil|voir plus|suche|weiterlesen|startseite|buscar|leer más|inicio|cerca|"
    "leggi tutto|pesquisar|leia mais|zoeken|lees meer".split("|")
)

# Skip links of CMS themes, one or more on a line ("Skip to content", "Skip to main content Skip to footer").
SKIP_LINKS = re.compile(r"^(skip to (main |primary )?(content|footer|navigation|menu|search|sidebar)\s*)+$")
SKIP_LINKS_MAX_WORDS = 16
# Links back to a listing of the site ("Back to Blog", "All news", "View all articles"), as blog and news themes print
# them above or below a post.
BACK_LINK = re.compile(
    r"^(back to|return to|go back to|view all|see all|all) (the )?(blog|news|articles?|posts?|all posts|all articles|"
    r"resources|stories|insights|home( ?page)?|faqs?)$"
)
BACK_LINK_MAX_WORDS = 6

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
# Alt text ends without punctuation: not a sentence's end, nor a colon before a list.
CAPTION_END_PUNCTUATION = (*TERMINAL_PUNCTUATION, ":")

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

NEWSLETTER_MAX_WORDS = 25
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
MONTHS = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
)
# A date alone on a line, after an optional "Published"/"Updated" word: "March 3, 2024", "3 March 2024",
# "September 2023", "2023-11-29 09:05", "3/3/2025".
DATE_ONLY = re.compile(
    r"^((published|updated|posted|last updated|date)\s*(on)?\s*:?\s*)?"
    rf"({MONTHS} \d{{1,2}},? \d{{4}}|\d{{1,2}} {MONTHS},? \d{{4}}|{MONTHS},? \d{{4}}"
    r"|\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?|\d{1,2}/\d{1,2}/\d{2,4})$",
    re.IGNORECASE,
)
# The numeric forms of a date alone that DATE_ONLY leaves out, written with dashes or dots ("04-18-2025",
# "18.04.2025", "09.28.15", "2025/04/18"; the national orders CMS themes print). Applied after the line model has
# decoded (`bylines_after_decoding` in auto/boilerplate.py), so the model and its training data stay as they are.
NUMERIC_DATE = re.compile(
    r"^(?:(?:published|updated|posted|last updated|date)\s*(?:on)?\s*:?\s*)?"
    r"(?:\d{1,2}(?P<sep>[-.])\d{1,2}(?P=sep)(?:\d{4}|\d{2})|\d{4}(?P<ymd>[./])\d{1,2}(?P=ymd)\d{1,2})$",
    re.IGNORECASE,
)
# A line of a counted sequence ("Infusion Session 1", "Part 2", "3"): at most COUNTED_LINE_MAX_WORDS words, the last a
# number. COUNTED_RUN_MIN_LINES or more such lines in a row, the same words before numbers that count up by one, are a
# table of contents without its header or a pager (`counted_sequence` in auto/boilerplate.py): on the zyte and
# readability train and dev pages the 13 lines of such runs (three pagers) are boilerplate, and so are the six of the
# ketamine-pages train split (one table of contents). Applied after the line model has decoded.
COUNTED_LINE = re.compile(r"^(?P<words>(?:\S+\s+)*?)(?P<number>\d{1,3})$")
COUNTED_LINE_MAX_WORDS = 6
COUNTED_RUN_MIN_LINES = 3
# An author line without a date ("By Jane Doe", "Written by Jane Doe, LPCC", "Medically reviewed by Dr. Jane Doe"):
# "by" and two to four capitalised name words, optionally a comma and credentials, nothing after.
AUTHOR_LINE = re.compile(
    r"^(?i:(?:(?:written|posted|medically reviewed|reviewed|authored) )?by (?:dr\.? )?)"
    r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){1,3}(?:, [A-Z][A-Za-z.]{1,10}(?:,? [A-Z][A-Za-z.]{1,10}){0,2})?$"
)
# A person's name alone on a line ("Jane Doe", "Dr. Jane Q. Doe", "Jane Doe, LPCC"): two or three capitalised
# words, an optional "Dr." and middle initial, optional credentials. An author's credit when it stands right above or
# below a byline (`author_beside_byline` in auto/boilerplate.py), as blog and news themes print them.
AUTHOR_NAME = re.compile(
    r"^(?:Dr\.? )?[A-Z][a-z'’-]+(?: [A-Z]\.)?(?: [A-Z][a-z'’-]+){1,2}(?:, [A-Z][A-Za-z.]{1,10}(?:,? [A-Z][A-Za-z.]{1,10}){0,2})?$"
)
# A reading-time label ("9 min read", "3/3/20252 min read"): post metadata of blog themes.
READING_TIME = re.compile(r"\b\d+\s*(min|mins|minute|minutes)\.?\s+read\b", re.IGNORECASE)
MAX_READING_TIME_WORDS = 6
# Breadcrumb trails ("Home / Resources / Ketamine FAQ", "Home › Blog › Ketamine"): short parts joined by these.
BREADCRUMB_SEPARATOR = re.compile(r"\s+(?:/|›|»|>|→)\s+|\s*[›»→]\s*")
MAX_BREADCRUMB_PART_WORDS = 6

# Reader-funding and paywall appeals of news sites ("Your support helps us …", "Support independent journalism",
# "Donate", "Become a member"): the guidelines' `newsletter` kind (subscription boxes); Trafilatura discards the same
# boxes by their markup (`xpaths.py`: its paywall, premium and subscription discard expressions).
SUPPORT_APPEAL = re.compile(
    r"\byour support (helps|allows|makes|means|enables|keeps|matters)\b"
    r"|\bsupport (our|us|independent|quality)\b.{0,20}\b(journalism|reporting|newsroom)\b"
    r"|\bdonate (now|today)\b|\bmake a (one-off |one-time |monthly |recurring )?(donation|contribution)\b"
    r"|\bbecome a (member|supporter|patron|subscriber)\b|\bpaywalls?\b|\bjournalism (must|needs|costs)\b"
    r"|\bsubscribe now\b"
)
SUPPORT_APPEAL_CUES = ("support", "donat", "contribution", "become a", "paywall", "journalism", "subscribe now")
# Separators between two copies of an image's alt text and title attribute ("cost chart - cost chart").
ALT_TEXT_SEPARATORS = (" - ", " | ", " – ", " — ")
# Post metadata ending in its date ("Original Research Early Career Psychiatrists September 17, 2025",
# "Source: News Agency, October 25, 2019"): a short line without sentence punctuation whose last words are a date.
# An embedded post's signature ("— Name (@handle) November 1, 2019") is the quoted post's, and stays content.
DATED_LABEL_MAX_WORDS = 10
DATE_AT_END = re.compile(
    rf"({MONTHS} \d{{1,2}},? \d{{4}}|\d{{1,2}} {MONTHS},? \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})$", re.IGNORECASE
)
EMBEDDED_POST_SIGNATURE = re.compile(r"^[—–-]|\(@")
# A journal citation of the article itself in Vancouver style ("J Clin Psychiatry 2025;86(4):25m15941": year;
# volume(issue):pages), or a DOI alone on a line: the article-metadata line of journal pages (ICMJE's
# recommended citation format, NLM "Citing Medicine" ch. 1). A reference-list entry ends in a period and stays content.
JOURNAL_CITATION = re.compile(r"\b(19|20)\d{2}\s*;\s*\d+\s*(\(\s*[\w-]+\s*\))?\s*:\s*[\w.-]+")
DOI_LINE = re.compile(r"^(doi\s*:\s*|https?://(dx\.)?doi\.org/)10\.\d{4,}/\S+$", re.IGNORECASE)
MAX_CITATION_WORDS = 20
# A masthead: a short title-case name ending in an organisation's word ("Brain and Behavior Research Foundation",
# "The Wall Street Journal"), the guidelines' site identity (`legal_footer`). The last words of organisation and
# publication names (ROR's organisation types; newspaper titles).
ORGANISATION_WORDS = frozenset(
    "foundation|institute|center|centre|clinic|hospital|association|society|university|college|council|network|"
    "alliance|group|inc|inc.|llc|ltd|ltd.|corporation|company|news|times|post|journal|magazine|tribune|herald|"
    "gazette".split("|")
)
NAME_JOINING_WORDS = frozenset("and|of|the|for|&|at|in|on|de".split("|"))
SITE_NAME_MAX_WORDS = 6


def _for_lower_case(patterns: tuple[re.Pattern[str], ...]) -> tuple[re.Pattern[str], ...]:
    """The patterns compiled without IGNORECASE, to search lower-cased text: the same matches, several times faster."""
    return tuple(re.compile(p.pattern) for p in patterns)


COMMENT_PATTERNS_LOWER = _for_lower_case(COMMENT_PATTERNS)
RELATED_LABEL_PATTERNS_LOWER = _for_lower_case(RELATED_LABEL_PATTERNS)
LEGAL_PATTERNS_LOWER = _for_lower_case(LEGAL_PATTERNS)
NEWSLETTER_PATTERN_LOWER = re.compile(NEWSLETTER_PATTERN.pattern)
COOKIE_PATTERN_LOWER = re.compile(COOKIE_PATTERN.pattern)
PHONE_MIN_DIGITS = 10
DIGIT = re.compile(r"\d")


@lru_cache(maxsize=4096)
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
    """Numbers with counter words and nothing else ("Comments · 9 Views", "12 shares"): social counters."""
    if not DIGIT.search(text):
        return False
    tokens = COUNTER_SEPARATORS.sub(" ", text).split()
    if not all(NUMBER.match(t) or t.casefold() in COUNTER_WORDS for t in tokens):
        return False
    return 0 < sum(bool(NUMBER.match(t)) for t in tokens) < len(tokens)


def bare_number(text: str) -> bool:
    """A number alone on a line ("0", "107"): a counter without its label, or a table cell (the model decides)."""
    return bool(NUMBER.match(text))


def navigation(text: str) -> bool:
    """Menu, search and read-more words alone on a line (NAVIGATION_LABELS), a line of skip links
    ("Skip to content Skip to footer", the accessibility links of CMS themes) or a link back to a listing (BACK_LINK)."""
    norm = _norm(text)
    return norm in NAVIGATION_LABELS or bool(SKIP_LINKS.match(norm) or BACK_LINK.match(norm))


def category_label(text: str) -> bool:
    """A CMS category tag alone on a line (CATEGORY_LABELS)."""
    return _norm(text) in CATEGORY_LABELS


def comments(text: str) -> bool:
    """Comment headers, forms and their notices (WordPress and common theme strings)."""
    lower = text.lower()
    return any(p.search(lower) for p in COMMENT_PATTERNS_LOWER)


def related_label(text: str) -> bool:
    """Labels of previous/next, related and "more in" lists (common theme strings)."""
    lower = text.lower()
    return any(p.search(lower) for p in RELATED_LABEL_PATTERNS_LOWER)


def call_to_action(text: str) -> bool:
    """A short line with a phone number and a contact verb: a clinic's promotional call to action."""
    if len(DIGIT.findall(text)) < PHONE_MIN_DIGITS or not (PHONE_NUMBER.search(text) and CALL_TO_ACTION_VERBS.search(text)):
        return False
    return (len(re.findall(r"[.!?](\s|$)", text)) or 1) <= MAX_CALL_TO_ACTION_SENTENCES


def image_caption(text: str) -> bool:
    """Stock-photo alt text: a short, unpunctuated, sentence-case line describing people or a shot (a line ending in a
    colon introduces what follows it: "People often ask two key questions:")."""
    words = _words(text)
    if not words or len(words) > MAX_CAPTION_WORDS or text.endswith(CAPTION_END_PUNCTUATION):
        return False
    capitalised = sum(w[0].isupper() for w in words)
    if capitalised * 2 >= len(words):
        return False
    return any(w.casefold().strip(",") in PHOTO_WORDS for w in words) and not mentions_topic(text)


def legal_footer(text: str) -> bool:
    """Copyright and legal lines, and a site-identity footer (a site name and its URL)."""
    lower = text.lower()
    if any(p.search(lower) for p in LEGAL_PATTERNS_LOWER):
        return True
    return bool(BARE_URL.search(text)) and len(_words(text)) <= MAX_SITE_FOOTER_WORDS


def newsletter(text: str) -> bool:
    """Newsletter and subscription boxes."""
    return len(_words(text)) <= NEWSLETTER_MAX_WORDS and bool(NEWSLETTER_PATTERN_LOWER.search(text.lower()))


def share_bar(text: str) -> bool:
    """Share buttons: a line made only of share words and network names (SHARE_WORDS)."""
    if "share" not in text.casefold():
        return False
    parts = [p for p in re.split(r"[\s|·•,/]+", _norm(text)) if p]
    return bool(parts) and "share" in " ".join(parts) and all(p in SHARE_WORDS or p == "on" for p in parts)


def table_of_contents(text: str) -> bool:
    """Table-of-contents headers."""
    return bool(TOC_PATTERN.match(_norm(text)))


def cookie_notice(text: str) -> bool:
    """Cookie and consent banners."""
    return bool(COOKIE_PATTERN_LOWER.search(text.lower())) and not mentions_topic(text)


def byline(text: str) -> bool:
    """Author/date lines ("By Jane Doe, March 3, 2024", "Par user 2023-11-29 09:05:30"), an author line without a
    date ("By Jane Doe, LPCC"), a date alone ("September 2023") and a reading-time label ("9 min read"), as blog and
    news themes print them."""
    return bool(
        BYLINE_PATTERN.match(text)
        or DATE_ONLY.match(text)
        or AUTHOR_LINE.match(text)
        or (len(_words(text)) <= MAX_READING_TIME_WORDS and READING_TIME.search(text))
    )


def breadcrumb(text: str) -> bool:
    """A breadcrumb trail: two or more short parts joined by "/", "›", "»", ">" or "→" with no sentence
    punctuation at the end (the navigation trail of CMS themes, schema.org `BreadcrumbList`)."""
    if text.endswith(TERMINAL_PUNCTUATION) or not any(sep in text for sep in "/›»>→"):
        return False
    parts = [p for p in BREADCRUMB_SEPARATOR.split(text) if p.strip()]
    return len(parts) >= 2 and all(len(p.split()) <= MAX_BREADCRUMB_PART_WORDS for p in parts)


def no_words(text: str) -> bool:
    """A line without a letter or a digit ("; ; ;", "|", "•"): separators and empty list markers."""
    return not any(c.isalnum() for c in text)


def support_appeal(text: str) -> bool:
    """A reader-funding, membership or paywall appeal (SUPPORT_APPEAL): news sites' "support us" boxes."""
    return bool(SUPPORT_APPEAL.search(text.lower()))


def repeated_alt_text(text: str) -> bool:
    """An image's alt text and title printed together: the same words on both sides of a separator
    (ALT_TEXT_SEPARATORS), as WordPress themes print an image's attributes."""
    for separator in ALT_TEXT_SEPARATORS:
        left, found, right = text.partition(separator)
        if found and left.strip() and left.strip().casefold() == right.strip().casefold():
            return True
    return False


def dated_label(text: str) -> bool:
    """Post metadata ending in its date (DATE_AT_END): at most DATED_LABEL_MAX_WORDS words before and with the date,
    no sentence punctuation, words before the date, not an embedded post's signature (EMBEDDED_POST_SIGNATURE)."""
    if len(_words(text)) > DATED_LABEL_MAX_WORDS or text.endswith(TERMINAL_PUNCTUATION):
        return False
    found = DATE_AT_END.search(text)
    return bool(found) and found.start() > 0 and not EMBEDDED_POST_SIGNATURE.search(text)


def journal_citation(text: str) -> bool:
    """The article's own journal citation (JOURNAL_CITATION) or DOI (DOI_LINE) alone on a short line without a
    final period."""
    if len(_words(text)) > MAX_CITATION_WORDS or text.endswith("."):
        return False
    return bool(JOURNAL_CITATION.search(text) or DOI_LINE.match(text))


def site_name(text: str) -> bool:
    """A masthead: SITE_NAME_MAX_WORDS words at most, each capitalised or a joining word (NAME_JOINING_WORDS), the last
    an organisation's word (ORGANISATION_WORDS), no digit, no sentence punctuation, not naming the topic."""
    words = _words(text)
    if not 2 <= len(words) <= SITE_NAME_MAX_WORDS or words[-1].casefold() not in ORGANISATION_WORDS:
        return False
    if text.endswith(TERMINAL_PUNCTUATION) or DIGIT.search(text) or mentions_topic(text):
        return False
    return all(w[0].isupper() or w.casefold() in NAME_JOINING_WORDS for w in words)


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    applies: Callable[[str], bool]


# Line rules, tried in order; the first that applies gives the kind.
LINE_RULES: tuple[Rule, ...] = (
    Rule("sponsored_label", "sponsored_label", sponsored_label),
    Rule("engagement_counter", "engagement_counter", engagement_counter),
    Rule("bare_number", "engagement_counter", bare_number),
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
    Rule("breadcrumb", "navigation", breadcrumb),
    Rule("no_words", "other", no_words),
    Rule("support_appeal", "newsletter", support_appeal),
    Rule("repeated_alt_text", "image_caption", repeated_alt_text),
    Rule("dated_label", "byline", dated_label),
    Rule("journal_citation", "byline", journal_citation),
    Rule("site_name", "legal_footer", site_name),
)
# Rules whose matches are page furniture and almost never article text (UI strings, counters, comment
# forms, cookie banners, a clinic's phone call to action, stock-photo alt text, bylines, table-of-contents
# headers, reader-funding appeals, repeated alt text, dated post labels, journal citation lines, mastheads): they mark a
# line as boilerplate whatever the line model says, and the model reads the page without those lines.
# How often each rule matched the training lines, and how many of them were boilerplate, is in the
# model's metrics (`auto/boilerplate_metrics.json`).
DECISIVE_RULES = (
    "sponsored_label",
    "engagement_counter",
    "comments",
    "related_label",
    "navigation",
    "share_bar",
    "cookie_notice",
    "call_to_action",
    "image_caption",
    "byline",
    "table_of_contents",
    "support_appeal",
    "repeated_alt_text",
    "dated_label",
    "journal_citation",
    "site_name",
)
# Names counted by `detect_boilerplate` besides the line rules: a later copy of the title, a
# boilerplate line that no named rule matches (the model's call alone; kind `other`), a line of
# article prose the model would have flagged but the prose guard kept (`boilerplate.article_prose`), a numeric date
# and an author's name beside a byline, flagged after decoding (`boilerplate.bylines_after_decoding`), a line of a
# counted sequence, flagged after decoding (`boilerplate.counted_sequence`),
# a title chosen over its byline (`boilerplate.headline_above_byline`), and a title opening the page
# (`boilerplate.find_title`).
CONTEXT_RULE_NAMES = (
    "duplicate_title", "line_model", "prose_guard", "title_above_byline", "title_at_top", "numeric_date",
    "author_beside_byline", "counted_sequence",
)
RULE_NAMES: tuple[str, ...] = tuple(r.name for r in LINE_RULES) + CONTEXT_RULE_NAMES

# Cheap necessary conditions tried before the rules (`matching_rules`): a rule can only match a line
# that passes its screen, so screening changes no answer, only the cost of a page.
# The label rules compare the normalised line with word lists of at most this many words (ANY_LABEL);
# TOC_PATTERN matches a normalised line of at most three words (TOC_FIRST_CHARS).
LABEL_MAX_WORDS = max(len(label.split()) for labels in (SPONSORED_LABELS, NAVIGATION_LABELS, CATEGORY_LABELS) for label in labels)
ANY_LABEL = SPONSORED_LABELS | NAVIGATION_LABELS | CATEGORY_LABELS
TOC_MAX_WORDS = 3
# First characters of a case-folded line TOC_PATTERN can match: those of its words, and the dotless "ı"
# that IGNORECASE matches to "i" and case-folding keeps.
TOC_FIRST_CHARS = frozenset("tcioıs")
# Substrings of the lower-cased line that COMMENT_PATTERNS, LEGAL_PATTERNS (with BARE_URL),
# NEWSLETTER_PATTERN and COOKIE_PATTERN cannot match without; first words of RELATED_LABEL_PATTERNS.
COMMENT_CUES = ("comment", "leave a", "your email address", "required fields", "respons", "replies", "thoughts on",
                "kommentar", "comentario")
RELATED_FIRST_WORDS = ("previous", "next", "older", "newer", "you", "related", "similar", "recommended", "popular", "recent",
                       "trending", "more", "read", "article", "post", "vous", "à")
LEGAL_CUES = ("©", "(c)", "copyright", "all rights reserved", "privacy policy", "terms ", "tous droits réservés",
              "alle rechte vorbehalten", "todos los derechos reservados", "http", "www.")
NEWSLETTER_CUES = ("newsletter", "subscribe", "sign up for", "join our mailing list")


def _any_of(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern finding any of the substrings (faster than testing them one by one)."""
    return re.compile("|".join(map(re.escape, cues)))


COMMENT_CUE, LEGAL_CUE, NEWSLETTER_CUE = _any_of(COMMENT_CUES), _any_of(LEGAL_CUES), _any_of(NEWSLETTER_CUES)
SUPPORT_APPEAL_CUE = _any_of(SUPPORT_APPEAL_CUES)

# An author line's "by " comes within this many characters ("medically reviewed by ", AUTHOR_LINE's longest opening).
AUTHOR_CUE_CHARS = 25
# A year has four digits: dated_label and journal_citation need at least that many.
DATE_MIN_DIGITS = 4
# In the case-folded line: a photo word (image_caption), in sorted order for a deterministic pattern.
PHOTO_CUE = _any_of(tuple(sorted(PHOTO_WORDS)))
# A breadcrumb separator (breadcrumb).
BREADCRUMB_CUE = re.compile("[/›»>→]")


def matching_rules(text: str, words: int | None = None, digits: int | None = None, lower: str | None = None) -> list[str]:
    """Names of the LINE_RULES that apply to a line, in order: `[r.name for r in LINE_RULES if r.applies(text)]`,
    with each rule tried only when its cheap screen passes (word count, digits, a cue substring of the
    lower-cased or case-folded line).

    `words` (`len(text.split())`), `digits` (`len(DIGIT.findall(text))`) and `lower` (`text.lower()`)
    may be passed when the caller has them.
    """
    if words is None:
        words = len(text.split())
    if digits is None:
        digits = len(DIGIT.findall(text))
    if lower is None:
        lower = text.lower()
    names = []
    norm = _norm(text) if words <= LABEL_MAX_WORDS or words <= TOC_MAX_WORDS else ""
    labels = words <= LABEL_MAX_WORDS and norm in ANY_LABEL
    if labels and sponsored_label(text):
        names.append("sponsored_label")
    if digits:
        if engagement_counter(text):
            names.append("engagement_counter")
        if bare_number(text):
            names.append("bare_number")
    if COMMENT_CUE.search(lower) and comments(text):
        names.append("comments")
    if lower.startswith(RELATED_FIRST_WORDS) and related_label(text):
        names.append("related_label")
    skip_or_back = (words <= SKIP_LINKS_MAX_WORDS and "kip to" in lower) or (  # SKIP_LINKS (also "ſkip", case-folded "skip")
        words <= BACK_LINK_MAX_WORDS and ("all" in lower or "back" in lower or "return" in lower))  # BACK_LINK
    if labels or skip_or_back:
        if navigation(text):
            names.append("navigation")
        if labels and category_label(text):
            names.append("category_label")
    folded = lower if text.isascii() else text.casefold()  # the same for ASCII text
    if "share" in folded and share_bar(text):
        names.append("share_bar")
    if words <= TOC_MAX_WORDS and norm[:1] in TOC_FIRST_CHARS and table_of_contents(text):
        names.append("table_of_contents")
    if "cookie" in lower and cookie_notice(text):
        names.append("cookie_notice")
    if LEGAL_CUE.search(lower) and legal_footer(text):
        names.append("legal_footer")
    if digits >= PHONE_MIN_DIGITS and call_to_action(text):
        names.append("call_to_action")
    if words <= NEWSLETTER_MAX_WORDS and NEWSLETTER_CUE.search(lower) and newsletter(text):
        names.append("newsletter")
    caption_shaped = words <= MAX_CAPTION_WORDS and not text.endswith(CAPTION_END_PUNCTUATION)
    if caption_shaped and PHOTO_CUE.search(folded) and image_caption(text):
        names.append("image_caption")
    if (digits or "by " in lower[:AUTHOR_CUE_CHARS]) and byline(text):
        names.append("byline")
    if BREADCRUMB_CUE.search(text) and breadcrumb(text):
        names.append("breadcrumb")
    if not text[0].isalnum() and no_words(text):
        names.append("no_words")
    names.extend(_low_chrome_matches(text, words, digits, lower))
    return names


def _low_chrome_matches(text: str, words: int, digits: int, lower: str) -> list[str]:
    """The rules for the chrome of pages with little of it (the last of LINE_RULES) that apply, each behind its screen."""
    names = []
    if SUPPORT_APPEAL_CUE.search(lower) and support_appeal(text):
        names.append("support_appeal")
    if words % 2 and words >= 3 and repeated_alt_text(text):  # two equal halves and a separator
        names.append("repeated_alt_text")
    if digits >= DATE_MIN_DIGITS and words <= DATED_LABEL_MAX_WORDS and text[-1].isdigit() and dated_label(text):
        names.append("dated_label")
    if digits >= DATE_MIN_DIGITS and words <= MAX_CITATION_WORDS and (";" in text or "do" in lower) and journal_citation(text):
        names.append("journal_citation")
    if 2 <= words <= SITE_NAME_MAX_WORDS and not digits and text[-1].isalpha() and site_name(text):
        names.append("site_name")
    return names
