"""Named fault points, so tests can kill or fail a real process at an exact step.

Code that writes files calls `fault_point("<step>")` between its steps. When the environment
variable `KETAMINE_CLAIMS_FAULT` names that step, the process kills itself with SIGKILL (as the
OOM killer or a power cut would); `<step>:oserror` raises an OSError instead (as a full disk or
a read-only file system would), `<step>:enospc` raises the OSError of a write to a full disk (which
names no file), `<step>:sigint` sends itself SIGINT (as Ctrl-C would), and `<step>:hang` waits
forever (as a stuck machine would; for tests that kill it from outside).
Unset, a fault point does nothing.
"""

from __future__ import annotations

import errno
import os
import signal
import threading

FAULT_VARIABLE = "KETAMINE_CLAIMS_FAULT"


def fault_point(step: str, path: object = None) -> None:
    """Die or fail here if KETAMINE_CLAIMS_FAULT names this step (see the module docstring)."""
    wanted = os.environ.get(FAULT_VARIABLE)
    if not wanted:
        return
    if wanted == step:
        os.kill(os.getpid(), signal.SIGKILL)
    if wanted == f"{step}:sigint":
        os.kill(os.getpid(), signal.SIGINT)
    if wanted == f"{step}:enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if wanted == f"{step}:hang":
        threading.Event().wait()
    if wanted == f"{step}:oserror":
        raise OSError(errno.EIO, f"injected fault at {step}", None if path is None else str(path))
