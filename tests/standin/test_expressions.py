"""Expressions: reference and Python forms, re-targeting on rename."""

import os

import pytest
from Katana import KatanaFile, NodegraphAPI


@pytest.fixture
def node():
    return NodegraphAPI.CreateNode("Group")


def _string(node, name, value=""):
    return node.getParameters().createChildString(name, value)


def test_expression_api(node):
    p = _string(node, "s", "const")
    assert p.isExpression() is False
    assert p.getExpression() == ""
    p.setExpression("'a' + 'b'")
    assert p.isExpression() is True
    assert p.getExpression() == "'a' + 'b'"
    assert p.getValue(0) == "ab"
    p.setExpressionFlag(False)
    assert p.isExpression() is False
    assert p.getValue(0) == "const"
    p.setExpressionFlag(True)
    assert p.getValue(0) == "ab"
    p.setExpression("'x'", False)
    assert not p.isExpression()


def test_set_value_switches_expression_off(node):
    p = _string(node, "s")
    p.setExpression("'expr'")
    p.setValue("plain", 0)
    assert p.isExpression() is False
    assert p.getValue(0) == "plain"
    assert p.getExpression() == "'expr'"


def test_at_name_is_text_and_follows_rename(node):
    render = NodegraphAPI.CreateNode("Render")
    p = _string(node, "ref")
    p.setExpression("@Render")
    assert p.getValue(0) == "Render"
    assert render.setName("beauty") == "beauty"
    assert p.getExpression() == "@beauty"
    assert p.getValue(0) == "beauty"


def test_rename_does_not_touch_longer_names(node):
    NodegraphAPI.CreateNode("Render")
    other = NodegraphAPI.CreateNode("Render")
    p = _string(node, "ref")
    p.setExpression("@" + other.getName())
    NodegraphAPI.GetNode("Render").setName("x")
    assert p.getExpression() == "@Render1"


def test_update_expressions_false(node):
    render = NodegraphAPI.CreateNode("Render")
    p = _string(node, "ref")
    p.setExpression("@Render")
    render.setName("beauty", updateExpressions=False)
    assert p.getExpression() == "@Render"


def test_same_node_parameter_reference(node):
    _string(node, "a", "hello")
    node.getParameters().createChildGroup("g").createChildNumber("n", 4)
    p = _string(node, "b")
    p.setExpression("=a")
    assert p.getValue(0) == "hello"
    n = node.getParameters().createChildNumber("n2", 0)
    n.setExpression("=g.n")
    assert n.getValue(0) == 4.0


def test_other_node_reference_and_rename(node):
    render = NodegraphAPI.CreateNode("Render")
    render.getParameter("farmSettings.farmFileName").setValue("/farm/file.xml", 0)
    p = _string(node, "b")
    p.setExpression("=Render/farmSettings.farmFileName")
    assert p.getValue(0) == "/farm/file.xml"
    render.setName("beauty")
    assert p.getExpression() == "=beauty/farmSettings.farmFileName"
    assert p.getValue(0) == "/farm/file.xml"


def test_parent_reference(node):
    _string(node, "title", "shot010")
    inner = NodegraphAPI.CreateNode("Group", node)
    deep = NodegraphAPI.CreateNode("Merge", inner)
    p = _string(inner, "x")
    p.setExpression("=^/title")
    assert p.getValue(0) == "shot010"
    q = _string(deep, "y")
    q.setExpression("=^/^/title + '_v1'")
    assert q.getValue(0) == "shot010_v1"
    r = _string(deep, "z")
    r.setExpression("=^^/title")
    assert r.getValue(0) == "shot010"


def test_reference_concatenation_with_name(node):
    NodegraphAPI.CreateNode("Render")
    p = _string(node, "s")
    p.setExpression("@Render + '_beauty'")
    assert p.getValue(0) == "Render_beauty"


def test_project_dir_and_asset_id(node, tmp_path):
    d = _string(node, "d")
    d.setExpression("project.dir")
    a = _string(node, "a")
    a.setExpression("project.assetID")
    t = _string(node, "t")
    t.setExpression("project.dir + '/tex/a.png'")
    assert d.getValue(0) == ""
    path = str(tmp_path / "shots" / "shot.katana")
    os.makedirs(os.path.dirname(path))
    KatanaFile.Save(path)
    assert d.getValue(0) == os.path.dirname(path)
    assert a.getValue(0) == path
    assert t.getValue(0) == os.path.dirname(path) + "/tex/a.png"


def test_getenv_frame_and_path_join(node, monkeypatch):
    monkeypatch.setenv("STANDIN_TEX", "/tex")
    monkeypatch.delenv("STANDIN_MISSING", raising=False)
    e = _string(node, "e")
    e.setExpression("getenv('STANDIN_TEX', '/fallback') + '/a.tx'")
    assert e.getValue(0) == "/tex/a.tx"
    e.setExpression("getenv('STANDIN_MISSING', '/fallback')")
    assert e.getValue(0) == "/fallback"
    e.setExpression("getenv('STANDIN_MISSING')")
    assert e.getValue(0) == ""
    f = node.getParameters().createChildNumber("f", 0)
    f.setExpression("frame * 2")
    assert f.getValue(7) == 14.0
    j = _string(node, "j")
    j.setExpression("path.join('/a', 'b', 'c.exr')")
    assert j.getValue(0) == "/a/b/c.exr"
    j.setExpression("'%04d' % frame")
    assert j.getValue(12) == "0012"


def test_python_bare_names_and_get_param(node):
    _string(node, "base", "/root")
    node.getParameters().createChildNumberArray("size", 2).getChild("i1").setValue(9, 0)
    p = _string(node, "p")
    p.setExpression("base + '/world'")
    assert p.getValue(0) == "/root/world"
    n = node.getParameters().createChildNumber("n", 0)
    n.setExpression("size.i1 + 1")
    assert n.getValue(0) == 10.0
    render = NodegraphAPI.CreateNode("Render")
    q = _string(node, "q")
    q.setExpression("getParam('Render.passName') + '_' + getNode('Render').passName")
    assert q.getValue(0) == "Render_Render"
    render.setName("beauty")
    assert q.getExpression() == "getParam('beauty.passName') + '_' + getNode('beauty').passName"
    assert q.getValue(0) == "beauty_beauty"


def test_broken_expressions_raise_runtime_error(node):
    p = _string(node, "p")
    p.setExpression("=Nowhere/param")
    with pytest.raises(RuntimeError):
        p.getValue(0)
    p.setExpression("undefined_name + 'x'")
    with pytest.raises(RuntimeError):
        p.getValue(0)
    p.setExpression("=p")
    with pytest.raises(RuntimeError):
        p.getValue(0)


def test_number_parameter_from_string_expression(node):
    n = node.getParameters().createChildNumber("n", 0)
    n.setExpression("'12'")
    assert n.getValue(0) == 12.0
    n.setExpression("'abc'")
    with pytest.raises(RuntimeError):
        n.getValue(0)
