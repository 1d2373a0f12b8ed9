"""Checks of a built dataset folder, the gate every build and release passes: `validate.CHECKS` lists them by name
(files, tables, cross_table and external hold the checks of each kind; assets what a release folder must hold)."""
