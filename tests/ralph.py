"""Ralph, a real learning record store, run by the tests on loopback with its filesystem
backend, from its own virtual environment (.venv-lrs, made by `make lrs` from the pinned
requirements-lrs.txt)."""

import base64
import json
import socket
import subprocess
import threading
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv-lrs" / "bin" / "python"
KEY, SECRET = "saq", "a store's secret"
XAPI_HEADERS = {"X-Experience-API-Version": "1.0.3"}
# Ralph's server, run as its docs run it (uvicorn with ralph.api:app), with one repair:
# ralph-malph 5.1.0's filesystem LRS writes each POST with its data backend's default
# operation, CREATE, which refuses a file that exists, so every POST after the first fails
# with 500. Appending is what an LRS on one file must do.
LAUNCH = """
import sys, uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), access_log=False)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Ralph:
    """One store: its data in `folder`, kept across stop() and start() on the same port."""

    def __init__(self, folder: Path):
        assert PYTHON.exists(), "Ralph is not installed: run `make lrs` (make test does)."
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        hashed = subprocess.run(
            [
                PYTHON,
                "-c",
                "import bcrypt,sys; print(bcrypt.hashpw(sys.argv[1].encode(), "
                "bcrypt.gensalt(4)).decode())",
                SECRET,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        user = {
            "agent": {"mbox": "mailto:saq@example.org"},
            "scopes": ["all"],
            "hash": hashed,
            "username": KEY,
        }
        (folder / "auth.json").write_text(json.dumps([user]))

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def start(self) -> None:
        env = {
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder),
            "RALPH_AUTH_FILE": str(self.folder / "auth.json"),
            "RALPH_APP_DIR": str(self.folder / "app"),
            "PATH": "/usr/bin:/bin",
        }
        self.process = subprocess.Popen(
            [PYTHON, "-c", LAUNCH, str(self.port)],
            env=env,
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Started when uvicorn says so; a Ralph that cannot start is killed after a minute.
        watchdog = threading.Timer(60, self.process.kill)
        watchdog.start()
        seen = []
        for line in self.process.stderr:
            seen.append(line)
            if "Application startup complete" in line:
                break
        watchdog.cancel()
        assert self.process.poll() is None, "".join(seen)
        # Keep reading what it says, so a full pipe never blocks it.
        threading.Thread(target=self.process.stderr.read, daemon=True).start()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def statements(self) -> list[dict]:
        """Every statement the store holds, page after page, as GET /xAPI/statements
        returns them."""
        token = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
        found, url = [], f"{self.endpoint}statements?limit=100"
        while url:
            request = urllib.request.Request(  # noqa: S310 (Ralph on loopback)
                url, headers={"Authorization": f"Basic {token}", **XAPI_HEADERS}
            )
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                page = json.load(response)
            found += page["statements"]
            more = page.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more else ""
        return found
