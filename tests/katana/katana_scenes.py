"""Scene builders for the Katana adapter tests (stand-in node graphs).

Layer: tests. Small functions that build the node graphs the tests need
through the documented NodegraphAPI calls, so each test reads as "a scene
with ..." rather than a wall of parameter plumbing.
"""

import os


def ng():
    from Katana import NodegraphAPI

    return NodegraphAPI


def arg(node, path, value):
    """Set an args-style parameter (``value`` + ``enable``)."""
    node.getParameter(path + ".value").setValue(value, 0)
    node.getParameter(path + ".enable").setValue(1, 0)


def render_node(name, location=None, output_name="beauty", upstream=None):
    """A Render node; with ``location``, a RenderOutputDefine upstream writing there."""
    NodegraphAPI = ng()
    render = NodegraphAPI.CreateNode("Render")
    render.setName(name)
    if location:
        rod = NodegraphAPI.CreateNode("RenderOutputDefine")
        arg(rod, "args.renderSettings.outputs.outputName", output_name)
        arg(rod, "args.renderSettings.outputs.locationType", "file")
        arg(rod, "args.renderSettings.outputs.locationSettings.renderLocation", location)
        if upstream is not None:
            upstream.getOutputPort("out").connect(rod.getInputPort("input"))
        rod.getOutputPort("out").connect(render.getInputPort("input"))
    return render


def alembic(path, name="geo"):
    node = ng().CreateNode("Alembic_In")
    node.setName(name)
    node.getParameter("abcAsset").setValue(path, 0)
    return node


def shading(node_type, args, name=None, hints=None, enabled=True):
    """A shading node with ``parameters.<arg>.value/.enable`` for each arg."""
    node = ng().CreateNode(node_type)
    if name:
        node.setName(name)
    params = node.getParameter("parameters")
    for arg_name, value in args.items():
        group = params.createChildGroup(arg_name)
        value_param = group.createChildString("value", value)
        group.createChildNumber("enable", 1 if enabled else 0)
        if hints and arg_name in hints:
            value_param.setHintString(repr(hints[arg_name]))
    return node


def touch(folder, *names, size=3):
    """Create files (with ``size`` bytes) below folder; returns their paths."""
    paths = []
    for name in names:
        path = os.path.join(str(folder), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"x" * size)
        paths.append(path)
    return paths


def save(path):
    from Katana import KatanaFile

    KatanaFile.Save(str(path))
    return str(path)
