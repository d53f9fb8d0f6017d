"""The sandbox's account data, read through ciocore's real api_client and data modules."""

import jwt
import pytest
from ciocore import api_client

from ciokatana.core import ciocompat
from ciokatana.sandbox import catalog


def test_projects_lists_only_active(ciocore_sandbox):
    projects = api_client.request_projects()
    assert "default" in projects
    assert "Archive 2022" not in projects
    assert len(projects) == 4


def test_instance_types_have_cpu_and_gpu(ciocore_sandbox):
    types = api_client.request_instance_types()
    gpus = [t for t in types if t["gpu"]]
    cpus = [t for t in types if not t["gpu"]]
    assert cpus and gpus
    for it in types:
        assert {"name", "description", "cores", "memory", "operating_system", "cloud"} <= set(it)
    assert gpus[0]["gpu"]["gpu_count"] >= 1
    assert "gpu_model" in gpus[0]["gpu"]


def test_data_builds_katana_tree_with_renderers(ciocore_sandbox):
    data = ciocompat.fetch_data("katana")
    assert data["projects"] == sorted(api_client.request_projects())
    assert data["instance_types"].labels() == ["CPU", "GPU"]
    assert data["extra_environment"] == []

    tree = data["software"]
    hosts = tree.supported_host_names()
    assert hosts == ["katana 4.5v1 linux", "katana 5.0v5 linux", "katana 6.0v3 linux",
                     "katana 7.0v4 linux", "katana 8.0v2 linux"]
    plugins = {p["plugin"] for p in tree.supported_plugins("katana 7.0v4 linux")}
    assert plugins == {"renderman-katana", "arnold-katana", "3delight-katana", "redshift-katana"}
    paths = tree.to_path_list()
    assert "katana 6.0v3 linux/renderman-katana 26.1 linux" in paths
    # Only Katana and its plugins: other products on the endpoint are left out.
    assert not [p for p in paths if "maya" in p or "houdini" in p]

    host = tree.find_by_path("katana 6.0v3 linux")
    plugin = tree.find_by_path("katana 6.0v3 linux/arnold-katana 4.3.1.0 linux")
    env = ciocompat.PackageEnvironment(host)
    env.extend(plugin)
    env = dict(env)
    assert env["DEFAULT_RENDERER"] == "arnold"
    assert "ktoa" in env["KATANA_RESOURCES"]
    assert env["PATH"].startswith("/opt/foundry/katana/katana6.0v3")


def test_plugins_link_to_host_major_version():
    pkgs = catalog.packages()
    by_id = {p["package_id"]: p for p in pkgs}
    assert len(by_id) == len(pkgs), "package ids must be unique"
    for pkg in pkgs:
        if pkg["plugin_host_product"] == "katana":
            assert pkg["plugin_hosts"], pkg["package"]
            for host_id in pkg["plugin_hosts"]:
                host = by_id[host_id]
                assert host["major_version"] == pkg["plugin_host_version"]
                assert pkg["package_id"] in host["plugins"]
        for var in pkg["environment"]:
            assert var["merge_policy"] in ("append", "prepend", "exclusive")


@pytest.mark.parametrize("route", ["ciocore", "fallback"])
def test_extra_environment_and_account(ciocore_sandbox, route, monkeypatch):
    if route == "fallback":  # what ciocore 7.0.2 (Python 3.7) gets
        monkeypatch.delattr(api_client, "request_extra_environment", raising=False)
    ciocore_sandbox.catalog.extra_env.append(
        {"name": "STUDIO_ROOT", "value": "/studio", "merge_policy": "exclusive"})
    assert ciocompat.request_extra_environment() == [
        {"name": "STUDIO_ROOT", "value": "/studio", "merge_policy": "exclusive"}]
    token = api_client.read_conductor_credentials(True)
    assert api_client.account_name_from_jwt(token) == catalog.ACCOUNT_NAME


def test_token_is_what_ciocore_expects(ciocore_sandbox, tmp_path):
    token = api_client.read_conductor_credentials(True)
    # verify_aud too: pyjwt 1.7 (ciocore 7.0.2) checks the audience unless told not to.
    claims = jwt.decode(token, algorithms=["HS256"], options={"verify_signature": False, "verify_aud": False})
    assert claims["aud"].rpartition("/")[-1] == "127.0.0.1:%d" % ciocore_sandbox.port
    assert claims["account"] == catalog.ACCOUNT_ID
    # ciocore cached it in the throw-away home, nowhere else.
    creds = tmp_path / "home" / ".config" / "conductor" / "api_key_credentials"
    assert creds.is_file()
    assert api_client.creds_same_domain({"access_token": token})
