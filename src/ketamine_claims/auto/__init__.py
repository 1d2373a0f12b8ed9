"""Auto-labelling for articles without gold labels: boilerplate flags and claims.

Nothing here reads or writes gold annotations; gold handling lives in `ketamine_claims.gold.annotations`.
"""
