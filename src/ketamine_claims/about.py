"""Facts about the dataset stated in several files: name, description, authors, homepage and licences.

The card, datapackage.json, croissant.json, CITATION.cff and pyproject.toml all take these values
from here (pyproject.toml by hand; a test checks it agrees), so they cannot disagree.
"""

from __future__ import annotations

TITLE = "Ketamine Claims"
AUTHOR = "ketamine-claims maintainers"
# Who made the gold labels (the card's "Who made the labels" says it in full).
ANNOTATORS = "AI language-model annotators working from the annotation guidelines (no domain expert or clinician review)"
DESCRIPTION = (
    "Web articles about ketamine therapy with byte-exact text, boilerplate-labelled segments, sentence "
    "spans and atomic health claims labelled with type, condition, hedging, attribution and an evidence "
    "verdict linked to references."
)
KEYWORDS = ["ketamine", "health misinformation", "claim detection", "boilerplate removal"]

# The Hugging Face Hub dataset repository: its page is the homepage, its tags v<version> the releases.
HUB_REPO = "ketamine-claims/ketamine-claims"
HOMEPAGE = f"https://huggingface.co/datasets/{HUB_REPO}"
ISSUES = f"{HOMEPAGE}/discussions"

# Licences. Code: MIT (LICENSE). Annotations, schemas and derived fields: CC BY 4.0 (LICENSE-ANNOTATIONS).
# The article texts are not ours to license: they stay their publishers'.
CODE_LICENSE = "MIT"
CODE_LICENSE_FILE = "LICENSE"
ANNOTATIONS_LICENSE = "CC-BY-4.0"
ANNOTATIONS_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
ANNOTATIONS_LICENSE_FILE = "LICENSE-ANNOTATIONS"
LICENSE_STATEMENT = (
    "Annotations, schemas and derived fields: CC BY 4.0 (LICENSE-ANNOTATIONS). The article texts (documents.text and "
    "the text columns copied from it) remain the property of their publishers, are not licensed under CC BY 4.0 and are "
    "included unchanged for non-commercial research only. Code: MIT (LICENSE)."
)
# The Hub card: `other`, because the texts are not under the annotations' licence.
CARD_LICENSE = {"license": "other", "license_name": "cc-by-4.0-annotations", "license_link": ANNOTATIONS_LICENSE_FILE}
