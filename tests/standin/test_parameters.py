"""Parameters: five types, navigation, arrays, values, hints, full names."""

import pytest
from Katana import NodegraphAPI


@pytest.fixture
def node():
    return NodegraphAPI.CreateNode("Group")


def test_create_each_type(node):
    root = node.getParameters()
    assert root.getType() == "group"
    group = root.createChildGroup("grp")
    number = group.createChildNumber("num", 3)
    string = group.createChildString("str", "abc")
    numbers = group.createChildNumberArray("nums", 3)
    strings = group.createChildStringArray("strs", 2)
    assert [p.getType() for p in group.getChildren()] == ["number", "string", "numberArray", "stringArray"]
    assert number.getValue(0) == 3.0 and isinstance(number.getValue(0), float)
    assert string.getValue(0) == "abc" and isinstance(string.getValue(0), str)
    assert [c.getName() for c in numbers.getChildren()] == ["i0", "i1", "i2"]
    assert [c.getType() for c in numbers.getChildren()] == ["number"] * 3
    assert [c.getValue(0) for c in strings.getChildren()] == ["", ""]
    assert node.getParameter("grp.nums.i2") is numbers.getChild("i2")


def test_navigation_misses_return_none(node):
    root = node.getParameters()
    child = root.createChildString("a", "")
    assert root.getChild("missing") is None
    assert root.getChildByIndex(5) is None
    assert root.getChildByIndex(-1) is None
    assert child.getChild("x") is None
    assert node.getParameter("a.b") is None
    assert node.getParameter("missing.deeper") is None
    assert root.getChildByIndex(0) is child
    assert child.getParent() is root
    assert child.getNode() is node
    assert root.getNumChildren() == 1


def test_get_children_returns_a_new_list(node):
    root = node.getParameters()
    root.createChildString("a", "")
    children = root.getChildren()
    children.append("junk")
    assert len(root.getChildren()) == 1


def test_index_insertion_and_reordering(node):
    root = node.getParameters()
    root.createChildString("a", "")
    root.createChildString("c", "")
    root.createChildString("b", "", 1)
    assert [p.getName() for p in root.getChildren()] == ["a", "b", "c"]
    root.reorderChild(root.getChild("c"), 0)
    assert [p.getName() for p in root.getChildren()] == ["c", "a", "b"]
    root.deleteChild(root.getChild("a"))
    assert [p.getName() for p in root.getChildren()] == ["c", "b"]


def test_duplicate_child_name_gets_suffix(node):
    root = node.getParameters()
    root.createChildString("x", "")
    assert root.createChildString("x", "").getName() == "x1"


def test_array_resize_and_tuple_size(node):
    arr = node.getParameters().createChildStringArray("renderNodes", 1)
    arr.resizeArray(3)
    assert [c.getName() for c in arr.getChildren()] == ["i0", "i1", "i2"]
    arr.getChild("i2").setValue("R", 0)
    arr.resizeArray(2)
    assert arr.getNumChildren() == 2
    assert arr.getTupleSize() == 1
    arr.setTupleSize(2)
    assert arr.getTupleSize() == 2
    with pytest.raises(TypeError):
        node.getParameters().createChildString("s", "").resizeArray(2)


def test_set_value_types(node):
    root = node.getParameters()
    number = root.createChildNumber("n", 0)
    string = root.createChildString("s", "")
    number.setValue(5, 0)
    assert number.getValue(0) == 5.0
    number.setValue(True, 0)
    assert number.getValue(0) == 1.0
    string.setValue("hello", 0, final=False)
    assert string.getValue(0) == "hello"
    with pytest.raises(TypeError):
        string.setValue(5, 0)
    with pytest.raises(TypeError):
        number.setValue("5", 0)
    with pytest.raises(TypeError):
        root.getValue(0)
    with pytest.raises(TypeError):
        root.setValue(1, 0)


def test_get_value_requires_time(node):
    p = node.getParameters().createChildNumber("n", 0)
    with pytest.raises(TypeError):
        p.getValue()


def test_full_name(node):
    render = NodegraphAPI.CreateNode("Render")
    p = render.getParameter("farmSettings.farmFileName")
    assert p.getFullName() == "Render.farmSettings.farmFileName"
    assert p.getFullName(includeNodeName=False) == "farmSettings.farmFileName"
    assert p.getName() == "farmFileName"
    assert render.getParameters().getName() == "Render"
    render.setName("beauty")
    assert p.getFullName() == "beauty.farmSettings.farmFileName"


def test_hints_stored_verbatim(node):
    p = node.getParameters().createChildNumber("flag", 0)
    assert p.getHintString() == ""
    hint = repr({"widget": "checkBox", "constant": "True"})
    p.setHintString(hint)
    assert p.getHintString() == hint


def test_use_node_default_and_parameter_value_shortcut(node):
    p = node.getParameters().createChildString("s", "a")
    p.setUseNodeDefault(False)
    p.setValue("b", 0)
    assert node.getParameterValue("s", 0) == "b"
    assert node.getParameterValue("missing", 0) is None


def test_children_only_on_groups(node):
    s = node.getParameters().createChildString("s", "")
    with pytest.raises(TypeError):
        s.createChildString("x", "")
    arr = node.getParameters().createChildNumberArray("a", 1)
    with pytest.raises(TypeError):
        arr.createChildNumber("x", 1)


def test_no_animation(node):
    p = node.getParameters().createChildNumber("n", 1)
    assert p.isAnimated() is False
    assert p.getKeys() == []
    p.setValueAutoKey(3, 0)
    assert p.getValue(0) == 3.0
