"""SuperTool life cycle: package loading, lazy editor, __init__/polish, save/load."""

import sys
import textwrap

import pytest
from Katana import KatanaFile, NodegraphAPI

INIT = '''
from .Node import DemoToolNode


def GetEditor():
    from .Editor import DemoToolEditor
    return DemoToolEditor


PluginRegistry = [("SuperTool", 2, "DemoTool", (DemoToolNode, GetEditor))]
'''

NODE = '''
from Katana import NodegraphAPI

CALLS = {"init": 0, "polish": 0}


class DemoToolNode(NodegraphAPI.SuperTool):
    def __init__(self):
        CALLS["init"] += 1
        self.hideNodegraphGroupControls()
        self.addOutputPort("out")
        self.getParameters().createChildNumber("version", 1)
        self.getParameters().createChildString("renderNode", "")
        self.getParameter("renderNode").setExpression("@Render")
        merge = NodegraphAPI.CreateNode("Merge", self)
        merge.getOutputPort("out").connect(self.getReturnPort("out"))

    def polish(self):
        CALLS["polish"] += 1
'''

EDITOR = '''
class DemoToolEditor(object):
    def __init__(self, parent, node):
        self.node = node
'''


def _write(root, rel, text):
    path = root.joinpath(*rel.split("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


@pytest.fixture
def resources(tmp_path):
    _write(tmp_path, "SuperTools/DemoTool/__init__.py", INIT)
    _write(tmp_path, "SuperTools/DemoTool/Node.py", NODE)
    _write(tmp_path, "SuperTools/DemoTool/Editor.py", EDITOR)
    _write(tmp_path, "SuperTools/Broken/__init__.py", "import does_not_exist_anywhere\n")
    _write(tmp_path, "SuperTools/NotAPackage/readme.txt", "x")
    yield tmp_path
    for name in list(sys.modules):
        if name.split(".")[0] in ("DemoTool", "Broken"):
            del sys.modules[name]


def calls():
    return sys.modules["DemoTool.Node"].CALLS


def test_load_supertools_registers_and_records_errors(ksc, resources):
    assert ksc.load_superTools(str(resources)) == ["DemoTool"]
    assert ksc.registered_supertools() == ["DemoTool"]
    errors = ksc.plugin_load_errors()
    assert len(errors) == 1 and "Broken" in errors[0][0] and "does_not_exist_anywhere" in errors[0][1]


def test_editor_is_imported_lazily(ksc, resources):
    ksc.load_superTools(str(resources))
    assert "DemoTool.Editor" not in sys.modules
    NodegraphAPI.CreateNode("DemoTool")
    assert "DemoTool.Editor" not in sys.modules
    editor_class = ksc.get_editor_class("DemoTool")
    assert editor_class.__name__ == "DemoToolEditor"
    assert "DemoTool.Editor" in sys.modules
    assert ksc.editor_requests("DemoTool") == 1


def test_create_calls_init_then_polish_once(ksc, resources):
    ksc.load_superTools(str(resources))
    node = NodegraphAPI.CreateNode("DemoTool", NodegraphAPI.GetRootNode())
    assert calls() == {"init": 1, "polish": 1}
    assert node.getType() == "DemoTool"
    assert node.getName() == "DemoTool"
    assert isinstance(node, NodegraphAPI.SuperTool)
    assert isinstance(node, NodegraphAPI.PythonGroupNode)
    assert node.getParameter("version").getValue(0) == 1.0
    assert [c.getType() for c in node.getChildren()] == ["Merge"]
    assert NodegraphAPI.GetAllNodesByType("DemoTool") == [node]
    assert node.isChildNodePersistent(node.getChildren()[0]) is True
    assert node.getNodesCreatingSceneGraphLocations() is None
    assert node.isUserParameterEditingAllowed() is True
    assert node.isExplodable() is False


def test_save_load_round_trip_skips_init_and_polishes(ksc, resources, tmp_path):
    ksc.load_superTools(str(resources))
    NodegraphAPI.CreateNode("Render")
    node = NodegraphAPI.CreateNode("DemoTool")
    node.getParameter("version").setValue(3, 0)
    path = str(tmp_path / "scene.katana")
    KatanaFile.Save(path)

    # a new Katana process: plug-ins load again (new class objects), then the file
    ksc.reset()
    ksc.load_superTools(str(resources))
    assert calls() == {"init": 0, "polish": 0}
    KatanaFile.Load(path)
    assert calls() == {"init": 0, "polish": 1}
    loaded = NodegraphAPI.GetNode("DemoTool")
    assert type(loaded) is sys.modules["DemoTool.Node"].DemoToolNode
    assert loaded.getParameter("version").getValue(0) == 3.0
    assert loaded.getParameter("renderNode").getExpression() == "@Render"
    merge = loaded.getChildren()[0]
    assert merge.getOutputPort("out").getConnectedPorts() == [loaded.getReturnPort("out")]
    NodegraphAPI.GetNode("Render").setName("beauty")
    assert loaded.getParameter("renderNode").getValue(0) == "beauty"


def test_load_without_the_plugin_fails(ksc, resources, tmp_path):
    ksc.load_superTools(str(resources))
    NodegraphAPI.CreateNode("DemoTool")
    path = str(tmp_path / "scene.katana")
    KatanaFile.Save(path)
    ksc.reset()
    with pytest.raises(ValueError):
        KatanaFile.Load(path)
    assert NodegraphAPI.GetAllNodesByType("DemoTool") == []


def test_register_supertool_programmatically():
    log = []

    class Tool(NodegraphAPI.SuperTool):
        def __init__(self):
            log.append("init")

        def polish(self):
            log.append("polish")

    NodegraphAPI.RegisterSuperTool("Tool", Tool)
    node = NodegraphAPI.CreateNode("Tool")
    assert type(node) is Tool and log == ["init", "polish"]
    with pytest.raises(TypeError):
        NodegraphAPI.RegisterSuperTool("Bad", object)


def test_init_error_propagates_and_removes_node():
    class Exploding(NodegraphAPI.SuperTool):
        def __init__(self):
            NodegraphAPI.CreateNode("Merge", self)
            raise RuntimeError("boom")

    NodegraphAPI.RegisterSuperTool("Exploding", Exploding)
    with pytest.raises(RuntimeError):
        NodegraphAPI.CreateNode("Exploding")
    assert NodegraphAPI.GetAllNodesByType("Exploding") == []
    assert NodegraphAPI.GetAllNodesByType("Merge") == []


def test_non_persistent_children_are_not_saved(ksc, tmp_path):
    class Tool(NodegraphAPI.SuperTool):
        def __init__(self):
            NodegraphAPI.CreateNode("Merge", self)
            NodegraphAPI.CreateNode("Dot", self)

        def isChildNodePersistent(self, node):
            return node.getType() != "Dot"

    NodegraphAPI.RegisterSuperTool("Tool", Tool)
    NodegraphAPI.CreateNode("Tool")
    path = str(tmp_path / "s.katana")
    KatanaFile.Save(path)
    KatanaFile.Load(path)
    assert [c.getType() for c in NodegraphAPI.GetNode("Tool").getChildren()] == ["Merge"]


def test_bad_registry_entries_are_recorded(ksc, tmp_path):
    _write(tmp_path, "SuperTools/OldApi/__init__.py", '''
        from Katana import NodegraphAPI
        class N(NodegraphAPI.SuperTool):
            pass
        PluginRegistry = [("SuperTool", 1, "OldApi", (N, None)), ("SuperTool", 2, "Fine", (N, None))]
    ''')
    try:
        assert ksc.load_superTools(str(tmp_path)) == ["Fine"]
        assert len(ksc.plugin_load_errors()) == 1
    finally:
        sys.modules.pop("OldApi", None)
