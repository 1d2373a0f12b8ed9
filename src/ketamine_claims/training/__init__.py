"""Training of the auto-labelling models (boilerplate line model, claim-sentence classifier); needs the `train` extra."""
