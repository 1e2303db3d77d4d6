"""The two hub recipes in deploy/: Zero to JupyterHub values and the one-machine config.

The Kubernetes values are merged over the chart's own values.yaml and validated against
its values.schema.yaml (both copied from jupyterhub/zero-to-jupyterhub-k8s, BSD-3-Clause,
in tests/fixtures/z2jh/), as helm does before rendering.  Not checked here: rendering the
templates and running them on a cluster.
"""
import copy
import re
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT

jsonschema = pytest.importorskip("jsonschema")
Z2JH = FIXTURES / "z2jh"
VALUES = ROOT / "deploy" / "kubernetes" / "config.yaml"
ONE_MACHINE = ROOT / "deploy" / "one-machine" / "jupyterhub_config.py"


def merged(user: dict) -> dict:
    def merge(base, over):
        for key, value in over.items():
            if isinstance(value, dict) and isinstance(base.get(key), dict):
                merge(base[key], value)
            else:
                base[key] = value
        return base

    chart = yaml.safe_load((Z2JH / "values.yaml").read_text())
    return merge(copy.deepcopy(chart), user)


def errors(values: dict) -> list[str]:
    schema = yaml.safe_load((Z2JH / "values.schema.yaml").read_text())
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(values)]


def test_kubernetes_values_pass_the_chart_schema():
    user = yaml.safe_load(VALUES.read_text())
    assert errors(merged(user)) == []


def test_the_schema_check_can_fail():
    user = yaml.safe_load(VALUES.read_text())
    user["singleuser"]["memmory"] = {"limit": "1G"}
    assert any("memmory" in e for e in errors(merged(user)))


def _bytes(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([KMG])i?", text).groups()
    return float(number) * {"K": 2**10, "M": 2**20, "G": 2**30}[unit]


def test_kubernetes_resources_image_and_class_edition_link():
    from course_tools.classroom import DEFAULT_BRANCH
    from course_tools.launch import repository_url

    REPOSITORY = repository_url(ROOT)

    user = yaml.safe_load(VALUES.read_text())
    single = user["singleuser"]
    guarantee, limit = _bytes(single["memory"]["guarantee"]), _bytes(single["memory"]["limit"])
    assert 230 * 2**20 <= guarantee < limit, \
        "guarantee covers the measured 230 MB USS (bench_classroom.py --setup kubernetes)"
    assert single["image"]["name"] and single["image"]["tag"] != "latest"
    hook = single["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert hook[:3] == ["gitpuller", REPOSITORY, DEFAULT_BRANCH]
    text = VALUES.read_text()
    assert f"branch={DEFAULT_BRANCH}" in text and "dummy" not in text.lower()
    assert user["hub"]["config"]["JupyterHub"]["authenticator_class"].startswith(
        "nativeauthenticator")


def _load_one_machine(monkeypatch, **env):
    from traitlets.config.loader import PyFileConfigLoader

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return PyFileConfigLoader(ONE_MACHINE.name, path=str(ONE_MACHINE.parent)).load_config()


def test_one_machine_config_uses_real_login_limits_and_existing_options(monkeypatch, tmp_path):
    pytest.importorskip("systemdspawner")
    pytest.importorskip("nativeauthenticator")
    from jupyterhub.app import JupyterHub
    from jupyterhub.auth import Authenticator
    from jupyterhub.spawner import Spawner
    from nativeauthenticator import NativeAuthenticator
    from systemdspawner import SystemdSpawner

    course = tmp_path / "course"
    course.mkdir(mode=0o700)
    config = _load_one_machine(monkeypatch, LUPUS_HUB_HOSTNAME="hub.example.org",
                               LUPUS_COURSE_ROOT=str(course))
    assert config.JupyterHub.authenticator_class == "nativeauthenticator.NativeAuthenticator"
    assert config.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert config.NativeAuthenticator.open_signup is False
    assert config.SystemdSpawner.mem_limit == "1G" and config.SystemdSpawner.cpu_limit == 1.0
    assert config.SystemdSpawner.dynamic_users is True
    for section, cls in [("JupyterHub", JupyterHub), ("Spawner", Spawner),
                         ("Authenticator", Authenticator),
                         ("NativeAuthenticator", NativeAuthenticator),
                         ("SystemdSpawner", SystemdSpawner)]:
        unknown = set(config[section]) - set(cls.class_trait_names())
        assert not unknown, f"{section} has no option(s) {unknown}"
    text = ONE_MACHINE.read_text()
    assert "dummy" not in text.lower() and "api_token" not in text


def test_one_machine_config_refuses_a_readable_course_root_or_no_hostname(monkeypatch,
                                                                          tmp_path):
    course = tmp_path / "course"
    course.mkdir(mode=0o755)
    course.chmod(0o755)
    with pytest.raises(SystemExit, match="chmod 700"):
        _load_one_machine(monkeypatch, LUPUS_HUB_HOSTNAME="hub.example.org",
                          LUPUS_COURSE_ROOT=str(course))
    monkeypatch.delenv("LUPUS_HUB_HOSTNAME")
    with pytest.raises(SystemExit, match="LUPUS_HUB_HOSTNAME"):
        _load_one_machine(monkeypatch)


# -- memory per student: the same settings in both recipes and in the benchmark's hub ------

KERNELSPEC = ROOT / "deploy" / "jupyter" / "kernels" / "python3" / "kernel.json"
STUDENT_CONFIG = ROOT / "deploy" / "kubernetes" / "student-config" / "jupyter_server_config.json"


def test_kubernetes_mounts_the_course_kernelspec_and_student_config_it_points_to():
    import json

    from course_tools.hub_harness import CLASS_ENVIRONMENT

    single = yaml.safe_load(VALUES.read_text())["singleuser"]
    env, files = single["extraEnv"], single["extraFiles"]
    assert CLASS_ENVIRONMENT.items() <= env.items()
    kernel, config = files["course-kernelspec"], files["student-server-config"]
    assert kernel["data"] == json.loads(KERNELSPEC.read_text())
    assert config["data"] == json.loads(STUDENT_CONFIG.read_text())
    assert kernel["mountPath"] == env["JUPYTER_PATH"] + "/kernels/python3/kernel.json"
    assert config["mountPath"] == env["JUPYTER_CONFIG_PATH"] + "/jupyter_server_config.json"


def test_one_machine_students_get_the_course_kernelspec_and_malloc_settings(monkeypatch,
                                                                            tmp_path):
    from course_tools.hub_harness import CLASS_ENVIRONMENT

    course = tmp_path / "course"
    course.mkdir(mode=0o700)
    config = _load_one_machine(monkeypatch, LUPUS_HUB_HOSTNAME="hub.example.org",
                               LUPUS_COURSE_ROOT=str(course))
    env = config.SystemdSpawner.environment
    assert CLASS_ENVIRONMENT.items() <= env.items()
    installed = env["JUPYTER_PATH"] + "/kernels/python3/kernel.json"
    assert f"deploy/jupyter/kernels/python3/kernel.json \\\n        {installed}" in \
        ONE_MACHINE.read_text(), "the install steps put the kernelspec where JUPYTER_PATH looks"


def test_student_config_turns_off_every_nbgrader_server_extension_installed():
    import json
    import sys

    pytest.importorskip("nbgrader")
    enabled = {}
    for path in (Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.d").glob("*.json"):
        enabled.update(json.loads(path.read_text())["ServerApp"]["jpserver_extensions"])
    nbgrader = {name for name in enabled if name.startswith("nbgrader.")}
    off = json.loads(STUDENT_CONFIG.read_text())["ServerApp"]["jpserver_extensions"]
    assert nbgrader and off == dict.fromkeys(nbgrader, False)


def test_course_kernelspec_runs_code_without_debugpy(monkeypatch):
    import json

    from jupyter_client.manager import start_new_kernel

    spec = json.loads(KERNELSPEC.read_text())
    assert spec["metadata"]["debugger"] is False  # JupyterLab hides its debugger panel
    monkeypatch.setenv("JUPYTER_PATH", str(KERNELSPEC.parents[2]))
    seen = []
    manager, client = start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        assert Path(manager.kernel_spec.resource_dir) == KERNELSPEC.parent
        reply = client.execute_interactive(
            "import sys; print(sorted(m for m, mod in sys.modules.items() if mod is not None "
            "and m.startswith(('debugpy', 'pydevd', '_pydevd'))), 6 * 7)", timeout=60,
            output_hook=seen.append)
        assert reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    printed = "".join(m["content"].get("text", "") for m in seen if m["msg_type"] == "stream")
    assert printed.strip() == "[] 42"
