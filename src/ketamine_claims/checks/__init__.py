"""Checks of a built dataset folder: the gate every build and release passes."""
