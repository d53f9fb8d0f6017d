"""Engine of ``FarmAPI.FarmPluginManager``: the registered farm plug-ins.

Stand-in internal: :func:`register` is what loading a ``("FarmPlugin", 2.0,
name, cls)`` ``PluginRegistry`` entry does (``katana_standin_control.
load_plugins``); Katana has no public ``RegisterPlugin``.
"""

from . import graph, state


def register(name, pluginClass):
    """Register a farm plug-in class under ``name`` (a later one replaces it)."""
    if not isinstance(name, str) or not name:
        raise ValueError("katana stand-in: a farm plug-in needs a non-empty name")
    if not isinstance(pluginClass, type):
        raise TypeError("katana stand-in: farm plug-in %r is not a class" % (name,))
    state.S.farm_plugins[name] = pluginClass
    state.S.farm_plugin_instances.pop(name, None)


def instance(name):
    """The session's instance of the plug-in ``name`` (created on first use), or None."""
    S = state.S
    cls = S.farm_plugins.get(name)
    if cls is None:
        return None
    if name not in S.farm_plugin_instances:
        S.farm_plugin_instances[name] = cls()
    return S.farm_plugin_instances[name]


def frames_of(nodeName):
    """Frames (ints) a farm node renders: its active frame range when set, else the scene range."""
    g = graph.current_graph()
    node = g.nodes.get(nodeName)
    time = graph.GetCurrentTime()
    start, end = graph._scene_range(g)
    if node is not None:
        fs = node.getParameter("farmSettings")
        if fs is not None and fs.getChild("setActiveFrameRange") is not None:
            if fs.getChild("setActiveFrameRange").getValue(time):
                afr = fs.getChild("activeFrameRange")
                start, end = afr.getChild("start").getValue(time), afr.getChild("end").getValue(time)
    return list(range(int(start), int(end) + 1))
