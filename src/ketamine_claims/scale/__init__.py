"""Processing articles at scale: shards, parts, resumable runs and engines (local, datatrove, Ray, Slurm)."""
