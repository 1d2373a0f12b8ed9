"""`run --engine slurm`: the sbatch script datatrove's SlurmPipelineExecutor writes for the shards, printed by
--dry-run; and a submission whose array tasks are run as Slurm would run them (each `launch_pickled_pipeline` with
its SLURM_ARRAY_TASK_ID), then finished by the same command: the local engine's bytes. No Slurm is installed here:
stand-ins for `sbatch` (records the script, answers with a job id) and `scontrol show hostnames` (echoes the node)
take their place; nothing else is replaced."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, tree_bytes
from fault_helpers import run_cli
from ketamine_claims.scale.resume import resume_folder
from ketamine_claims.scale.runner import run_local
from ketamine_claims.scale.synthetic import write_corpus

N_SHARDS = 3


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("slurm")
    write_corpus(REPO / "seeds", folder / "shards", 2 * N_SHARDS, shard_size=2, seed=17)
    run_local(folder / "shards", folder / "out-local", workers=1, progress=False)
    return folder


def slurm_args() -> list[str]:
    return ["--engine", "slurm", "--partition", "cpu", "--time", "01:00:00", "--workers", "2", "--quiet"]


def test_dry_run_prints_the_sbatch_script_and_leaves_nothing(corpus, tmp_path):
    out = tmp_path / "parts"
    result = run_cli("run", str(corpus / "shards"), str(out), *slurm_args(), "--dry-run")
    assert result.returncode == 0, result.stderr
    script = result.stdout
    assert script.startswith("#!/bin/bash\n")
    directives = dict(re.findall(r"^#SBATCH --([\w-]+)=?(.*)$", script, re.M))
    assert directives["partition"] == "cpu" and directives["time"] == "01:00:00"
    assert directives["job-name"] == "ketamine-claims" and directives["cpus-per-task"] == "1"
    assert directives["array"] == f"0-{N_SHARDS - 1}%2"  # one array task per shard, two at a time
    assert directives["output"] == str(resume_folder(out) / "logs" / "slurm_logs" / "%A_%a.out")
    assert f"source {Path(sys.prefix) / 'bin' / 'activate'}\n" in script
    assert f"launch_pickled_pipeline {resume_folder(out) / 'logs' / 'executor.pik'}\n" in script
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written, nothing submitted


def test_a_submitted_job_array_run_task_by_task_then_finished_by_the_same_command(corpus, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "sbatch").write_text(
        '#!/bin/sh\nfor last; do :; done\ncp "$last" "$(dirname "$0")/submitted-$(ls "$(dirname "$0")" | wc -l).sh"\n'
        'echo "Submitted batch job 4242"\n',
        encoding="utf-8",
    )
    (bin_dir / "scontrol").write_text('#!/bin/sh\necho "$3"\n', encoding="utf-8")  # `scontrol show hostnames NODE`
    for tool in ("sbatch", "scontrol"):
        (bin_dir / tool).chmod(0o755)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    out = tmp_path / "parts"
    args = ["run", str(corpus / "shards"), str(out), *slurm_args()]
    dry = run_cli(*args, "--dry-run").stdout
    submitted = run_cli(*args, env=env)
    assert submitted.returncode == 0, submitted.stderr
    assert f"submitted {N_SHARDS} shards as Slurm job 4242" in submitted.stdout
    assert not out.exists()
    scripts = sorted(bin_dir.glob("submitted-*.sh"))
    assert scripts[0].read_text(encoding="utf-8") == dry  # the dry run printed what is submitted
    pickled = resume_folder(out) / "logs" / "executor.pik"
    for task in range(N_SHARDS):  # what `srun launch_pickled_pipeline` does in each array task
        environment = {**os.environ, **env, "SLURM_ARRAY_TASK_ID": str(task), "SLURM_NODELIST": "localhost"}
        command = [str(Path(sys.executable).parent / "launch_pickled_pipeline"), str(pickled)]
        done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
    finished = run_cli(*args, env=env)
    assert finished.returncode == 0, finished.stderr
    assert f"from 0 shards into {out}" in finished.stdout and f"{N_SHARDS} shards were committed" in finished.stdout
    assert tree_bytes(out) == tree_bytes(corpus / "out-local")
    assert not resume_folder(out).exists()
