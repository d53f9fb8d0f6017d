"""Issue 15 item 1: software from the command line and by name in scene files.

Names resolve through ciocore's package list (here the sandbox's), exactly
as the dialog's Software section resolves a choice: ``ConductorData.package``.
"""

import json
import os

import pytest

from ciokatana.core import conductor
from ciokatana.core.settings import Package, Settings
from ciokatana.sandbox import catalog
from ciokatana.standalone.cli import main

from conftest_paths import EXAMPLES

SHOT = os.path.join(EXAMPLES, "shot010.json")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_software_scene(tmp_path):
    """shot010 with no software in its settings (and its Katana file absolute)."""
    with open(SHOT, encoding="utf-8") as handle:
        data = json.load(handle)
    data["settings"].pop("software")
    data["katana_file"] = os.path.join(EXAMPLES, data["katana_file"])
    data["assets"] = []
    data["settings"]["extra_assets"] = []
    path = tmp_path / "no_software.json"
    path.write_text(json.dumps(data))
    return str(path)


def catalog_ids():
    return {(p["product"], p["major_version"], p["minor_version"]): p["package_id"] for p in catalog.packages()}


def test_without_software_validation_refuses(capsys, no_software_scene):
    code, out, _ = run(capsys, "validate", "--scene", no_software_scene)
    assert code == 1 and "Katana version" in out


def test_software_flags_resolve_ids_and_environments_through_the_package_list(capsys, no_software_scene, ciocore_sandbox):
    code, out, err = run(capsys, "preview", "--scene", no_software_scene, "--node", "beauty",
                         "--software", "katana 7.0v4 linux", "--renderer", "renderman-katana 26.3 linux")
    assert code == 0, err
    (payload,) = json.loads(out)
    data = conductor.fetch(force=True)
    host = data.package("katana 7.0v4 linux")
    plugin = data.package("katana 7.0v4 linux/renderman-katana 26.3 linux")
    assert payload["software_package_ids"] == [host.package_id, plugin.package_id]
    assert payload["software_package_ids"][0] == catalog_ids()[("katana", "7", "0v4")]
    for package in (host, plugin):
        for var in package.environment:
            assert var["name"] in payload["environment"]


def test_resolution_is_the_dialogs_rule(ciocore_sandbox):
    """--software replaces Katana and keeps renderers built for it, as choosing in the dialog does."""
    data = conductor.fetch(force=True)
    stored = Settings(software=[data.package("katana 7.0v4 linux"), data.package("katana 7.0v4 linux/arnold-katana 4.4.0.0 linux")])
    same_major = conductor.resolve_software(stored, data, katana="katana 7.0v4 linux")
    assert [p.path for p in same_major.software] == ["katana 7.0v4 linux", "katana 7.0v4 linux/arnold-katana 4.4.0.0 linux"]
    other = conductor.resolve_software(stored, data, katana="katana 8.0v2 linux")
    # Katana 8.0v2 offers arnold-katana 4.4.0.0 too: the renderer is kept, built for the new Katana
    assert [p.path for p in other.software] == ["katana 8.0v2 linux", "katana 8.0v2 linux/arnold-katana 4.4.0.0 linux"]
    assert other.software[0] == data.package("katana 8.0v2 linux")
    assert other.software[1] == data.package("katana 8.0v2 linux/arnold-katana 4.4.0.0 linux")


def test_short_names_resolve_when_they_name_one_package(ciocore_sandbox):
    data = conductor.fetch(force=True)
    settings = conductor.resolve_software(Settings(), data, katana="Katana 7.0v4", renderers=["renderman-katana 26.1"])
    assert [p.path for p in settings.software] == ["katana 7.0v4 linux", "katana 7.0v4 linux/renderman-katana 26.1 linux"]


@pytest.mark.parametrize("argv,message", [
    (["--software", "katana 7.1"], "Katana version 'katana 7.1' is not offered by Conductor (closest: 'katana 7.0v4 linux'"),
    (["--software", "katana 7.0v4 linux", "--renderer", "renderman 26"], "closest: 'renderman-katana 26.3 linux'"),
    (["--renderer", "renderman-katana 26.3 linux"], "needs a Katana version"),
    (["--software", "katana 7.0v4 linux", "--renderer", "renderman-katana 24.4 linux"], "Renderer plugin for katana 7.0v4 linux"),
])
def test_unknown_names_are_one_line_with_the_closest_matches(capsys, no_software_scene, ciocore_sandbox, argv, message):
    code, out, err = run(capsys, "preview", "--scene", no_software_scene, *argv)
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1, err


def test_ambiguous_names_list_what_they_match():
    with pytest.raises(conductor.SoftwareError, match="ambiguous: it matches 'katana 7.0v4 linux', 'katana 7.0v4 windows'"):
        conductor._match("katana 7.0v4", ["katana 7.0v4 linux", "katana 7.0v4 windows"], "Katana version")
    assert conductor._match("katana 7.0v4", ["katana 7.0v4 linux", "katana 7.0v4 windows"], "Katana version",
                            preferred=["katana 7.0v4 windows"]) == "katana 7.0v4 windows"


def test_names_in_the_scene_files_settings_need_no_package_ids(capsys, tmp_path, ciocore_sandbox):
    with open(SHOT, encoding="utf-8") as handle:
        data = json.load(handle)
    data["settings"]["software"] = ["katana 7.0v4 linux", "renderman-katana 26.3 linux"]
    data["katana_file"] = os.path.join(EXAMPLES, data["katana_file"])
    path = tmp_path / "named.json"
    path.write_text(json.dumps(data))
    code, out, err = run(capsys, "preview", "--scene", str(path), "--node", "beauty")
    assert code == 0, err
    with open(SHOT, encoding="utf-8") as handle:
        stored = json.load(handle)["settings"]["software"]
    assert json.loads(out)[0]["software_package_ids"] == [p["package_id"] for p in stored]


def test_names_without_a_connection_say_what_is_missing(capsys, no_software_scene, monkeypatch):
    monkeypatch.delenv("CONDUCTOR_API_KEY", raising=False)
    monkeypatch.setattr(conductor, "check_credentials", lambda: (_ for _ in ()).throw(conductor.ConductorError("no Conductor credentials")))
    code, _out, err = run(capsys, "preview", "--scene", no_software_scene, "--software", "katana 7.0v4 linux")
    assert code == 2 and "need Conductor's package list" in err and "--sandbox" in err


def test_settings_read_names_as_packages_to_resolve():
    settings = Settings.from_dict({"software": ["katana 7.0v4 linux", {"path": "x", "package_id": "1"}]})
    assert settings.software[0] == Package(path="katana 7.0v4 linux") and not settings.software[0].package_id


@pytest.mark.parametrize("what,expected", [
    ("projects", ["Episode 104", "Lumen Trailer", "Previs", "default"]),
])
def test_list_projects_json_with_the_sandbox(capsys, what, expected):
    code, out, err = run(capsys, "list", what, "--json", "--sandbox")
    assert code == 0 and json.loads(out) == expected and "sandbox" in err


def test_list_instance_types_and_software_with_the_sandbox(capsys):
    code, out, _ = run(capsys, "list", "instance-types", "--json", "--sandbox")
    names = [row["name"] for row in json.loads(out)]
    assert code == 0 and set(names) == {it["name"] for it in catalog.instance_types()}
    assert [r["gpu"] for r in json.loads(out)].index(True) > 0  # CPU machines first
    code, out, _ = run(capsys, "list", "software", "--sandbox")
    lines = out.splitlines()
    assert code == 0 and "katana 7.0v4 linux" in lines and "    renderman-katana 26.3 linux" in lines
    code, out, _ = run(capsys, "list", "software", "--json", "--sandbox")
    rows = {r["name"]: r["renderers"] for r in json.loads(out)}
    assert "renderman-katana 26.3 linux" in rows["katana 7.0v4 linux"]


def test_list_without_credentials_is_one_line(capsys, monkeypatch):
    monkeypatch.setattr(conductor, "check_credentials", lambda: (_ for _ in ()).throw(conductor.ConductorError("no Conductor credentials")))
    code, out, err = run(capsys, "list", "projects")
    assert code == 2 and out == "" and "--sandbox" in err and len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_submit_with_software_to_the_sandbox_on_a_scene_without_software(capsys, no_software_scene):
    code, out, err = run(capsys, "submit", "--scene", no_software_scene, "--node", "beauty", "--frames", "1001-1002",
                         "--software", "katana 7.0v4 linux", "--sandbox")
    assert code == 0, out + err
    assert "OK " in out and "job 00001" in out


# -- review: no choice misreported or silently dropped ----------------------

def named_scene(tmp_path, software):
    with open(SHOT, encoding="utf-8") as handle:
        data = json.load(handle)
    data["settings"]["software"] = software
    data["katana_file"] = os.path.join(EXAMPLES, data["katana_file"])
    path = tmp_path / "named.json"
    path.write_text(json.dumps(data))
    return str(path)


@pytest.mark.parametrize("software,message", [
    (["katana 7.0v9 linux", "renderman-katana 26.3 linux"],
     "Katana version (settings.software) 'katana 7.0v9 linux' is not offered by Conductor (closest: 'katana 7.0v4 linux'"),
    (["katana 7.0v4 linux", "katana 8.0v2 linux"], "settings.software names 2 Katana versions"),
])
def test_scene_software_names_are_never_misreported_or_dropped(capsys, tmp_path, ciocore_sandbox, software, message):
    code, out, err = run(capsys, "preview", "--scene", named_scene(tmp_path, software))
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1, err


def test_a_new_katana_keeps_the_scenes_renderer_when_it_offers_it(capsys, ciocore_sandbox):
    """shot010 renders with renderman-katana 26.3 on Katana 7.0v4; 8.0v2 offers 26.3 too."""
    code, out, err = run(capsys, "preview", "--scene", SHOT, "--node", "beauty", "--software", "katana 8.0v2")
    assert code == 0, err
    data = conductor.fetch(force=True)
    assert json.loads(out)[0]["software_package_ids"] == [
        data.package("katana 8.0v2 linux").package_id,
        data.package("katana 8.0v2 linux/renderman-katana 26.3 linux").package_id]


def test_a_new_katana_without_the_scenes_renderer_says_so(ciocore_sandbox):
    data = conductor.fetch(force=True)
    stored = Settings(software=[data.package("katana 7.0v4 linux"),
                                data.package("katana 7.0v4 linux/3delight-katana 2.9.54 linux")])
    with pytest.raises(conductor.SoftwareError, match=r"katana 8.0v2 linux offers no .3delight-katana 2.9.54 linux."):
        conductor.resolve_software(stored, data, katana="katana 8.0v2 linux")


@pytest.mark.parametrize("argv,message", [
    (["--software", ""], "--software is empty"),
    (["--software", "katana 7.0v4 linux", "--renderer", ""], "--renderer is empty"),
    (["--software", "katana 7.0v4 linux", "--renderer", "renderman-katana 26.3 linux",
      "--renderer", "renderman-katana 26.1 linux"], "renderer plugin 'renderman-katana' is chosen twice"),
    (["--software", "katana 7.0v4 linux", "--renderer", "arnold-katana 4.4.0.0 linux",
      "--renderer", "arnold-katana 4.4.0.0 linux"], "renderer plugin 'arnold-katana' is chosen twice"),
    (["--software", "katana 7.0v4 linux", "--renderer", "renderman"],
     "'renderman' is ambiguous: it matches 'renderman-katana 26.3 linux', 'renderman-katana 26.1 linux'"),
])
def test_empty_doubled_and_ambiguous_flags_are_refused(capsys, no_software_scene, ciocore_sandbox, argv, message):
    code, out, err = run(capsys, "preview", "--scene", no_software_scene, *argv)
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1, err


def test_a_plugin_named_by_its_first_part_resolves_when_it_is_one(ciocore_sandbox):
    data = conductor.fetch(force=True)
    settings = conductor.resolve_software(Settings(), data, katana="katana 7.0v4 linux", renderers=["3delight"])
    assert [p.path for p in settings.software] == ["katana 7.0v4 linux", "katana 7.0v4 linux/3delight-katana 2.9.54 linux"]


def test_a_mock_replay_never_looks_software_up(capsys, tmp_path, monkeypatch):
    """A replay submits nothing: names in the scene need no credentials or --sandbox."""
    def no_fetch(*_args, **_kwargs):
        raise AssertionError("a replay asked Conductor for its package list")

    monkeypatch.setattr(conductor, "fetch", no_fetch)
    monkeypatch.setattr(conductor, "check_credentials", no_fetch)
    mock = os.path.join(os.path.dirname(EXAMPLES), "scripts", "mock_submission.json")
    code, out, err = run(capsys, "submit", "--scene", named_scene(tmp_path, ["katana 7.0v4 linux", "renderman-katana 26.3 linux"]),
                         "--mock", mock)
    assert code == 0, out + err
    assert "--sandbox" not in err and "OK " in out
