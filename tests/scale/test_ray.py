"""`run --engine ray` on a real two-node Ray cluster on 127.0.0.1 (tests/ray_cluster.py): the same bytes as the
local engine, a failing task named and resumed shard-exact, a node lost mid-run survived."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, tree_bytes
from ketamine_claims.scale.resume import resume_folder
from ketamine_claims.scale.runner import run_local
from ketamine_claims.scale.synthetic import write_corpus
from ray_cluster import run_scenarios

N_SHARDS = 4


def missing_namespace_tools() -> str | None:
    if not shutil.which("unshare") or not shutil.which("ip"):
        return "unshare and ip (util-linux, iproute2)"
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--net", "true"], capture_output=True)
    if os.geteuid() != 0 and probe.returncode != 0:
        return "network namespaces (root, or unprivileged user namespaces)"
    return None


@pytest.fixture(scope="module")
def cluster_run(tmp_path_factory) -> tuple[Path, dict]:
    missing = missing_namespace_tools()
    if missing and os.environ.get("CI") != "true":
        pytest.skip(f"the Ray tests need {missing}")
    subprocess.run([str(REPO / "scripts" / "install-ray"), sys.executable], check=True)
    work = tmp_path_factory.mktemp("ray")
    write_corpus(REPO / "seeds", work / "shards", 3 * N_SHARDS, shard_size=3, seed=13)
    run_local(work / "shards", work / "out-local", workers=2, progress=False)
    config = {"work": str(work), "shards": str(work / "shards"), "n_shards": N_SHARDS}
    return work, run_scenarios(config)


def processed(stdout: str) -> tuple[int, int]:
    match = re.search(r"from (\d+) shards into .*?(?:; (\d+) shards were committed by an earlier run)?$", stdout.strip())
    assert match, stdout
    return int(match[1]), int(match[2] or 0)


def test_a_two_node_cluster_on_loopback_writes_the_local_engines_bytes(cluster_run):
    work, results = cluster_run
    assert results["nodes"] == ["127.0.0.1", "127.0.0.1"]
    assert results["plain"]["returncode"] == 0, results["plain"]["stderr"][-3000:]
    assert processed(results["plain"]["stdout"]) == (N_SHARDS, 0)
    assert tree_bytes(work / "out-ray") == tree_bytes(work / "out-local")
    assert not resume_folder(work / "out-ray").exists()


def test_a_task_that_keeps_failing_is_named_and_the_rerun_does_only_its_shard(cluster_run):
    work, results = cluster_run
    failed = results["failed"]
    assert failed["returncode"] == 4, failed["stderr"][-3000:]
    assert f"{work / 'shards' / 'shard-00001.jsonl'}" in failed["stderr"]
    assert results["failed_committed"] == ["shard-00000", "shard-00002", "shard-00003"]
    assert not results["failed_out_exists"]  # nothing half-written in the output
    resumed = results["resumed"]
    assert resumed["returncode"] == 0, resumed["stderr"][-3000:]
    assert processed(resumed["stdout"]) == (1, N_SHARDS - 1)
    assert tree_bytes(work / "out-resumed") == tree_bytes(work / "out-local")


def test_a_node_lost_mid_run_is_survived_with_the_same_bytes(cluster_run):
    work, results = cluster_run
    assert results["nodes_before_loss"] == ["127.0.0.1", "127.0.0.1"]
    assert len(results["lost_committed_before_kill"]) == N_SHARDS - 1
    lost = results["node_lost"]
    assert lost["returncode"] == 0, lost["stderr"][-3000:]
    assert "The actor died because its node has died" in lost["stderr"]  # lost, then run again by datatrove
    assert tree_bytes(work / "out-node-lost") == tree_bytes(work / "out-local")


def test_no_cluster_at_the_address_is_a_clear_error_and_writes_nothing(cluster_run):
    work, results = cluster_run
    assert results["no_cluster"]["returncode"] == 4
    assert "error: 127.0.0.1:6390: no Ray cluster answers at this address" in results["no_cluster"]["stderr"]
    assert not (work / "out-none").exists() and not resume_folder(work / "out-none").exists()
