"""KatanaFile: save/load round trip, dirty state, New, Import, file names."""

import json

import pytest
from Katana import Callbacks, FarmAPI, KatanaFile, NodegraphAPI


def _scene():
    render = NodegraphAPI.CreateNode("Render")
    render.setName("beauty")
    alembic = NodegraphAPI.CreateNode("Alembic_In")
    alembic.getParameter("abcAsset").setValue("/assets/a.abc", 0)
    rod = NodegraphAPI.CreateNode("RenderOutputDefine")
    alembic.getOutputPort("out").connect(rod.getInputPort("input"))
    rod.getOutputPort("out").connect(render.getInputPort("input"))
    note = render.getParameters().createChildString("note", "")
    note.setExpression("@beauty + '_note'")
    note.setHintString(repr({"widget": "assetIdInput"}))
    arr = render.getParameters().createChildNumberArray("res", 2)
    arr.setTupleSize(2)
    arr.getChild("i1").setValue(1080, 0)
    group = NodegraphAPI.CreateNode("Group")
    group.addInputPort("in")
    inner = NodegraphAPI.CreateNode("Merge", group)
    group.getSendPort("in").connect(inner.getInputPort("i0"))
    alembic.setBypassed(True)
    NodegraphAPI.SetNodeSelected(render, True)
    NodegraphAPI.SetNodePosition(render, (5, 6))
    return render


def test_round_trip_restores_everything(tmp_path):
    _scene()
    path = str(tmp_path / "scene.katana")
    KatanaFile.Save(path)
    KatanaFile.New()
    assert NodegraphAPI.GetNode("beauty") is None
    KatanaFile.Load(path)

    render = NodegraphAPI.GetNode("beauty")
    assert render.getType() == "Render"
    assert render.getParameter("passName").getValue(0) == "beauty"
    note = render.getParameter("note")
    assert note.isExpression() and note.getValue(0) == "beauty_note"
    assert note.getHintString() == repr({"widget": "assetIdInput"})
    assert render.getParameter("res").getTupleSize() == 2
    assert render.getParameter("res.i1").getValue(0) == 1080.0
    alembic = NodegraphAPI.GetNode("Alembic_In")
    assert alembic.getParameter("abcAsset").getValue(0) == "/assets/a.abc"
    assert alembic.isBypassed()
    rod = NodegraphAPI.GetNode("RenderOutputDefine")
    assert render.getInputPort("input").getConnectedPorts() == [rod.getOutputPort("out")]
    assert rod.getInputPort("input").getConnectedPorts() == [alembic.getOutputPort("out")]
    group = NodegraphAPI.GetNode("Group")
    inner = NodegraphAPI.GetNode("Merge")
    assert inner.getParent() is group
    assert group.getSendPort("in").getConnectedPorts() == [inner.getInputPort("i0")]
    assert NodegraphAPI.GetAllSelectedNodes() == [render]
    assert NodegraphAPI.GetNodePosition(render) == (5, 6)
    assert KatanaFile.IsFileDirty() is False


def test_file_is_json_in_the_standin_format(tmp_path):
    _scene()
    path = tmp_path / "scene.katana"
    KatanaFile.Save(str(path))
    data = json.loads(path.read_text())
    assert data["format"] == "katana-standin-project"
    assert {n["name"] for n in data["nodes"]} >= {"beauty", "Alembic_In", "Group", "Merge"}


def test_load_rejects_foreign_files(tmp_path):
    path = tmp_path / "x.katana"
    path.write_text("{}")
    with pytest.raises(ValueError):
        KatanaFile.Load(str(path))


def test_file_names(tmp_path):
    assert NodegraphAPI.GetSourceFile() == ""
    assert FarmAPI.GetKatanaFileName() == ""
    path = str(tmp_path / "a.katana")
    KatanaFile.Save(path)
    assert NodegraphAPI.GetSourceFile() == path
    assert FarmAPI.GetKatanaFileName() == path
    KatanaFile.New()
    assert NodegraphAPI.GetSourceFile() == ""
    KatanaFile.Load(path)
    assert FarmAPI.GetKatanaFileName() == path


@pytest.mark.parametrize("change", [
    "create", "delete", "rename", "set_value", "expression", "connect", "bypass", "add_port",
    "create_param", "delete_param", "hint", "position", "reparent",
])
def test_dirty_flips_on_changes_and_clears_on_save(tmp_path, change):
    render = NodegraphAPI.CreateNode("Render")
    merge = NodegraphAPI.CreateNode("Merge")
    group = NodegraphAPI.CreateNode("Group")
    extra = render.getParameters().createChildString("extra", "")
    KatanaFile.Save(str(tmp_path / "s.katana"))
    assert KatanaFile.IsFileDirty() is False
    {
        "create": lambda: NodegraphAPI.CreateNode("Dot"),
        "delete": lambda: merge.delete(),
        "rename": lambda: merge.setName("m"),
        "set_value": lambda: render.getParameter("farmSettings.dependAll").setValue(1, 0),
        "expression": lambda: extra.setExpression("'x'"),
        "connect": lambda: merge.getOutputPort("out").connect(render.getInputPort("input")),
        "bypass": lambda: merge.setBypassed(True),
        "add_port": lambda: render.addInputPort("i1"),
        "create_param": lambda: render.getParameters().createChildNumber("n", 1),
        "delete_param": lambda: render.getParameters().deleteChild(extra),
        "hint": lambda: extra.setHintString("{}"),
        "position": lambda: NodegraphAPI.SetNodePosition(merge, (1, 1)),
        "reparent": lambda: merge.setParent(group),
    }[change]()
    assert KatanaFile.IsFileDirty() is True
    KatanaFile.Save(str(tmp_path / "s.katana"))
    assert KatanaFile.IsFileDirty() is False


def test_selection_does_not_dirty_and_load_new_clear(tmp_path):
    render = NodegraphAPI.CreateNode("Render")
    path = str(tmp_path / "s.katana")
    KatanaFile.Save(path)
    NodegraphAPI.SetNodeSelected(render, True)
    NodegraphAPI.SetNodeEdited(render, True)
    assert KatanaFile.IsFileDirty() is False
    NodegraphAPI.CreateNode("Merge")
    assert KatanaFile.IsFileDirty() is True
    KatanaFile.Load(path)
    assert KatanaFile.IsFileDirty() is False
    NodegraphAPI.CreateNode("Merge")
    KatanaFile.New()
    assert KatanaFile.IsFileDirty() is False


def test_fresh_session_is_clean():
    assert KatanaFile.IsFileDirty() is False


def test_scene_callbacks(tmp_path):
    seen = []

    def record(name):
        return lambda **kw: seen.append((name, kw.get("filename"), "objectHash" in kw))

    cbs = {t: record(t) for t in ("onSceneSave", "onSceneAboutToLoad", "onSceneLoad", "onNewScene")}
    for t, fn in cbs.items():
        Callbacks.addCallback(getattr(Callbacks.Type, t), fn)
    path = str(tmp_path / "s.katana")
    KatanaFile.Save(path)
    KatanaFile.Load(path)
    KatanaFile.New()
    assert seen == [
        ("onSceneSave", path, True),
        ("onSceneAboutToLoad", path, True),
        ("onSceneLoad", path, True),
        ("onNewScene", None, True),
    ]


def test_farm_settings_added_to_loaded_nodes(tmp_path):
    NodegraphAPI.CreateNode("Render")
    path = str(tmp_path / "s.katana")
    KatanaFile.Save(path)
    FarmAPI.AddFarmSettingString("conductorProject", "default")
    KatanaFile.Load(path)
    p = NodegraphAPI.GetNode("Render").getParameter("farmSettings.conductorProject")
    assert p is not None and p.getValue(0) == "default"


def test_import_renames_and_retargets(tmp_path):
    render = NodegraphAPI.CreateNode("Render")
    s = render.getParameters().createChildString("self", "")
    s.setExpression("@Render")
    path = str(tmp_path / "s.katana")
    KatanaFile.Save(path)
    group = NodegraphAPI.CreateNode("Group")
    top = KatanaFile.Import(path, parentNode=group)
    assert [n.getName() for n in top] == ["Render1"]
    assert top[0].getParent() is group
    assert top[0].getParameter("self").getValue(0) == "Render1"
    assert top[0].getParameter("passName").getValue(0) == "Render1"
    assert render.getParameter("self").getValue(0) == "Render"
    assert KatanaFile.IsFileDirty() is True


def test_load_queues_load_end_but_no_create_events(ksc, tmp_path):
    NodegraphAPI.CreateNode("Render")
    path = str(tmp_path / "s.katana")
    KatanaFile.Save(path)
    created = []
    Callbacks.addCallback(Callbacks.Type.onNodeCreate, lambda **kw: created.append(kw["node"]))
    from Katana import Utils

    Utils.EventModule.ProcessAllEvents()
    KatanaFile.Load(path)
    assert created == []
    assert [e[0] for e in ksc.pending_events()] == ["nodegraph_loadEnd"]


def test_current_time_does_not_dirty():
    NodegraphAPI.SetCurrentTime(50)
    assert KatanaFile.IsFileDirty() is False
