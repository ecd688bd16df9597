"""The benchmark server process does not outlive a killed parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.support.openai_server import REPO_ROOT

PARENT = """
import time
from tests.support.openai_server import ServerProcess
server = ServerProcess().__enter__()
print(server._process.pid, flush=True)
time.sleep(120)
"""


def test_server_process_stops_when_its_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    server_pid = int(parent.stdout.readline())
    assert Path(f"/proc/{server_pid}").exists()
    parent.send_signal(signal.SIGKILL)  # no __exit__, no terminate(): only the closed pipe tells the server
    parent.wait()
    deadline = time.monotonic() + 15
    while _alive(server_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(server_pid)


def _alive(pid: int) -> bool:
    """Running (a zombie or a reaped process counts as gone)."""
    try:
        os.kill(pid, 0)
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except (ProcessLookupError, FileNotFoundError):
        return False
