"""`python -m ketamine_claims`: the `ketamine-claims` command line."""

import sys

from .cli import main

sys.exit(main())
