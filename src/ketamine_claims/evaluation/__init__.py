"""Evaluation: one span matcher, one precision/recall/F1 counter, and the scores of the auto labels and baselines."""
