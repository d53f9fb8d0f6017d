"""FarmAPI: farm settings, menus and scope, dependencies and outputs, validity, plug-ins."""

import os
import sys
import textwrap

import pytest
from Katana import FarmAPI, KatanaFile, NodegraphAPI, Nodes3DAPI

ROD_BASE = "args.renderSettings.outputs."


def _set_arg(node, path, value):
    node.getParameter(path + ".value").setValue(value, 0)
    node.getParameter(path + ".enable").setValue(1, 0)


def _rod(name, location=None):
    rod = NodegraphAPI.CreateNode("RenderOutputDefine")
    _set_arg(rod, ROD_BASE + "outputName", name)
    if location is not None:
        _set_arg(rod, ROD_BASE + "locationType", "file")
        _set_arg(rod, ROD_BASE + "locationSettings.renderLocation", location)
    return rod


def _chain(*nodes):
    for up, down in zip(nodes, nodes[1:]):
        up.getOutputPorts()[0].connect(down.getInputPorts()[0])


def _depend(render, upstream):
    port = render.addInputPort("i%d" % render.getNumInputPorts())
    upstream.getOutputPorts()[0].connect(port)


# -- farm settings -----------------------------------------------------------

def test_builtin_farm_settings_defaults():
    render = NodegraphAPI.CreateNode("Render")
    fs = render.getParameter("farmSettings")
    assert [c.getName() for c in fs.getChildren()] == [
        "setActiveFrameRange", "activeFrameRange", "dependAll", "farmFileName",
        "forceFarmOutputGeneration", "excludeFromFarmOutputGeneration"]
    assert fs.getChild("setActiveFrameRange").getValue(0) == 0.0
    assert render.getParameter("farmSettings.activeFrameRange.start").getValue(0) == 1.0
    assert render.getParameter("farmSettings.activeFrameRange.end").getValue(0) == 100.0


def test_custom_settings_reach_existing_and_future_nodes():
    existing = [NodegraphAPI.CreateNode(t) for t in ("Render", "RenderScript", "ImageWrite")]
    merge = NodegraphAPI.CreateNode("Merge")
    FarmAPI.AddFarmSettingNumber("conductorOverrides", 0, hints={"widget": "checkBox"})
    FarmAPI.AddFarmSettingString(name="conductorFrameSpec", defaultValue="1-10")
    FarmAPI.AddFarmSettingStringArray("conductorExtraAssets", hints={"widget": "dynamicArray"})
    FarmAPI.AddFarmSettingNumberArray("conductorNumbers", 2)
    future = [NodegraphAPI.CreateNode(t) for t in ("Render", "RenderScript", "ImageWrite")]
    for node in existing + future:
        fs = node.getParameter("farmSettings")
        assert fs.getChild("conductorOverrides").getValue(0) == 0.0
        assert fs.getChild("conductorOverrides").getHintString() == repr({"widget": "checkBox"})
        assert fs.getChild("conductorFrameSpec").getValue(0) == "1-10"
        assert fs.getChild("conductorExtraAssets").getType() == "stringArray"
        assert fs.getChild("conductorExtraAssets").getNumChildren() == 0
        assert [c.getValue(0) for c in fs.getChild("conductorNumbers").getChildren()] == [0.0, 0.0]
    assert merge.getParameter("farmSettings") is None


def test_adding_the_same_setting_twice_does_not_duplicate():
    render = NodegraphAPI.CreateNode("Render")
    FarmAPI.AddFarmSettingString("x", "a")
    FarmAPI.AddFarmSettingString("x", "b")
    names = [c.getName() for c in render.getParameter("farmSettings").getChildren()]
    assert names.count("x") == 1
    assert NodegraphAPI.CreateNode("Render").getParameter("farmSettings.x").getValue(0) == "b"


# -- menus and scope ---------------------------------------------------------

def test_menu_registries_are_separate(ksc):
    util, popup = (lambda: None), (lambda: None)
    FarmAPI.AddFarmMenuOption("Conductor", util)
    FarmAPI.AddFarmPopupMenuOption("Conductor Submit", popup)
    assert ksc.farm_menu_options() == [("Conductor", util)]
    assert ksc.farm_popup_menu_options() == [("Conductor Submit", popup)]


def test_scope_simulation(ksc):
    a, b, c = (NodegraphAPI.CreateNode("Render") for _ in range(3))
    NodegraphAPI.CreateNode("Merge")
    NodegraphAPI.SetNodeSelected(b, True)
    NodegraphAPI.SetNodeSelected(c, True)
    NodegraphAPI.SetNodeSelected(NodegraphAPI.GetNode("Merge"), True)
    seen = []

    def handler():
        seen.append((FarmAPI.GetCurrentNode(), FarmAPI.GetSelectedNodes(), FarmAPI.GetNodeList()))
        return "done"

    FarmAPI.AddFarmPopupMenuOption("Submit", handler)
    FarmAPI.AddFarmMenuOption("Submit", handler)
    assert ksc.invoke_menu("Submit", scope="single", node=a) == "done"
    ksc.invoke_menu("Submit", scope="selected")
    ksc.invoke_menu("Submit", scope="all", menu="util")
    assert seen[0] == (a, [b, c], [a])
    assert seen[1] == (None, [b, c], [b, c])
    assert seen[2] == (None, [b, c], [a, b, c])
    assert FarmAPI.GetCurrentNode() is None
    with pytest.raises(KeyError):
        ksc.invoke_menu("Nope")
    with pytest.raises(ValueError):
        ksc.invoke_menu("Submit", scope="single")


def test_scope_constants():
    assert len({FarmAPI.NODES_SINGLE, FarmAPI.NODES_SELECTED, FarmAPI.NODES_ALL}) == 3


# -- dependencies and outputs -------------------------------------------------

def test_sorted_dependencies_order_and_attributes(ksc):
    comp, beauty, shadow = (NodegraphAPI.CreateNode("Render") for _ in range(3))
    comp.setName("comp")
    beauty.setName("beauty")
    shadow.setName("shadow")
    _depend(comp, beauty)
    _depend(beauty, shadow)
    _depend(comp, shadow)
    shadow.getParameter("farmSettings.dependAll").setValue(1, 0)
    result = FarmAPI.GetSortedDependencies(comp)
    assert [r.nodeName for r in result] == ["shadow", "beauty", "comp"]
    last = result[-1]
    assert isinstance(last, FarmAPI.NodeRenderSettings)
    assert last.getNodeType() == "Render"
    assert last.dependencies == ["beauty", "shadow"]
    assert result[0].dependAll is True and last.dependAll is False
    assert last.frameRange is None
    assert last.renderService == "prman"
    assert last.renderType == ""
    assert last.renderInternalDependencies is False
    assert last.customFarmSettings == {}
    assert last.renderScriptSettings is None
    for entry in result:
        for output in entry.outputs:
            assert set(output) == {"name", "enabled", "outputLocation", "tempRenderLocation"}


def test_sorted_dependencies_list_and_scope(ksc):
    a, b = NodegraphAPI.CreateNode("Render"), NodegraphAPI.CreateNode("Render")
    _depend(b, a)
    assert [r.nodeName for r in FarmAPI.GetSortedDependencies([b, a])] == ["Render", "Render1"]
    seen = []
    FarmAPI.AddFarmPopupMenuOption("deps", lambda: seen.append(FarmAPI.GetSortedDependencies()))
    ksc.invoke_menu("deps", scope="single", node=b)
    assert [r.nodeName for r in seen[0]] == ["Render", "Render1"]


def test_dependencies_found_through_dots():
    a, b = NodegraphAPI.CreateNode("Render"), NodegraphAPI.CreateNode("Render")
    dot = NodegraphAPI.CreateNode("Dot")
    a.getOutputPort("primary").connect(dot.getInputPort("input"))
    port = b.addInputPort("i1")
    dot.getOutputPort("output").connect(port)
    assert FarmAPI.GetSortedDependencies(b)[-1].dependencies == ["Render"]


def test_frame_range_and_custom_settings():
    FarmAPI.AddFarmSettingString("conductorFrameSpec", "1-5")
    render = NodegraphAPI.CreateNode("Render")
    render.getParameter("farmSettings.setActiveFrameRange").setValue(1, 0)
    render.getParameter("farmSettings.activeFrameRange.start").setValue(10, 0)
    render.getParameter("farmSettings.activeFrameRange.end").setValue(20, 0)
    entry = FarmAPI.GetSortedDependencies(render)[-1]
    assert entry.frameRange == (10.0, 20.0)
    assert entry.customFarmSettings == {"conductorFrameSpec": "1-5"}


def test_outputs_from_render_output_defines(ksc):
    render = NodegraphAPI.CreateNode("Render")
    alembic = NodegraphAPI.CreateNode("Alembic_In")
    beauty = _rod("beauty", "/renders/beauty.#.exr")
    local = _rod("diffuse")
    _chain(alembic, beauty, local, render)
    outputs = FarmAPI.GetSortedDependencies(render)[-1].outputs
    assert [o["name"] for o in outputs] == ["primary", "beauty", "diffuse"]
    by_name = {o["name"]: o for o in outputs}
    assert by_name["beauty"]["outputLocation"] == "/renders/beauty.#.exr"
    assert by_name["diffuse"]["outputLocation"].startswith(ksc.temp_dir() + os.sep)
    assert by_name["primary"]["outputLocation"] == os.path.join(ksc.temp_dir(), "Render_primary.#.exr")
    assert all(o["enabled"] is True and o["tempRenderLocation"] == "" for o in outputs)


def test_output_rules_enable_bypass_override_and_expressions():
    render = NodegraphAPI.CreateNode("Render")
    first = _rod("beauty", "/a/beauty.#.exr")
    second = _rod("beauty", "/b/beauty.#.exr")
    disabled = NodegraphAPI.CreateNode("RenderOutputDefine")
    disabled.getParameter(ROD_BASE + "outputName.value").setValue("ignored", 0)  # enable stays 0
    bypassed = _rod("bypassed", "/c/x.exr")
    bypassed.setBypassed(True)
    _chain(first, second, disabled, bypassed, render)
    second.getParameter(ROD_BASE + "locationSettings.renderLocation.value").setExpression(
        "'/shots/' + 'beauty.#.exr'")
    names = {o["name"]: o["outputLocation"] for o in FarmAPI.GetSortedDependencies(render)[-1].outputs}
    assert names == {"primary": names["primary"], "beauty": "/shots/beauty.#.exr"}


def test_outputs_found_through_groups():
    render = NodegraphAPI.CreateNode("Render")
    group = NodegraphAPI.CreateNode("Group")
    group.addOutputPort("out")
    rod = _rod("beauty", "/g/beauty.exr")
    rod.setParent(group)
    rod.getOutputPort("out").connect(group.getReturnPort("out"))
    group.getOutputPort("out").connect(render.getInputPort("input"))
    names = [o["name"] for o in FarmAPI.GetSortedDependencies(render)[-1].outputs]
    assert names == ["primary", "beauty"]


def test_render_service_from_render_settings(ksc):
    render = NodegraphAPI.CreateNode("Render")
    settings = NodegraphAPI.CreateNode("RenderSettings")
    _chain(settings, render)
    assert FarmAPI.GetSortedDependencies(render)[-1].renderService == "prman"
    _set_arg(settings, "args.renderSettings.renderer", "arnold")
    assert FarmAPI.GetSortedDependencies(render)[-1].renderService == "arnold"
    settings.delete()
    ksc.set_default_renderer("dl")
    assert FarmAPI.GetSortedDependencies(render)[-1].renderService == "dl"


def test_imagewrite_and_renderscript_entries():
    iw = NodegraphAPI.CreateNode("ImageWrite")
    iw.getParameter("inputs.input.file").setValue("/comp/out.####.exr", 0)
    iw.addInputPort("extra")
    iw.getParameter("inputs.extra.file").setValue("/comp/extra.exr", 0)
    entry = FarmAPI.GetSortedDependencies(iw)[-1]
    assert entry.getNodeType() == "ImageWrite"
    assert [o["outputLocation"] for o in entry.outputs][0] == "/comp/out.####.exr"
    rs = NodegraphAPI.CreateNode("RenderScript")
    entry = FarmAPI.GetSortedDependencies(rs)[-1]
    assert entry.renderScriptSettings is not None
    import xml.etree.ElementTree as ET

    layer = ET.Element("layer")
    entry.renderScriptSettings.appendXML(layer)
    assert layer.find("renderScript") is not None


def test_dependency_list_dict_form():
    a, b = NodegraphAPI.CreateNode("Render"), NodegraphAPI.CreateNode("Render")
    _depend(b, a)
    rows = FarmAPI.GetSortedDependencyList([b])
    assert [r["name"] for r in rows] == ["Render", "Render1"]
    assert rows[1]["deps"] == ["Render"] and rows[1]["dependAll"] == "No" and rows[1]["range"] is None


def test_render_node_util(ksc):
    render = NodegraphAPI.CreateNode("Render")
    _chain(_rod("beauty", "/r/beauty.exr"), render)
    util = Nodes3DAPI.RenderNodeUtil
    assert util.GetNumRenderOutputs(render) == 2
    assert util.GetRenderOutputLocation(render, 1) == "/r/beauty.exr"
    util.SyncOutputPorts(render)
    assert [p.getName() for p in render.getOutputPorts()] == ["primary", "beauty"]
    util.SyncAllOutputPorts()
    assert render.getNumOutputPorts() == 2


# -- scene information and validity -------------------------------------------------

def test_scene_frame_range(ksc):
    assert FarmAPI.GetSceneFrameRange() == {"start": 1.0, "end": 100.0}
    ksc.set_scene_frame_range(1001, 1050)
    assert FarmAPI.GetSceneFrameRange() == {"start": 1001.0, "end": 1050.0}
    assert NodegraphAPI.CreateNode("Render").getParameter(
        "farmSettings.activeFrameRange.end").getValue(0) == 1050.0
    assert KatanaFile.IsFileDirty() is True  # the node creation, not the range


def test_is_scene_valid_and_messages(ksc):
    assert FarmAPI.IsSceneValid(FarmAPI.NODES_ALL) is False
    assert FarmAPI.GetErrorMessages()
    render = NodegraphAPI.CreateNode("Render")
    assert FarmAPI.IsSceneValid(FarmAPI.NODES_ALL) is True
    assert FarmAPI.GetErrorMessages() == [] and FarmAPI.GetWarningMessages() == []
    render.setName("bad_name")
    assert FarmAPI.IsSceneValid(nodeScope=FarmAPI.NODES_ALL, unwantedSymbols=["_"]) is False
    ksc.inject_validity_messages(errors=["injected error"], warnings=["injected warning"])
    render.setName("good")
    assert FarmAPI.IsSceneValid(FarmAPI.NODES_ALL) is False
    assert FarmAPI.GetErrorMessages() == ["injected error"]
    assert FarmAPI.GetWarningMessages() == ["injected warning"]
    ksc.clear_validity_messages()
    FarmAPI.AddErrorMessage("mine")
    FarmAPI.AddWarningMessage("careful")
    assert FarmAPI.GetErrorMessages() == ["mine"] and FarmAPI.GetWarningMessages() == ["careful"]


def test_is_scene_valid_reports_cycles():
    a, b = NodegraphAPI.CreateNode("Render"), NodegraphAPI.CreateNode("Render")
    _depend(a, b)
    _depend(b, a)
    assert FarmAPI.IsSceneValid(FarmAPI.NODES_ALL) is False
    assert any("Circular" in m for m in FarmAPI.GetErrorMessages())
    assert len(FarmAPI.GetSortedDependencies(a)) == 2


# -- render-farm plug-in names -------------------------------------------------

def test_added_settings_and_menus_can_be_listed():
    FarmAPI.AddFarmSettingString("conductorFrameSpec", defaultValue="1-10", hints={"help": "frames"})
    FarmAPI.AddFarmSettingStringArray("conductorExtraAssets", 3)
    settings = FarmAPI.GetAddedFarmSettings()
    assert [s.getName() for s in settings] == ["conductorFrameSpec", "conductorExtraAssets"]
    assert settings[0].getType() == FarmAPI.FarmSetting.STRING
    assert settings[0].getValue() == "1-10"
    assert settings[0].getHints() == {"help": "frames"}
    assert settings[1].getSize() == 3
    assert settings[1].getQualifiedName() == "farmSettings.conductorExtraAssets"
    handler = lambda: None  # noqa: E731
    FarmAPI.AddFarmMenuOption("Conductor", handler)
    FarmAPI.AddFarmPopupMenuOption("Conductor", handler)
    assert FarmAPI.GetFarmMenuOptions() == [("Conductor", handler)]
    assert FarmAPI.GetFarmPopupMenuOptions() == [("Conductor", handler)]
    render = NodegraphAPI.CreateNode("Render")
    assert FarmAPI.ExtractFarmSettingsFromNode(render) == {"conductorFrameSpec": "1-10", "conductorExtraAssets": ["", "", ""]}


def test_bypassed_nodes_get_no_entry_unless_asked():
    a, b = NodegraphAPI.CreateNode("Render"), NodegraphAPI.CreateNode("Render")
    b.setBypassed(True)
    assert [e.nodeName for e in FarmAPI.GetSortedDependencies([a, b])] == ["Render"]
    assert [e.nodeName for e in FarmAPI.GetSortedDependencies([a, b], includeBypassed=True)] == ["Render", "Render1"]


def test_farm_plugin_classes_follow_the_stubs(ksc, tmp_path):
    assert issubclass(FarmAPI.JobNotFoundException, FarmAPI.FarmPluginException)
    err = FarmAPI.JobNotFoundException("42", "getJobState")
    assert err.jobId == "42" and "42" in str(err)
    assert set(FarmAPI.Job.State.kAllStates) == {
        FarmAPI.Job.State.kWaiting, FarmAPI.Job.State.kRunning, FarmAPI.Job.State.kCompleted,
        FarmAPI.Job.State.kFailed, FarmAPI.Job.State.kCancelled}
    job = FarmAPI.Job("42", "beauty", 0, 0, FarmAPI.Job.State.kRunning, "/tmp/log")
    assert (job.jobId, job.state) == ("42", FarmAPI.Job.State.kRunning)
    meta = FarmAPI.BaseFarmPlugin.InstallationMetadata("/opt/katana", ["/opt/prman"])
    assert (meta.katanaRoot, meta.renderbootCommand) == ("/opt/katana", None)
    assert not hasattr(FarmAPI, "JobRequest") and not hasattr(FarmAPI, "InstallationMetadata")
    assert not hasattr(FarmAPI.FarmPluginManager, "RegisterPlugin")

    (tmp_path / "Plugins").mkdir()
    (tmp_path / "Plugins" / "RecordingFarm.py").write_text(textwrap.dedent('''
        from Katana import FarmAPI

        class RecordingFarm(FarmAPI.BaseFarmPlugin):
            requests = []

            def getEnvironmentForJob(self, renderContextName):
                return {"CONTEXT": renderContextName}

            def submitJob(self, jobRequest):
                self.requests.append(jobRequest)
                return "job-%d" % len(self.requests)

        PluginRegistry = [("FarmPlugin", 2.0, "RecordingFarm", RecordingFarm)]
    '''))
    try:
        ksc.load_plugins(str(tmp_path))
        manager = FarmAPI.FarmPluginManager
        assert manager.GetFarmPluginNames() == ["RecordingFarm"]
        assert manager.GetDefaultFarm() == "RecordingFarm"
        render = NodegraphAPI.CreateNode("Render")
        render.getParameter("farmSettings.setActiveFrameRange").setValue(1, 0)
        render.getParameter("farmSettings.activeFrameRange.end").setValue(3, 0)
        context = manager.CreateRenderContextName()
        assert manager.SubmitJob("Render", context, "/remote/tmp", ["katana --batch"]) == "job-1"
        request = sys.modules["RecordingFarm"].RecordingFarm.requests[-1]
        assert isinstance(request, manager.JobRequest)
        assert (request.nodeName, request.frames, request.tempDir) == ("Render", [1, 2, 3], "/remote/tmp")
        assert request.environment == {"CONTEXT": context}
        with pytest.raises(NotImplementedError):
            manager.GetJobs()
        with pytest.raises(manager.FarmPluginManagerException):
            manager.GetJobs(farm="NoSuchFarm")
    finally:
        sys.modules.pop("RecordingFarm", None)


def test_load_plugins_and_startup(ksc, tmp_path):
    (tmp_path / "Plugins").mkdir()
    (tmp_path / "Plugins" / "StandinFarm.py").write_text(textwrap.dedent('''
        from Katana import FarmAPI

        class P(FarmAPI.BaseFarmPlugin):
            pass

        FarmAPI.AddFarmMenuOption("From plugin", lambda: None)
        PluginRegistry = [("FarmPlugin", 2.0, "StandinFarm", P)]
    '''))
    (tmp_path / "Startup").mkdir()
    (tmp_path / "Startup" / "init.py").write_text(textwrap.dedent('''
        from Katana import Callbacks, FarmAPI

        def onStartup(**kwargs):
            FarmAPI.AddFarmPopupMenuOption("From startup", lambda: None)

        Callbacks.addCallback(Callbacks.Type.onStartup, onStartup)
    '''))
    try:
        ksc.load_plugins(str(tmp_path))
        assert ksc.run_startup(str(tmp_path)) is True
        ksc.fire_startup()
        assert FarmAPI.FarmPluginManager.GetFarmPluginNames() == ["StandinFarm"]
        assert [label for label, _ in ksc.farm_menu_options()] == ["From plugin"]
        assert [label for label, _ in ksc.farm_popup_menu_options()] == ["From startup"]
        assert ksc.plugin_load_errors() == []
    finally:
        sys.modules.pop("StandinFarm", None)
