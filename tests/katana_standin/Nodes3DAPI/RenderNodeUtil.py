"""Stand-in for ``Nodes3DAPI.RenderNodeUtil`` (test equipment, not Katana).

Render outputs are derived from RenderOutputDefine nodes upstream of a
Render node (see ``_katana_standin.farm._render_outputs`` for the rules).

Stand-in guess [unverified]: the stand-in computes outputs fresh on every
call, so reading them without syncing first is not an error here (code
should still call ``SyncOutputPorts`` as Katana needs it).
"""

from _katana_standin import farm, graph


def SyncOutputPorts(node, cameraErrorIsFatal=False):
    """Make ``node``'s output ports match its render outputs (one port per output name).

    Stand-in guess: ``cameraErrorIsFatal`` changes nothing (no cameras are checked).

    Stale ports are removed (disconnecting them); missing ones are added.
    Ports of outputs that still exist keep their connections.
    """
    if node.getType() not in ("Render", "RenderScript"):
        return
    names = [o["name"] for o in farm.outputs_for(node)]
    for port in node.getOutputPorts():
        if port.getName() not in names:
            node.removeOutputPort(port.getName())
    for name in names:
        if node.getOutputPort(name) is None:
            node.addOutputPort(name)


def SyncAllOutputPorts():
    """``SyncOutputPorts`` on every Render and RenderScript node."""
    g = graph.current_graph()
    for nodeType in ("Render", "RenderScript"):
        for node in list(g.by_type.get(nodeType, ())):
            SyncOutputPorts(node)


def GetNumRenderOutputs(node, producer=None):
    """Number of render outputs of ``node`` (stand-in guess: ``producer`` is ignored)."""
    return len(farm.outputs_for(node))


def GetRenderOutputLocation(node, idx, producer=None, graphState=None, withActiveFrameRange=False):
    """``outputLocation`` of the ``idx``-th render output (IndexError when out of range).

    Stand-in guess: ``producer``, ``graphState`` and ``withActiveFrameRange``
    are ignored (the location is read at the current time).
    """
    return farm.outputs_for(node)[idx]["outputLocation"]
