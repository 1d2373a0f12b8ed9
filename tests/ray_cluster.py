"""A real Ray cluster on 127.0.0.1 for test_ray.py: a head and further nodes started as separate `ray start`
processes, inside network and PID namespaces of their own (`unshare --net --pid --fork --mount-proc`).

The network namespace holds only the loopback interface, so no byte of Ray leaves the machine; when the
script exits, the kernel ends every process of the PID namespace, so the cluster is always stopped (no
`ray stop`, which would stop every Ray process of the machine). `run_scenarios` runs this file as a script
inside the namespaces; the script writes what happened to a JSON file that the tests read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HEAD_PORT = 6390
NODE_PORTS = {"second": 47001, "third": 47002}  # node manager ports: they find each node's raylet
DEADLINE_S = 300  # against hangs only: no assertion is timed


def namespace_command(argv: list[str]) -> list[str]:
    """argv in new network, PID and mount namespaces (as a mapped root when not root); all end with it."""
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    return ["unshare", *user, "--net", "--pid", "--fork", "--mount-proc", "--kill-child", *argv]


def run_scenarios(config: dict, timeout: float = 900) -> dict:
    """Run this file inside fresh namespaces with config; return what it recorded."""
    folder = Path(config["work"])
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    command = namespace_command([sys.executable, str(Path(__file__).resolve()), str(folder / "config.json")])
    proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=_env())
    results = folder / "results.json"
    assert proc.returncode == 0 and results.is_file(), f"cluster script failed ({proc.returncode}):\n{proc.stderr[-6000:]}"
    return json.loads(results.read_text(encoding="utf-8"))


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "KETAMINE_CLAIMS_FAULT"}
    return {**env, "RAY_USAGE_STATS_ENABLED": "0", **extra}


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def start_node(temp: Path, name: str | None = None, **env: str) -> None:
    """The head (name None) or a node joining it, one CPU each, every address 127.0.0.1."""
    common = ["--node-ip-address", "127.0.0.1", "--num-cpus", "1", "--disable-usage-stats"]
    if name is None:
        args = ["--head", "--port", str(HEAD_PORT), "--include-dashboard", "false", "--temp-dir", str(temp)]
    else:
        args = ["--address", f"127.0.0.1:{HEAD_PORT}", "--node-manager-port", str(NODE_PORTS[name])]
    subprocess.run([_bin("ray"), "start", *args, *common], check=True, capture_output=True, env=_env(**env))


def raylet_pid(port: int) -> int:
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if args and args[0].endswith(b"/raylet") and f"--node_manager_port={port}".encode() in args:
            return int(cmdline.parent.name)
    raise RuntimeError(f"no raylet with node manager port {port}")


def alive_nodes() -> list[str]:
    """The addresses of the cluster's live nodes, as the cluster reports them."""
    script = f"import json, ray; ray.init(address='127.0.0.1:{HEAD_PORT}', logging_level='ERROR'); "
    script += "print('NODES', json.dumps(sorted(n['NodeManagerAddress'] for n in ray.nodes() if n['Alive'])))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=_env()).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("NODES "))[6:])


def run_command(shards: str, out: str, address: str = f"127.0.0.1:{HEAD_PORT}") -> list[str]:
    return [_bin("ketamine-claims"), "run", shards, out, "--engine", "ray", "--address", address, "--quiet"]


def ketamine_run(shards: str, out: str, address: str = f"127.0.0.1:{HEAD_PORT}", **env: str) -> dict:
    command = run_command(shards, out, address)
    proc = subprocess.run(command, capture_output=True, text=True, env=_env(**env), timeout=DEADLINE_S)
    return {"returncode": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}


def committed(out: str) -> list[str]:
    folder = Path(out).parent / f".{Path(out).name}-resume" / "committed"
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"gave up waiting for {what}")
        time.sleep(0.5)


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    work, shards, n_shards = Path(config["work"]), config["shards"], config["n_shards"]
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    results: dict = {"no_cluster": ketamine_run(shards, str(work / "out-none"), f"127.0.0.1:{HEAD_PORT}")}
    start_node(work / "ray")
    start_node(work / "ray", "second")
    results["nodes"] = alive_nodes()

    # Same bytes as the local engine.
    results["plain"] = ketamine_run(shards, str(work / "out-ray"))

    # A task that fails (an I/O error on shard-00001): the run stops naming it, the others are committed,
    # and the same command again processes only that shard.
    failing = str(work / "out-resumed")
    results["failed"] = ketamine_run(shards, failing, KETAMINE_CLAIMS_FAULT="run-worker-shard-00001:oserror")
    results["failed_committed"] = committed(failing)
    results["failed_out_exists"] = Path(failing).exists()
    results["resumed"] = ketamine_run(shards, failing)

    # A node lost in the middle of a run: the third node's tasks hang until its raylet is killed; datatrove runs the
    # lost task again on the head, and the run completes.
    os.kill(raylet_pid(NODE_PORTS["second"]), 9)  # the second node goes first, idle, so that the third gets a task
    wait_for(lambda: len(alive_nodes()) == 1, "the second node to be declared dead")
    start_node(work / "ray", "third", KETAMINE_CLAIMS_FAULT="run-worker:hang")
    results["nodes_before_loss"] = alive_nodes()
    lost = str(work / "out-node-lost")
    proc = subprocess.Popen(run_command(shards, lost), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    wait_for(lambda: len(committed(lost)) == n_shards - 1, "every shard but the third node's to be committed")
    results["lost_committed_before_kill"] = committed(lost)
    os.kill(raylet_pid(NODE_PORTS["third"]), 9)
    stdout, stderr = proc.communicate(timeout=DEADLINE_S)
    results["node_lost"] = {"returncode": proc.returncode, "stdout": stdout, "stderr": stderr}
    (work / "results.json").write_text(json.dumps(results), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
