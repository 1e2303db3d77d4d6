"""JupyterHub for one class on one Linux machine (systemd), Lupus & MSC course.

What it sets up
---------------
* **Login**: NativeAuthenticator. Students sign up with a user name and password on the
  hub's sign-up page; nobody can log in until the instructor authorises the account at
  ``/hub/authorize`` (open sign-up is off).  For a university machine where students
  already have Unix accounts, use PAM instead (see ``AUTHENTICATOR`` below): then every
  student must exist as a system user, and SystemdSpawner runs each as that user.  Debian
  and Ubuntu create homes readable by everyone: ``chmod 700 /home/*`` (and set
  ``HOME_MODE 0700`` in /etc/login.defs) so students cannot read each other's work.
* **Servers**: SystemdSpawner runs every student's server as its own transient systemd
  unit with a per-user memory and CPU limit (cgroups).  With ``dynamic_users`` each student
  gets a private system user and a home under ``/var/lib/private`` that other students
  cannot read.  LocalProcessSpawner, JupyterHub's default, *cannot* enforce any of this:
  it ignores ``mem_limit`` and ``cpu_limit``, and it needs a system account per student.
* **Environment**: every student runs ``/opt/lupus/venv``, which holds the course package
  (``requirements.txt``), nbgitpuller and nbgrader (``requirements-instructor.txt``), so an
  nbgitpuller link and nbgrader's assignment list work.
* **Hidden tests** stay in the instructor's course root (``COURSE_ROOT``, mode 0700, owned
  by the instructor); students only see released assignments through the nbgrader
  exchange folder, which the spawner makes writable for them.

Install (as root, once)::

    python3 -m venv /opt/lupus/venv
    /opt/lupus/venv/bin/pip install -r requirements.txt -r requirements-instructor.txt
    (cd deploy && npm ci) && ln -s "$PWD/deploy/node_modules/.bin/configurable-http-proxy" \
        /usr/local/bin/configurable-http-proxy
    install -d -m 0755 /srv/nbgrader/exchange /etc/jupyterhub
    install -D -m 0644 deploy/jupyter/kernels/python3/kernel.json \
        /opt/lupus/jupyter/kernels/python3/kernel.json
    cp deploy/one-machine/jupyterhub_config.py /etc/jupyterhub/
    LUPUS_HUB_HOSTNAME=hub.example.org /opt/lupus/venv/bin/jupyterhub \
        -f /etc/jupyterhub/jupyterhub_config.py

Memory and CPU per student come from ``benchmarks/bench_classroom.py`` (see
INSTRUCTORS.md, "Capacity"), which starts every student server with this file's
environment: about 250 MB (USS) for a server with one live kernel after a run-all of
notebook 05, the heaviest; the limit leaves room for a second open notebook.  Two settings
keep that number down (each measured, see CHANGELOG.md):

* the course kernelspec (``deploy/jupyter``, found through ``JUPYTER_PATH``): ipykernel's
  own one, without importing debugpy (about 14 MB per kernel).  The cost: JupyterLab's
  visual debugger is off; ``%debug`` and ``breakpoint()`` still work.  To get it back,
  drop ``JUPYTER_PATH`` below.
* glibc malloc settings (``MALLOC_ARENA_MAX``, ``MALLOC_TRIM_THRESHOLD_``; see
  ``man mallopt``): fewer per-thread arenas and a fixed trim threshold.

nbgrader's server extensions (the *Assignments* panel students fetch and submit with)
cost about 20 MB per student server; the Kubernetes recipe, which has no exchange, turns
them off.
"""
import os

c = get_config()  # noqa: F821 (provided by JupyterHub)

VENV = os.environ.get("LUPUS_VENV", "/opt/lupus/venv")
HOSTNAME = os.environ.get("LUPUS_HUB_HOSTNAME", "")
INSTRUCTORS = {n for n in os.environ.get("LUPUS_INSTRUCTORS", "instructor").split(",") if n}
COURSE_ROOT = os.environ.get("LUPUS_COURSE_ROOT", "/home/instructor/course")
EXCHANGE = "/srv/nbgrader/exchange"
AUTHENTICATOR = os.environ.get("LUPUS_AUTHENTICATOR", "native")  # or "pam"

# -- network: HTTPS on the machine's public name ------------------------------------------
if not HOSTNAME:
    raise SystemExit("set LUPUS_HUB_HOSTNAME to the machine's public name "
                     "(its TLS certificate is read from /etc/letsencrypt/live/<name>/)")
c.JupyterHub.bind_url = "https://0.0.0.0:443"
c.JupyterHub.ssl_cert = f"/etc/letsencrypt/live/{HOSTNAME}/fullchain.pem"
c.JupyterHub.ssl_key = f"/etc/letsencrypt/live/{HOSTNAME}/privkey.pem"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = "sqlite:////srv/jupyterhub/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "/srv/jupyterhub/jupyterhub_cookie_secret"

# -- login ------------------------------------------------------------------------------
if AUTHENTICATOR == "pam":
    # Students are Unix accounts of this machine; use SystemdSpawner without dynamic users.
    c.JupyterHub.authenticator_class = "pam"
    c.SystemdSpawner.dynamic_users = False
else:
    c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
    c.NativeAuthenticator.open_signup = False  # the instructor authorises each account
    c.NativeAuthenticator.minimum_password_length = 10
    c.NativeAuthenticator.check_common_password = True
    c.NativeAuthenticator.allowed_failed_logins = 5
    c.NativeAuthenticator.seconds_before_next_try = 300
    c.SystemdSpawner.dynamic_users = True
c.Authenticator.admin_users = INSTRUCTORS
c.Authenticator.allow_all = True  # every *authorised* account may start a server

# -- one systemd unit per student, with limits ---------------------------------------------
c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
c.SystemdSpawner.mem_limit = "1G"        # hard limit (cgroup MemoryMax)
c.SystemdSpawner.cpu_limit = 1.0         # at most one core per student (CPUQuota=100%)
c.SystemdSpawner.isolate_tmp = True      # private /tmp
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True
c.SystemdSpawner.readwrite_paths = [EXCHANGE]
c.SystemdSpawner.unit_extra_properties = {"RestrictNamespaces": "yes",
                                          "ProtectSystem": "strict"}
c.SystemdSpawner.cmd = [f"{VENV}/bin/jupyterhub-singleuser"]
c.SystemdSpawner.environment = {"PATH": f"{VENV}/bin:/usr/bin:/bin",
                                "NBGRADER_EXCHANGE": EXCHANGE,
                                # the course kernelspec (installed above): no debugpy
                                "JUPYTER_PATH": "/opt/lupus/jupyter",
                                # glibc malloc: at most two arenas, fixed trim threshold
                                "MALLOC_ARENA_MAX": "2",
                                "MALLOC_TRIM_THRESHOLD_": "131072"}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.JupyterHub.concurrent_spawn_limit = 20  # a class logging in at once queues, not crashes

# The course root with the hidden tests must not be readable by students.
if os.path.isdir(COURSE_ROOT) and os.stat(COURSE_ROOT).st_mode & 0o077:
    raise SystemExit(f"{COURSE_ROOT} is readable by other users: chmod 700 it "
                     "(it holds the hidden tests)")
