"""Katana fidelity: what the adapter got wrong against Katana's real API (issue 8).

Layer: tests/katana (no Qt). Each test pins one contradiction between the
adapter and the ``types-katana`` 5.0v5 stubs, on a stand-in that now
behaves as the real API does: an ``int`` frame for ``resolvePath`` (which
gives one frame's file; ``resolveAsset`` keeps a sequence's pattern),
``GetProjectFile()`` for the scene path, ``AttributeFile_In``, file widgets
hinted at node-type level, ``includeBypassed=False``. Registration order
and the Windows user folder have their own tests (``test_plugin.py``,
``test_install.py``).
"""

import pytest

from ciokatana.core.plan import plan_submission
from ciokatana.core.settings import Settings
from ciokatana.core.validation import NOTICE, WARNING, validate
from ciokatana.katana import scraper
from ciokatana.katana.scene import KatanaScene

import katana_scenes as ks

SETTINGS = Settings(project="P", instance_type="n2-standard-8")


def make(node_type, name, **values):
    from Katana import NodegraphAPI

    node = NodegraphAPI.CreateNode(node_type)
    node.setName(name)
    for path, value in values.items():
        node.getParameter(path).setValue(value, 0)
    return node


def findings(rule):
    plan = plan_submission(KatanaScene().snapshot(), SETTINGS)
    return [f for f in validate(plan) if f.rule == rule]


# -- asset ids: resolveAsset keeps a sequence's pattern, failures reported ------------------------

def test_every_frame_of_a_sequence_asset_id_is_uploaded(plugin, ksc, tmp_path):
    from Katana import NodegraphAPI

    asked = []

    def resolver(asset_id, frame):  # the asset system: a sequence is a pattern
        asked.append(frame)
        return str(tmp_path / "caches/cache.####.abc") if "cache" in asset_id else str(tmp_path / "hero.abc")

    ksc.set_asset_resolver(resolver)
    frames = ks.touch(tmp_path, "caches/cache.1001.abc", "caches/cache.1002.abc", "caches/cache.1003.abc")
    ks.touch(tmp_path, "hero.abc")
    NodegraphAPI.SetCurrentTime(1001.5)
    make("Alembic_In", "seq", abcAsset="mock:///show/cache/v2/####")
    make("Alembic_In", "single", abcAsset="mock:///show/hero/v1")
    result = scraper.scrape()
    assert result.paths == [str(tmp_path / "caches/cache.####.abc"), str(tmp_path / "hero.abc")]
    assert result.unresolved == []
    assert asked == [None, None]  # resolveAsset for both: no frame picked
    ks.render_node("beauty", location=str(tmp_path / "renders/b.####.exr"))
    ks.save(tmp_path / "shot.katana")
    [payload] = plan_submission(KatanaScene().snapshot(), SETTINGS).payloads
    assert [f for f in frames if f not in payload["upload_paths"]] == []  # all three, not frame 1002 alone
    assert str(tmp_path / "hero.abc") in payload["upload_paths"]


def test_an_asset_id_that_does_not_resolve_is_a_validation_finding(plugin, ksc, tmp_path):
    def resolver(asset_id, frame):
        if "missing" in asset_id:
            raise LookupError("no such asset in the database")
        return str(tmp_path / "ok.abc")

    ksc.set_asset_resolver(resolver)
    ks.touch(tmp_path, "ok.abc")
    make("Alembic_In", "good", abcAsset="mock:///show/ok/v1")
    make("Alembic_In", "bad", abcAsset="mock:///show/missing/v9")
    ks.render_node("beauty", location=str(tmp_path / "renders/b.####.exr"))
    ks.save(tmp_path / "shot.katana")
    [finding] = findings("unresolved_asset")
    assert finding.level == WARNING
    assert finding.where == "Parameter 'bad.abcAsset'"
    assert "mock:///show/missing/v9" in finding.message
    assert "no such asset in the database" in finding.message


def test_the_stand_in_resolves_as_katana_documents(ksc):
    from Katana import AssetAPI

    plugin = AssetAPI.GetDefaultAssetPlugin()
    with pytest.raises(TypeError):
        plugin.resolvePath("mock:///x", 1.0)  # the binding takes an int frame only
    assert plugin.resolvePath("mock:///x", 1) == "mock:///x"
    ksc.set_asset_resolver(lambda asset_id, frame: "/caches/cache.####.abc")
    # resolveAsset: what the asset references, a sequence as its pattern;
    # resolvePath: an asset id and frame pair, so one numbered file.
    assert plugin.resolveAsset("mock:///cache/v2", throwOnError=True) == "/caches/cache.####.abc"
    assert plugin.resolvePath("mock:///cache/v2", 1002, throwOnError=True) == "/caches/cache.1002.abc"


# -- the scene path ----------------------------------------------------------------------------

def test_a_project_opened_from_an_asset_id_submits_its_file(plugin, ksc, tmp_path):
    from Katana import KatanaFile, NodegraphAPI

    real = tmp_path / "shows" / "shot010_lighting_v3.katana"
    real.parent.mkdir()
    ks.render_node("beauty", location=str(tmp_path / "renders/b.####.exr"))
    ksc.set_asset_resolver(lambda asset_id, frame: str(real))
    KatanaFile.Save("mock:///show/shot010/lighting/v3")
    KatanaFile.Load("mock:///show/shot010/lighting/v3")
    assert NodegraphAPI.GetSourceFile() == "mock:///show/shot010/lighting/v3"
    ksc.set_asset_resolver(None)  # the asset system is gone; the project file is still known
    scene = KatanaScene()
    assert scene.katana_file() == str(real)
    assert scene.snapshot().scene_name == "shot010_lighting_v3"
    assert findings("unresolved_scene") == []


def test_a_scene_asset_id_that_does_not_resolve_stops_the_submission(plugin, monkeypatch):
    from Katana import FarmAPI, NodegraphAPI

    ks.render_node("beauty", location="/renders/b.####.exr")
    monkeypatch.setattr(NodegraphAPI, "GetProjectFile", lambda: "")
    monkeypatch.setattr(FarmAPI, "GetKatanaFileName", lambda: "mock:///show/shot010/lighting/v3")
    [finding] = findings("unresolved_scene")
    assert finding.level == "error" and "mock:///show/shot010/lighting/v3" in finding.message


# -- node types and hints ------------------------------------------------------------------------

def test_attribute_file_in_is_read(plugin, tmp_path):
    from Katana import NodegraphAPI

    node = make("AttributeFile_In", "attrs", filepath=str(tmp_path / "attrs/shot.xml"))
    assert node.getParameter("filepath").getHintString() == ""
    assert scraper.scrape().paths == [str(tmp_path / "attrs/shot.xml")]
    assert "AttributeJson_In" not in scraper.KNOWN_PARAMETERS
    with pytest.raises(ValueError):
        NodegraphAPI.CreateNode("AttributeJson_In")  # no such node type in Katana


def test_a_file_widget_hinted_only_at_node_type_level_is_found(plugin, tmp_path):
    node = make("CameraImagePlaneCreate", "plane", file=str(tmp_path / "plates/bg.####.exr"))
    assert node.getParameter("file").getHintString() == ""  # only addParameterHints knows
    assert "CameraImagePlaneCreate" not in scraper.KNOWN_PARAMETERS
    result = scraper.scrape()
    assert [(r.node, r.parameter, r.path) for r in result.references] == [
        ("plane", "file", str(tmp_path / "plates/bg.####.exr"))]


def test_a_node_type_whose_hint_lookup_raises_is_skipped_not_fatal(plugin, tmp_path, monkeypatch):
    node = make("CameraImagePlaneCreate", "plane", file=str(tmp_path / "bg.exr"))

    def broken(attrName, inputDict):
        raise RuntimeError("hint tables not loaded")

    monkeypatch.setattr(node, "addParameterHints", broken, raising=False)
    make("UsdIn", "set", fileName=str(tmp_path / "set.usda"))
    assert scraper.scrape().paths == [str(tmp_path / "set.usda")]


# -- bypassed Render nodes -------------------------------------------------------------------------

def test_a_bypassed_render_node_is_skipped_and_reported(plugin, tmp_path):
    ks.render_node("beauty", location=str(tmp_path / "renders/beauty.####.exr"))
    ks.render_node("old_pass", location=str(tmp_path / "renders/old.####.exr")).setBypassed(True)
    ks.save(tmp_path / "shot.katana")
    snapshot = KatanaScene().snapshot()
    assert [n.name for n in snapshot.nodes] == ["beauty"]
    plan = plan_submission(snapshot, SETTINGS)
    assert [j.name for j in plan.jobs] == ["beauty"]
    found = validate(plan)
    [skipped] = [f for f in found if f.rule == "bypassed_render_node"]
    assert skipped.level == NOTICE and skipped.where == "Render node 'old_pass'" and "skipped" in skipped.message
    assert not any("old_pass" in str(f) for f in found if f.level == "error")


def test_render_nodes_ask_farmapi_to_leave_bypassed_nodes_out(plugin, monkeypatch):
    from Katana import FarmAPI

    calls = []
    real = FarmAPI.GetSortedDependencies

    def spy(nodeOrNodes=None, includeBypassed=None):
        calls.append(includeBypassed)
        return real(nodeOrNodes, includeBypassed=bool(includeBypassed))

    monkeypatch.setattr(FarmAPI, "GetSortedDependencies", spy)
    ks.render_node("beauty", location="/renders/b.####.exr")
    KatanaScene().render_nodes()
    assert calls == [False]


# -- mypy ignores: only where the stubs are incomplete, each naming the missing stub ----------------

def test_every_type_ignore_names_the_missing_stub():
    import glob
    import os
    import re

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    files = glob.glob(os.path.join(root, "ciokatana", "katana", "*.py")) + [
        os.path.join(root, "ciokatana", "post_install.py"), os.path.join(root, "post_install.py")]
    found, unnamed = 0, []
    for path in files:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if "type: ignore" not in line:
                    continue
                found += 1
                named = re.search(r"# stubs incomplete: ([A-Za-z_][\w.-]*)", line)
                if not named or named.group(1) in ("as", "see", "same"):
                    unnamed.append("{}:{}: {}".format(os.path.relpath(path, root), number, line.strip()))
    assert found > 0
    assert unnamed == [], "each ignore must name the stub that is missing:\n" + "\n".join(unnamed)
