"""Publishing a build: Arrow tables and Parquet, the dataset card, Croissant, statistics, citation and the viewer."""
