"""`python -m ketamine_claims`: the `ketamine-claims` command line."""

import sys

from ketamine_claims.cli import main

sys.exit(main())
