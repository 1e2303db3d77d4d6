"""A throw-away JupyterHub on 127.0.0.1 for measuring and testing the classroom set-up.

Used by ``benchmarks/bench_classroom.py`` and the N = 2 integration test only: it runs
JupyterHub with the *dummy* authenticator, ``SimpleLocalProcessSpawner`` (a
LocalProcessSpawner that runs every user as the current system user, each in a home under a
temporary folder) and configurable-http-proxy from ``deploy/node_modules``, with a service
token that only this process knows.  That is fine on a loopback-only hub that lives for one
run and never for a class: the real recipes are in ``deploy/``.

Everything it starts is recorded and stopped (``Hub.stop``), every wait is bounded.
"""
from __future__ import annotations

import json
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core import validate

__all__ = ["CLASS_ENVIRONMENT", "SETUPS", "Hub", "StudentRun", "free_port", "proxy_command",
           "kernelspec_path", "student_config_path", "bare_class_repo", "in_parallel"]

LOOPBACK = "127.0.0.1"

# Set for every student server (and so for its kernels) by deploy/one-machine and
# deploy/kubernetes too; tests/test_deploy.py keeps the three equal.  glibc's malloc:
# at most two arenas per process (a server's and a kernel's threads otherwise get one
# each) and a fixed trim threshold, so freed memory goes back to the system.
CLASS_ENVIRONMENT = {"MALLOC_ARENA_MAX": "2", "MALLOC_TRIM_THRESHOLD_": "131072"}

# What a student server looks like: "one-machine" (deploy/one-machine: the course
# kernelspec, CLASS_ENVIRONMENT, nbgrader's assignment list for the exchange),
# "kubernetes" (the same without nbgrader's server extensions: that recipe has no
# exchange) or "stock" (ipykernel's kernelspec, default malloc; for comparisons).
SETUPS = ("one-machine", "kubernetes", "stock")


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def proxy_command(root: Path) -> Path:
    """configurable-http-proxy installed by ``npm ci`` in ``deploy/``."""
    path = Path(root) / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy"
    if not path.exists():
        raise ValueError(f"{path} is missing: run `npm ci` in deploy/ (or `make deploy-tools`)")
    return path


def student_config_path(root: Path) -> Path:
    """``deploy/kubernetes/student-config``: jupyter_server_config.json for JUPYTER_CONFIG_PATH."""
    path = Path(root) / "deploy" / "kubernetes" / "student-config"
    if not (path / "jupyter_server_config.json").is_file():
        raise ValueError(f"{path}/jupyter_server_config.json is missing")
    return path


def kernelspec_path(root: Path) -> Path:
    """``deploy/jupyter``: the course's ``python3`` kernelspec (no debugpy), for JUPYTER_PATH."""
    path = Path(root) / "deploy" / "jupyter"
    if not (path / "kernels" / "python3" / "kernel.json").is_file():
        raise ValueError(f"{path}/kernels/python3/kernel.json is missing")
    return path


def bare_class_repo(root: Path, workdir: Path, branch: str = "class-edition") -> Path:
    """A bare copy of ``root``'s repository holding the class edition on ``branch``.

    The project's own repository is only read (``git clone --bare``); the branch is
    written in the copy.
    """
    from course_tools.classroom import write_class_edition_branch

    bare = Path(workdir) / "course.git"
    subprocess.run(["git", "clone", "-q", "--bare", "--no-hardlinks", str(root), str(bare)],
                   check=True, capture_output=True, timeout=120)
    env = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@localhost",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@localhost"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        write_class_edition_branch(bare, branch=branch)
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return bare


@dataclass
class StudentRun:
    """What one student's session measured."""

    name: str
    spawn_s: float = float("nan")
    pull_s: float = float("nan")
    run_s: float = float("nan")
    cells: int = 0
    errors: list = field(default_factory=list)
    uss_mb: float = float("nan")
    pss_mb: float = float("nan")
    rss_mb: float = float("nan")
    cpu_s: float = float("nan")


class Hub:
    """Start a loopback JupyterHub; drive users' servers through its proxy; stop it all."""

    def __init__(self, root: Path, workdir: Path | None = None, *, timeout_s: float = 120,
                 setup: str = "one-machine"):
        import requests

        self.setup = validate.choice("setup", setup, SETUPS)
        self.root = Path(root)
        self._tmp = tempfile.TemporaryDirectory(prefix="lupus-hub-") if workdir is None else None
        self.workdir = Path(workdir or self._tmp.name)
        self.timeout_s = float(timeout_s)
        self.port, self.hub_port, self.api_port = free_port(), free_port(), free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.token = secrets.token_hex(24)
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {self.token}"
        self.process: subprocess.Popen | None = None
        self._seen: set[int] = set()
        self.reconnects = 0

    # -- lifecycle -----------------------------------------------------------------------
    def config_text(self) -> str:
        """The jupyterhub_config.py of this throw-away hub."""
        bindir = Path(sys.executable).parent
        args = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        environment = self.environment()
        return f"""# Throw-away benchmark/test hub: loopback only, dummy login, one run.
c = get_config()  # noqa: F821
c.JupyterHub.ip = {LOOPBACK!r}
c.JupyterHub.port = {self.port}
c.JupyterHub.hub_ip = {LOOPBACK!r}
c.JupyterHub.hub_port = {self.hub_port}
c.ConfigurableHTTPProxy.api_url = "http://{LOOPBACK}:{self.api_port}"
c.ConfigurableHTTPProxy.command = [{str(proxy_command(self.root))!r}]
c.ConfigurableHTTPProxy.pid_file = {str(self.workdir / 'proxy.pid')!r}
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(self.workdir / 'home' / '{username}')!r}
c.Spawner.cmd = [{str(bindir / 'jupyterhub-singleuser')!r}]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = {int(self.timeout_s)}
c.Spawner.http_timeout = {int(self.timeout_s)}
c.Spawner.environment = {environment!r}
c.JupyterHub.db_url = "sqlite:///{self.workdir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(self.workdir / 'cookie_secret')!r}
c.JupyterHub.cleanup_servers = True
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.services = [{{"name": "classroom-bench", "api_token": {self.token!r}}}]
c.JupyterHub.load_roles = [{{"name": "classroom-bench", "services": ["classroom-bench"],
    "scopes": ["admin:users", "admin:servers", "access:servers", "list:users"]}}]
"""

    def environment(self) -> dict:
        """Every student server's environment: what the one-machine recipe sets.

        ``CLASS_ENVIRONMENT`` (the memory settings, shared with the recipes in ``deploy/``
        and checked against them by the tests), the course kernelspec from
        ``deploy/jupyter`` and, for ``setup="kubernetes"``, that recipe's server config;
        this venv on ``PATH``; ``setup="stock"`` leaves all three out.
        """
        env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "MPLBACKEND": "Agg"}
        if self.setup != "stock":
            env.update(CLASS_ENVIRONMENT)
            env["JUPYTER_PATH"] = str(kernelspec_path(self.root))
        if self.setup == "kubernetes":
            env["JUPYTER_CONFIG_PATH"] = str(student_config_path(self.root))
        return env

    def start(self) -> "Hub":
        """Start JupyterHub (and, through it, the proxy); wait until its API answers."""
        config = self.workdir / "jupyterhub_config.py"
        config.write_text(self.config_text())
        bindir = Path(sys.executable).parent
        env = dict(os.environ, PATH=f"{bindir}:{os.environ.get('PATH', '')}")
        log = open(self.workdir / "hub.log", "ab")
        self.process = subprocess.Popen([str(bindir / "jupyterhub"), "-f", str(config)],
                                        cwd=self.workdir, env=env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited early; see {self.workdir / 'hub.log'}:\n"
                                   + self.log_tail())
            try:
                if self.http.get(f"{self.url}/hub/api/", timeout=5).status_code == 200:
                    self._remember()
                    return self
            except Exception:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"jupyterhub did not answer within {self.timeout_s:.0f} s")

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the hub's log."""
        path = self.workdir / "hub.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def _remember(self) -> None:
        import psutil

        if self.process is None:
            return
        try:
            self._seen |= {p.pid for p in psutil.Process(self.process.pid).children(True)}
        except psutil.Error:
            pass

    def stop(self) -> None:
        """Stop the hub, the proxy, every user server and kernel this hub started."""
        import psutil

        if self.process is None:
            return
        self._remember()
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        leftovers = []
        for pid in self._seen:
            try:
                proc = psutil.Process(pid)
                proc.terminate()
                leftovers.append(proc)
            except psutil.Error:
                pass
        gone, alive = psutil.wait_procs(leftovers, timeout=10)
        for proc in alive:
            try:
                proc.kill()
            except psutil.Error:
                pass
        self.process = None
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> "Hub":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- one student -------------------------------------------------------------------
    def spawn(self, name: str) -> float:
        """Create user ``name``, start the server, wait until it is ready; return seconds."""
        t0 = time.monotonic()
        self.http.post(f"{self.url}/hub/api/users/{name}", timeout=30)
        reply = self.http.post(f"{self.url}/hub/api/users/{name}/server", timeout=60)
        if reply.status_code not in (201, 202):
            raise RuntimeError(f"spawn {name}: HTTP {reply.status_code} {reply.text[:200]}")
        deadline = t0 + self.timeout_s
        while time.monotonic() < deadline:
            model = self.http.get(f"{self.url}/hub/api/users/{name}", timeout=30).json()
            server = model.get("servers", {}).get("", {})
            if server.get("ready"):
                self._remember()
                return time.monotonic() - t0
            time.sleep(0.25)
        raise TimeoutError(f"server of {name} not ready in {self.timeout_s:.0f} s")

    def pull(self, name: str, repo: str, branch: str, target: str = "course") -> float:
        """Run nbgitpuller's pull for ``name`` through the hub; return seconds."""
        t0 = time.monotonic()
        reply = self.http.get(f"{self.url}/user/{name}/git-pull/api",
                              params={"repo": repo, "branch": branch, "targetpath": target},
                              stream=True, timeout=self.timeout_s)
        phase = None
        for line in reply.iter_lines(decode_unicode=True):
            if line and line.startswith("data: "):
                event = json.loads(line[6:])
                phase = event.get("phase", phase)
                if phase == "error":
                    raise RuntimeError(f"nbgitpuller for {name}: {event.get('message')}")
                if phase == "finished":
                    break
            if time.monotonic() - t0 > self.timeout_s:
                raise TimeoutError(f"nbgitpuller for {name} took over {self.timeout_s:.0f} s")
        if phase != "finished":
            raise RuntimeError(f"nbgitpuller for {name} ended without finishing ({phase})")
        return time.monotonic() - t0

    def run_notebook(self, name: str, path: str, cell_timeout_s: float = 300,
                     sample=None) -> tuple:
        """Execute every code cell of ``path`` on a new kernel of ``name``'s server.

        Returns ``(seconds, cells run, error names, sample())``: ``sample`` (if given) is
        called after the last cell, while the kernel is still alive; the kernel session is
        deleted after that.
        """
        api = f"{self.url}/user/{name}/api"
        nb = self.http.get(f"{api}/contents/{path}", timeout=60).json()["content"]
        session = self.http.post(f"{api}/sessions", timeout=60, json={
            "path": path, "type": "notebook", "name": Path(path).name,
            "kernel": {"name": "python3"}}).json()
        channel = _Channel(f"ws://{LOOPBACK}:{self.port}/user/{name}/api/kernels/"
                           f"{session['kernel']['id']}/channels", self.token, cell_timeout_s)
        errors, cells, t0 = [], 0, time.monotonic()
        try:
            for cell in nb["cells"]:
                if cell["cell_type"] != "code":
                    continue
                source = "".join(cell["source"]) if isinstance(cell["source"], list) \
                    else cell["source"]
                errors += channel.execute(name, source)
                cells += 1
            elapsed = time.monotonic() - t0
            sampled = sample() if sample is not None else None
        finally:
            channel.close()
            self.http.delete(f"{api}/sessions/{session['id']}", timeout=60)
        self.reconnects += channel.reconnects
        return elapsed, cells, errors, sampled

    def usage(self, name: str) -> tuple[float, float, float, float]:
        """(USS MB, PSS MB, RSS MB, CPU s) of ``name``'s server and kernels, now.

        USS counts the pages only these processes use; PSS adds an equal share of the
        pages they share with others (the libraries every student maps); RSS all pages.
        """
        import psutil

        uss = pss = rss = cpu = 0.0
        procs = psutil.Process(self.process.pid).children(recursive=True)
        self._seen |= {p.pid for p in procs}
        for proc in procs:
            try:
                if proc.environ().get("JUPYTERHUB_USER") != name:
                    continue
                info = proc.memory_full_info()
                times = proc.cpu_times()
            except psutil.Error:
                continue
            uss += info.uss / 2**20
            pss += getattr(info, "pss", math.nan) / 2**20
            rss += info.rss / 2**20
            cpu += times.user + times.system
        return uss, pss, rss, cpu

    def stop_server(self, name: str) -> None:
        """Stop ``name``'s single-user server (bounded wait)."""
        self.http.delete(f"{self.url}/hub/api/users/{name}/server", timeout=60)
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            model = self.http.get(f"{self.url}/hub/api/users/{name}", timeout=30).json()
            if not model.get("servers"):
                return
            time.sleep(0.25)


class _Channel:
    """A kernel's websocket through the hub; reconnects (bounded) with the same session id,
    so that jupyter_server replays the messages sent while the connection was down."""

    MAX_RECONNECTS = 5

    def __init__(self, url: str, token: str, timeout_s: float):
        self.url = f"{url}?session_id={uuid.uuid4().hex}"
        self.header = [f"Authorization: token {token}"]
        self.timeout_s = timeout_s
        self.reconnects = 0
        self.sock = self._connect()

    def _connect(self):
        import websocket

        return websocket.create_connection(self.url, timeout=self.timeout_s,
                                           header=self.header)

    def _recv(self) -> dict:
        import websocket

        while True:
            try:
                return json.loads(self.sock.recv())
            except (websocket.WebSocketConnectionClosedException, ConnectionError):
                if self.reconnects >= self.MAX_RECONNECTS:
                    raise
                self.reconnects += 1
                time.sleep(1)
                self.sock = self._connect()

    def execute(self, name: str, code: str) -> list:
        """Run ``code``; return the names of the errors it raised (bounded wait)."""
        msg_id, errors = uuid.uuid4().hex, []
        self.sock.send(json.dumps({
            "header": {"msg_id": msg_id, "username": name, "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False,
                        "stop_on_error": True}}))
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            msg = self._recv()
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg.get("msg_type") or msg["header"]["msg_type"]
            if kind == "error":
                errors.append(msg["content"].get("ename", "error"))
            if kind == "execute_reply":
                return errors
        raise TimeoutError(f"a cell did not finish within {self.timeout_s:.0f} s")

    def close(self) -> None:
        try:
            self.sock.close()
        except Exception:
            pass


def in_parallel(fn, items) -> list:
    """Run ``fn(item)`` for every item in its own thread; return results (or exceptions)."""
    results: list = [None] * len(items)

    def work(i, item):
        try:
            results[i] = fn(item)
        except Exception as err:  # reported by the caller
            results[i] = err

    threads = [threading.Thread(target=work, args=(i, it), daemon=True)
               for i, it in enumerate(items)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
