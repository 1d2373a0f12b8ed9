"""One annotation session against a real Label Studio server, run by the Label Studio environment's Python.

test_label_studio_server.py runs this script as PID 1 of network and PID namespaces of its own
(`unshare --net --pid --fork --mount-proc --kill-child`, loopback only): when it exits, the kernel ends the server
and everything it started. Steps: start `label-studio` on 127.0.0.1 with a fresh SQLite data folder, wait for
/health, then through label-studio-sdk create a project with the generated labeling config, import the tasks with
their predictions, submit each given annotation as the annotator, check that predictions and annotations were
stored, and write the project's JSON export (the file a maintainer downloads from the UI).

This file imports only the standard library and label_studio_sdk: the project's own package is not installed in that
environment.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

USER = "annotator@example.org"
PASSWORD = "annotator-password-1"
TOKEN = "0123456789abcdef0123456789abcdef01234567"
STARTUP_SECONDS = 420  # about 45 s on an idle machine, over 3 minutes on a busy one


def wait_for_health(base_url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"label-studio exited with {server.returncode} before it answered:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/health", timeout=5) as response:
                if json.load(response).get("status") == "UP":
                    return
        except OSError:
            pass
        time.sleep(2)
    sys.exit(f"label-studio did not answer /health within {STARTUP_SECONDS} s:\n{log.read_text()[-4000:]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label-studio", required=True, help="the label-studio executable")
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--config", required=True, type=Path, help="labeling config (XML)")
    parser.add_argument("--tasks", required=True, type=Path, help="tasks from `ketamine-claims annotate export`")
    parser.add_argument("--annotations", required=True, type=Path, help="JSON: doc_id -> the result the annotator submits")
    parser.add_argument("--export", required=True, type=Path, help="where to write the project's JSON export")
    parser.add_argument("--port", default="8080")
    parser.add_argument(
        "--editor-command",
        type=json.loads,
        default=None,
        help="JSON list: a command run once the tasks are in, with the base URL, project id, user and password appended",
    )
    args = parser.parse_args()

    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    base_url = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(args.data_dir),
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "HOME": str(args.data_dir),
    }
    log = args.data_dir / "label-studio.log"
    command = [args.label_studio, "start", "--no-browser", "--host", "127.0.0.1", "--port", args.port]
    command += ["--username", USER, "--password", PASSWORD, "--user-token", TOKEN]
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    started = time.monotonic()
    wait_for_health(base_url, server, log)
    print(f"label-studio answered /health after {time.monotonic() - started:.0f} s", flush=True)

    from label_studio_sdk import LabelStudio

    client = LabelStudio(base_url=base_url, api_key=TOKEN)
    project = client.projects.create(title="ketamine-claims round trip", label_config=args.config.read_text(encoding="utf-8"))
    tasks = json.loads(args.tasks.read_text(encoding="utf-8"))
    client.projects.import_tasks(id=project.id, request=tasks)
    predicted = {task["data"]["doc_id"]: bool(task.get("predictions")) for task in tasks}
    submitted = json.loads(args.annotations.read_text(encoding="utf-8"))
    stored = list(client.tasks.list(project=project.id))
    if len(stored) != len(tasks):
        sys.exit(f"{len(tasks)} tasks imported, {len(stored)} stored")
    for item in stored:
        doc_id = item.data["doc_id"]
        full = client.tasks.get(id=item.id)
        if predicted[doc_id] and not full.predictions:
            sys.exit(f"task {item.id} ({doc_id}) has no prediction after the import")
        if doc_id in submitted:  # the annotator opened the prediction, edited it and submitted
            prediction = full.predictions[0]
            parent = prediction["id"] if isinstance(prediction, dict) else prediction.id
            client.annotations.create(id=item.id, result=submitted[doc_id], parent_prediction=parent)
            if not client.tasks.get(id=item.id).annotations:
                sys.exit(f"task {item.id} ({doc_id}): the annotation was not stored")
    if args.editor_command:
        subprocess.run([*args.editor_command, base_url, str(project.id), USER, PASSWORD], check=True)
    export = b"".join(client.projects.exports.download_sync(id=project.id, export_type="JSON", download_all_tasks=True))
    args.export.write_bytes(export)
    print(f"exported project {project.id} to {args.export}", flush=True)
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


if __name__ == "__main__":
    main()
