"""Node graph: root, creation, names, lookups, deletion, selection, hierarchy, ports."""

import pytest
from Katana import NodegraphAPI

EXPECTED_PARAMS = {
    "Alembic_In": ["abcAsset", "name"],
    "UsdIn": ["fileName"],
    "ImageRead": ["file"],
    "LookFileAssign": ["args.lookfile.asset.value", "args.lookfile.asset.enable"],
    "LookFileGlobalsAssign": ["args.lookfile.asset.value", "args.lookfile.asset.enable"],
    "LookFileMaterialsIn": ["lookfile"],
    "LiveGroup": ["source"],
    "ScenegraphXml_In": ["asset"],
    "AttributeFile_In": ["filepath", "sofilepath", "groupName", "CEL"],
    "RenderOutputDefine": [
        "args.renderSettings.outputs.outputName.value",
        "args.renderSettings.outputs.outputName.enable",
        "args.renderSettings.outputs.locationType.value",
        "args.renderSettings.outputs.locationType.enable",
        "args.renderSettings.outputs.locationSettings.renderLocation.value",
        "args.renderSettings.outputs.locationSettings.renderLocation.enable",
    ],
    "PrmanShadingNode": ["parameters"],
    "ArnoldShadingNode": ["parameters"],
    "VrayShadingNode": ["parameters"],
    "Render": [
        "passName",
        "farmSettings.setActiveFrameRange",
        "farmSettings.activeFrameRange.start",
        "farmSettings.activeFrameRange.end",
        "farmSettings.dependAll",
        "farmSettings.farmFileName",
        "farmSettings.forceFarmOutputGeneration",
        "farmSettings.excludeFromFarmOutputGeneration",
    ],
    "RenderScript": ["farmSettings.farmFileName"],
    "ImageWrite": ["farmSettings.farmFileName", "inputs.input.file"],
    "OpScript": ["script.lua"],
    "Group": [],
    "Merge": [],
    "RenderSettings": ["args.renderSettings.renderer.value", "args.renderSettings.renderer.enable"],
}


def test_root_node():
    root = NodegraphAPI.GetRootNode()
    assert root.getName() == "rootNode"
    assert root.getParent() is None
    assert NodegraphAPI.GetNode("rootNode") is root
    assert isinstance(root, NodegraphAPI.GroupNode)
    assert root.getChildren() == []


@pytest.mark.parametrize("nodeType", sorted(EXPECTED_PARAMS))
def test_builtin_types_have_their_parameters(nodeType):
    node = NodegraphAPI.CreateNode(nodeType, NodegraphAPI.GetRootNode())
    assert node.getType() == nodeType
    assert node.getParent() is NodegraphAPI.GetRootNode()
    for path in EXPECTED_PARAMS[nodeType]:
        assert node.getParameter(path) is not None, path


def test_args_params_are_value_enable_pairs():
    lfa = NodegraphAPI.CreateNode("LookFileAssign")
    assert lfa.getParameter("args.lookfile.asset.value").getValue(0) == ""
    assert lfa.getParameter("args.lookfile.asset.enable").getValue(0) == 0.0


def test_shading_node_parameters_group_takes_test_args():
    shader = NodegraphAPI.CreateNode("PrmanShadingNode")
    group = shader.getParameter("parameters").createChildGroup("filename")
    group.createChildString("value", "/tex/a.tx")
    group.createChildNumber("enable", 1)
    assert shader.getParameter("parameters.filename.value").getValue(0) == "/tex/a.tx"
    assert shader.getParameter("parameters.filename.enable").getValue(0) == 1.0


def test_unknown_type_raises_value_error():
    with pytest.raises(ValueError):
        NodegraphAPI.CreateNode("NoSuchType")


def test_unique_names_on_create_and_set_name():
    a = NodegraphAPI.CreateNode("Render")
    b = NodegraphAPI.CreateNode("Render")
    c = NodegraphAPI.CreateNode("Render")
    assert [a.getName(), b.getName(), c.getName()] == ["Render", "Render1", "Render2"]
    assert c.setName("Render") == "Render3"
    assert c.getName() == "Render3"
    assert c.setName("beauty") == "beauty"
    assert b.setName("beauty") == "beauty1"
    assert a.setName("my pass!") == "my_pass_"
    assert NodegraphAPI.GetNode("beauty1") is b
    assert NodegraphAPI.GetNode("Render1") is None


def test_freed_numbers_are_reused():
    NodegraphAPI.CreateNode("Merge")
    m1 = NodegraphAPI.CreateNode("Merge")
    NodegraphAPI.CreateNode("Merge")
    m1.delete()
    assert NodegraphAPI.CreateNode("Merge").getName() == "Merge1"


def test_get_node_missing_returns_none():
    assert NodegraphAPI.GetNode("nothing") is None


def test_delete_removes_from_every_lookup():
    render = NodegraphAPI.CreateNode("Render")
    other = NodegraphAPI.CreateNode("Render")
    NodegraphAPI.SetNodeSelected(render, True)
    NodegraphAPI.SetNodeEdited(render, True)
    render.delete()
    assert NodegraphAPI.GetNode("Render") is None
    assert NodegraphAPI.GetAllNodesByType("Render") == [other]
    assert render not in NodegraphAPI.GetAllNodes()
    assert render not in NodegraphAPI.GetAllSelectedNodes()
    assert render not in NodegraphAPI.GetAllEditedNodes()
    assert render not in NodegraphAPI.GetRootNode().getChildren()
    assert render in NodegraphAPI.GetAllNodesByType("Render", includeDeleted=True)


def test_delete_group_deletes_children():
    group = NodegraphAPI.CreateNode("Group")
    inner = NodegraphAPI.CreateNode("Render", group)
    group.delete()
    assert NodegraphAPI.GetNode(inner.getName()) is None
    assert NodegraphAPI.GetAllNodesByType("Render") == []


def test_root_cannot_be_deleted():
    with pytest.raises(RuntimeError):
        NodegraphAPI.GetRootNode().delete()


def test_get_all_nodes_by_type_order_and_sorting():
    b = NodegraphAPI.CreateNode("Render")
    b.setName("b")
    a = NodegraphAPI.CreateNode("Render")
    a.setName("a")
    NodegraphAPI.CreateNode("Merge")
    assert NodegraphAPI.GetAllNodesByType("Render") == [b, a]
    assert NodegraphAPI.GetAllNodesByType("Render", sortByName=True) == [a, b]
    assert NodegraphAPI.GetAllNodesByType("Nothing") == []
    assert NodegraphAPI.GetRootNode() in NodegraphAPI.GetAllNodes()


def test_selection_functions():
    a = NodegraphAPI.CreateNode("Render")
    b = NodegraphAPI.CreateNode("Render")
    assert NodegraphAPI.GetAllSelectedNodes() == []
    NodegraphAPI.SetNodeSelected(b, True)
    NodegraphAPI.SetNodeSelected(a, True)
    assert NodegraphAPI.GetAllSelectedNodes() == [b, a]
    assert NodegraphAPI.IsNodeSelected(a)
    NodegraphAPI.SetNodeSelected(b, False)
    assert NodegraphAPI.GetAllSelectedNodes() == [a]
    NodegraphAPI.SetAllSelectedNodes([b])
    assert NodegraphAPI.GetAllSelectedNodes() == [b]
    assert not NodegraphAPI.IsNodeSelected(a)


def test_edited_flags_and_positions():
    a = NodegraphAPI.CreateNode("Render")
    b = NodegraphAPI.CreateNode("Render")
    NodegraphAPI.SetNodeEdited(a, True)
    NodegraphAPI.SetNodeEdited(b, True, exclusive=True)
    assert NodegraphAPI.GetAllEditedNodes() == [b]
    assert NodegraphAPI.IsNodeEdited(b) and not NodegraphAPI.IsNodeEdited(a)
    assert NodegraphAPI.GetNodePosition(a) == (0, 0)
    NodegraphAPI.SetNodePosition(a, (10, -20))
    assert NodegraphAPI.GetNodePosition(a) == (10, -20)


def test_parent_and_children():
    group = NodegraphAPI.CreateNode("Group")
    inner = NodegraphAPI.CreateNode("Merge", group)
    assert inner.getParent() is group
    assert group.getChildren() == [inner]
    inner.setParent(NodegraphAPI.GetRootNode())
    assert group.getChildren() == []
    assert inner in NodegraphAPI.GetRootNode().getChildren()
    with pytest.raises(ValueError):
        group.setParent(group)
    with pytest.raises(TypeError):
        NodegraphAPI.CreateNode("Merge", inner)


def test_render_ports_and_dependency_inputs():
    render = NodegraphAPI.CreateNode("Render")
    assert render.getInputPortByIndex(0).getName() == "input"
    assert render.getInputPort("input") is render.getInputPorts()[0]
    assert render.getInputPortByIndex(5) is None
    assert render.getInputPort("nope") is None
    port = render.addInputPort("i1")
    assert port.getName() == "i1" and port.getNode() is render
    assert [p.getName() for p in render.getInputPorts()] == ["input", "i1"]
    other = NodegraphAPI.CreateNode("Render")
    other.getOutputPorts()[0].connect(port)
    assert port.getConnectedPorts() == [other.getOutputPorts()[0]]
    assert port.getNumConnectedPorts() == 1
    assert other.getOutputPorts()[0].getConnectedPorts() == [port]
    port.disconnect(other.getOutputPorts()[0])
    assert port.getNumConnectedPorts() == 0
    render.removeInputPort("i1")
    assert render.getNumInputPorts() == 1
    with pytest.raises(ValueError):
        render.removeInputPort("input")


def test_input_port_takes_one_connection():
    a = NodegraphAPI.CreateNode("Alembic_In")
    b = NodegraphAPI.CreateNode("Alembic_In")
    merge = NodegraphAPI.CreateNode("Merge")
    a.getOutputPort("out").connect(merge.getInputPort("i0"))
    merge.getInputPort("i0").connect(b.getOutputPort("out"))
    assert merge.getInputPort("i0").getConnectedPorts() == [b.getOutputPort("out")]
    assert a.getOutputPort("out").getConnectedPorts() == []
    with pytest.raises(ValueError):
        a.getOutputPort("out").connect(b.getOutputPort("out"))


def test_group_send_and_return_ports():
    group = NodegraphAPI.CreateNode("Group")
    group.addInputPort("in")
    group.addOutputPort("out")
    inner = NodegraphAPI.CreateNode("Merge", group)
    group.getSendPort("in").connect(inner.getInputPort("i0"))
    inner.getOutputPort("out").connect(group.getReturnPort("out"))
    assert group.getSendPort("in").getConnectedPorts() == [inner.getInputPort("i0")]
    assert group.getReturnPort("out").getConnectedPorts() == [inner.getOutputPort("out")]
    assert group.getSendPort("nope") is None


def test_bypass():
    node = NodegraphAPI.CreateNode("Merge")
    assert node.isBypassed() is False
    node.setBypassed(True)
    assert node.isBypassed() is True


def test_current_time_and_working_range():
    assert NodegraphAPI.GetCurrentTime() == 1.0
    NodegraphAPI.SetCurrentTime(12)
    assert NodegraphAPI.GetCurrentTime() == 12.0
    assert NodegraphAPI.GetWorkingInTime() == 1.0
    assert NodegraphAPI.GetWorkingOutTime() == 100.0


def test_source_file_empty_when_unsaved():
    assert NodegraphAPI.GetSourceFile() == ""
    assert NodegraphAPI.GetAllFloatingNodes() == []
