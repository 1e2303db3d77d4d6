"""Real-browser tests: the notebooks in JupyterLab and the course website, in Debian's chromium.

The browser work is done by ``scripts/browser/*.mjs`` (playwright-core, pinned in
``scripts/browser/package-lock.json``; ``make browser`` installs it and chromium). These
tests start what the scripts need on 127.0.0.1 -- a JupyterLab server with an empty token,
fresh workspace and settings folders, or an HTTP server for ``build/site`` -- record what
they started, and stop exactly that. The scripts print benchmark lines (``bench browser
redraw …``: time from a control change to the new figure on screen), which pytest shows
with ``-rA`` or ``-s``; they are measurements, never assertions.

Without chromium, node or the npm packages the tests are skipped on a developer's machine
and fail under CI (``CI`` set), where ``make test`` installs them.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import NOTEBOOKS, ROOT

BROWSER_DIR = ROOT / "scripts" / "browser"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS")  # a folder, to keep screenshots


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (make browser installs Debian's chromium)"
    if shutil.which("node") is None:
        return "node is missing"
    if not (BROWSER_DIR / "node_modules" / "playwright-core").is_dir():
        return "playwright-core is not installed (make browser)"
    return None


@pytest.fixture(scope="module")
def browser_ready():
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run under CI: {reason}")
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _node(script: str, *args: str, timeout: int) -> subprocess.CompletedProcess:
    extra = ["--shots", SCREENSHOTS] if SCREENSHOTS else []
    result = subprocess.run(["node", script, *args, *extra], cwd=BROWSER_DIR,
                            capture_output=True, text=True, timeout=timeout)
    print(result.stdout)  # benchmark lines and per-page results
    print(result.stderr, file=sys.stderr)
    return result


LAB_SETTINGS = {
    # every cell stays in the DOM, so the test sees every output and widget
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # nothing asks the internet for news or updates
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/extensionmanager-extension/plugin.jupyterlab-settings": {"enabled": False},
}


@contextlib.contextmanager
def jupyterlab(tmp: Path):
    """Run JupyterLab on 127.0.0.1 (token off, fresh folders); stop only that process."""
    settings = tmp / "settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    port = _free_port()
    # Kernels talk over IPC sockets in a short private folder, not TCP: no port race with
    # the kernels strict nbval starts at the same time in the other pytest-xdist worker.
    runtime = Path(tempfile.mkdtemp(prefix="lab-"))
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp / "config"),
           "JUPYTER_RUNTIME_DIR": str(runtime), "JUPYTER_DATA_DIR": str(tmp / "data")}
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--IdentityProvider.token=",
           "--ServerApp.password=", f"--ServerApp.root_dir={ROOT}",
           "--LabApp.expose_app_in_browser=True", f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
           f"--LabApp.user_settings_dir={settings}", "--LabApp.news_url=None",
           "--KernelManager.transport=ipc"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp / "jupyterlab.log", "w")
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError("JupyterLab did not start:\n"
                                       + (tmp / "jupyterlab.log").read_text()[-2000:])
                time.sleep(0.25)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()
        shutil.rmtree(runtime, ignore_errors=True)


@contextlib.contextmanager
def static_server(folder: Path):
    """Serve ``folder`` on 127.0.0.1 from a thread; shut that server down afterwards."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_every_notebook_runs_in_jupyterlab_and_every_widget_control_redraws(
        browser_ready, tmp_path):
    notebooks = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
    with jupyterlab(tmp_path) as url:
        result = _node("lab_test.mjs", url, *notebooks, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:] or result.stdout[-4000:]
    assert result.stdout.count("\nok ") + result.stdout.startswith("ok ") == len(notebooks)
    assert "bench browser redraw" in result.stdout
