"""The front of a sentence: bullets, labels and discourse openers to strip, a leading subordinate
clause to look past, and a leading appositive naming the drug's class (guidelines 3.1: exclude
discourse openers; 3.7 "Spans")."""

from __future__ import annotations

import re

BULLET_CHARS = "•·▪◦●‣∙*-–— "
# "Quick Action: The effect …": a short label before the sentence.
LABEL_PREFIX = re.compile(r"^(?:[A-Z][\w’'()-]*\s+){0,4}[A-Z]?[\w’'()-]+:\s+(?=[A-Z])")
DISCOURSE_OPENER = re.compile(
    r"^(?:additionally|however|moreover|furthermore|nevertheless|nonetheless|in addition|also|overall|in conclusion|"
    r"in summary|in short|(?:yes|no)(?=\s*[,—–-])|as a result|therefore|thus|importantly|notably|in fact|indeed|traditionally|"
    r"historically|in recent years|more recently|recently|today|nowadays|currently|now(?=\s*,)|then|finally|first|second|"
    r"third|"
    r"that said|of course|unfortunately|fortunately|sadly|thankfully|luckily|interestingly|surprisingly)\s*,?\s+",
    re.I,
)
# A leading noun-phrase appositive naming the drug's class ("A Schedule III controlled substance, ketamine …", "A
# dissociative anesthetic, the drug …"): cut from the span and ignored when typing (the class is not the proposition).
LEAD_APPOSITIVE = re.compile(
    r"^(?:an?|the)\s+[^,]{3,60},\s+(?=(?:ketamine|esketamine|spravato|it|the drug|the medication|this drug)\b)", re.I
)
SUBORDINATE_OPENER = re.compile(
    r"^(?:while|although|though|even though|unlike|since|because|if|when|as|for|in|during|after|before|despite|beyond|"
    r"apart from|especially|by|through|with|without|compared|particularly|once|originally|initially|administered)\b[^,]*,\s+",
    re.I,
)


def strip_lead(piece: str) -> str:
    """Bullets, a short label and discourse openers off the front of a sentence
    (guidelines 3.1: "exclude discourse openers")."""
    while True:
        stripped = piece.lstrip(BULLET_CHARS)
        stripped = LABEL_PREFIX.sub("", stripped, count=1) if ":" in stripped[:45] else stripped
        stripped = DISCOURSE_OPENER.sub("", stripped, count=1)
        if stripped == piece:
            return piece
        piece = stripped


def main_clause(body: str) -> str:
    """The sentence without a leading subordinate clause (a cheap approximation of the main clause,
    whose subject decides what the sentence is about: guidelines 3.7 "Article topic")."""
    while found := SUBORDINATE_OPENER.match(body):
        body = body[found.end() :]
    return body
