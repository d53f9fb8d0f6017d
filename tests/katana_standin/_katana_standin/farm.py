"""Engine of ``FarmAPI``: farm settings, farm menus, scope, dependencies,
render outputs, validity messages and the render-farm plug-in base classes.

Documented (FarmAPI page 3.6v5, 4.0-8.0 overview; reference sheet 3.x):
farm-capable node types are Render, RenderScript and ImageWrite; custom farm
settings are parameters in the ``farmSettings`` group of those nodes; farm
menu handlers are called without arguments and see their invocation scope
through ``GetCurrentNode`` / ``GetSelectedNodes`` / ``GetNodeList``.
"""

import collections
import os

from . import graph, state

# Scope constants.  Stand-in guess [unverified]: their values are these strings
# (code should only compare against the constants).
NODES_SINGLE = "single"
NODES_SELECTED = "selected"
NODES_ALL = "all"
_SCOPES = (NODES_SINGLE, NODES_SELECTED, NODES_ALL)


# ---------------------------------------------------------------------------
# farm settings


def _add_setting(name, kind, default, hints):
    if not isinstance(name, str) or not name:
        raise ValueError("katana stand-in: a farm setting needs a non-empty name")
    state.S.farm_settings[name] = (kind, default, dict(hints) if hints else None)
    g = graph.current_graph()
    for nodeType in graph.FARM_NODE_TYPES:
        for node in g.by_type.get(nodeType, ()):
            graph.apply_farm_settings(node)


def AddFarmSettingNumber(name="", defaultValue=0, hints=None):
    """Add number parameter ``farmSettings.<name>`` to every Render,
    RenderScript and ImageWrite node, existing and future (documented).

    ``hints`` (a dict) is stored with ``setHintString(repr(hints))``.

    Stand-in guesses [unverified]: adding a name again replaces the definition
    for future nodes but leaves existing parameters alone; adding a setting
    does not mark the project dirty.
    """
    graph._to_number(defaultValue, "AddFarmSettingNumber")
    _add_setting(name, "number", float(defaultValue), hints)


def AddFarmSettingString(name="", defaultValue="", hints=None):
    """Add string parameter ``farmSettings.<name>`` (see ``AddFarmSettingNumber``).

    Stand-in guess [unverified]: ``defaultValue`` defaults to ``''``.
    """
    graph._to_string(defaultValue, "AddFarmSettingString")
    _add_setting(name, "string", defaultValue, hints)


def _size(size, caller):
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise TypeError("katana stand-in: %s size must be an int >= 0, got %r" % (caller, size))
    return size


def AddFarmSettingNumberArray(name="", size=0, hints=None):
    """Add number-array parameter ``farmSettings.<name>`` with ``size`` elements (0.0).

    Stand-in guess: the elements start at 0.0; ``size`` defaults to 0.
    """
    _add_setting(name, "numberArray", [0.0] * _size(size, "AddFarmSettingNumberArray"), hints)


def AddFarmSettingStringArray(name="", size=0, hints=None):
    """Add string-array parameter ``farmSettings.<name>`` with ``size`` elements (``''``).

    Stand-in guess: the elements start empty; ``size`` defaults to 0.
    """
    _add_setting(name, "stringArray", [""] * _size(size, "AddFarmSettingStringArray"), hints)


class FarmSetting(object):
    """One farm setting added with ``AddFarmSetting*`` (``GetAddedFarmSettings``).

    Stand-in guesses: the type constants are ``'number'``, ``'numberArray'``,
    ``'string'``, ``'stringArray'``; ``QUALIFIER`` is ``'farmSettings'``;
    ``getName()`` is the name as added, ``getQualifiedName()``
    ``'farmSettings.<name>'``, ``getShortName()`` the name; ``getValue()`` the
    default (a list for arrays); ``getSize()`` 0 for single values.
    """

    NUMBER = "number"
    NUMBERARRAY = "numberArray"
    QUALIFIER = "farmSettings"
    STRING = "string"
    STRINGARRAY = "stringArray"
    VALID_TYPES = (NUMBER, NUMBERARRAY, STRING, STRINGARRAY)

    def __init__(self, name="", farmType="string", defaultValue=None, size=0, hints=None):
        if farmType not in self.VALID_TYPES:
            raise ValueError("katana stand-in: farm setting type must be one of %r" % (self.VALID_TYPES,))
        self._name = name
        self._type = farmType
        self._value = defaultValue
        self._size = size
        self._hints = dict(hints) if hints else None

    def getHints(self):
        return dict(self._hints) if self._hints else None

    def getName(self):
        return self._name

    def getQualifiedName(self):
        return "%s.%s" % (self.QUALIFIER, self._name)

    def getShortName(self):
        return self._name

    def getSize(self):
        return self._size

    def getType(self):
        return self._type

    def getValue(self):
        return list(self._value) if isinstance(self._value, list) else self._value

    def __repr__(self):
        return "<FarmSetting %s %s>" % (self._type, self._name)


def GetAddedFarmSettings():
    """The farm settings added in this session, in the order added."""
    result = []
    for name, (kind, default, hints) in state.S.farm_settings.items():
        size = len(default) if isinstance(default, list) else 0
        result.append(FarmSetting(name, kind, default, size, hints))
    return result


def ExtractFarmSettingsFromNode(node):
    """``{name: value}`` of the added farm settings present on a farm node.

    Stand-in guess: keys are the names as added, values read at the current
    time (lists for arrays); settings missing on the node are left out.
    """
    fs = node.getParameter("farmSettings")
    values = {}
    if fs is None:
        return values
    time = graph.GetCurrentTime()
    for name in state.S.farm_settings:
        p = fs.getChild(name)
        if p is not None:
            values[name] = _setting_value(p, time)
    return values


# ---------------------------------------------------------------------------
# menus and scope


def AddFarmMenuOption(menuCommandText, callback):
    """Add an item to the **Util** menu; ``callback()`` runs when chosen.

    Registering the same label twice adds two items (as a menu would).
    """
    state.S.farm_menu.append((menuCommandText, callback))


def AddFarmPopupMenuOption(menuCommandText, callback):
    """Add an item to the right-click menu of Render/RenderScript/ImageWrite nodes."""
    state.S.farm_popup_menu.append((menuCommandText, callback))


def GetFarmMenuOptions():
    """The Util menu items added so far.

    Stand-in guess (the stubs say ``list``): ``(menuCommandText, callback)``
    pairs in the order added.
    """
    return list(state.S.farm_menu)


def GetFarmPopupMenuOptions():
    """The node right-click items added so far (pairs, as ``GetFarmMenuOptions``)."""
    return list(state.S.farm_popup_menu)


def _farm_nodes():
    g = graph.current_graph()
    nodes = []
    for node in g.all:
        if node._ks_type in graph.FARM_NODE_TYPES:
            nodes.append(node)
    return nodes


def _selected_farm_nodes():
    return [n for n in graph.current_graph().selected if n._ks_type in graph.FARM_NODE_TYPES]


def GetCurrentNode():
    """The node a farm menu was invoked on, else ``None``."""
    ctx = state.S.menu_context
    return ctx[-1]["node"] if ctx else None


def GetClickedNode():
    """The node whose right-click menu is running, else ``None``.

    Stand-in guess: the same node as ``GetCurrentNode()``.
    """
    return GetCurrentNode()


def GetCurrentNodeFrameRange():
    """``{'start', 'end'}`` of the current node's active frame range, else the scene's.

    Stand-in guess: floats, like ``GetSceneFrameRange``.
    """
    node = GetCurrentNode()
    start, end = graph._scene_range(graph.current_graph())
    if node is not None:
        entry = _settings_for(node, graph.GetCurrentTime())
        if entry.frameRange is not None:
            start, end = entry.frameRange
    return {"start": start, "end": end}


def GetSelectedNodes():
    """The selected farm-capable nodes (selection order).

    Stand-in guess [unverified]: the live selection filtered to Render,
    RenderScript and ImageWrite nodes, inside or outside a menu handler.
    """
    return _selected_farm_nodes()


def GetNodeList():
    """The nodes in the current scope.

    Inside a menu handler: ``NODES_SINGLE`` -> ``[clicked node]``,
    ``NODES_SELECTED`` -> the selected farm nodes, ``NODES_ALL`` -> every farm
    node.  Stand-in guess [unverified]: outside a handler every farm node.
    """
    ctx = state.S.menu_context
    scope = ctx[-1]["scope"] if ctx else NODES_ALL
    return _nodes_for_scope(scope)


def _nodes_for_scope(scope):
    if scope == NODES_SINGLE:
        node = GetCurrentNode()
        return [node] if node is not None else []
    if scope == NODES_SELECTED:
        return _selected_farm_nodes()
    if scope == NODES_ALL:
        return _farm_nodes()
    raise ValueError("katana stand-in: unknown node scope %r" % (scope,))


def run_menu_handler(handler, scope, node):
    """Run ``handler()`` with the scope simulated (stand-in internal)."""
    if scope not in _SCOPES:
        raise ValueError("katana stand-in: scope must be one of %r" % (_SCOPES,))
    if scope == NODES_SINGLE and node is None:
        raise ValueError("katana stand-in: scope 'single' needs the clicked node")
    state.S.menu_context.append({"scope": scope, "node": node})
    try:
        return handler()
    finally:
        state.S.menu_context.pop()


# ---------------------------------------------------------------------------
# scene information


def GetSceneFrameRange():
    """``{'start': float, 'end': float}`` of the project (root ``inTime``/``outTime``)."""
    start, end = graph._scene_range(graph.current_graph())
    return {"start": start, "end": end}


def GetKatanaFileName():
    """The saved project as given to Save/Load, ``''`` while unsaved.

    Stand-in guess: the same as ``NodegraphAPI.GetSourceFile()``, so an
    asset id when the project was opened from one.
    """
    return graph.current_graph().source_file


def temp_dir():
    """The session's temp dir (Katana's ``katana_tmpdir_<pid>``; see
    ``state.ensure_temp_dir``: created with the session, named by the
    documented ``KATANA_TMPDIR`` environment variable)."""
    return state.ensure_temp_dir()


# ---------------------------------------------------------------------------
# graph traversal


def _upstream_producers(consumer):
    """Node-level producers feeding ``consumer``, looking through groups."""
    result = []
    stack = list(reversed(consumer._ks_links))
    seen = set()
    while stack:
        port = stack.pop()
        if id(port) in seen:
            continue
        seen.add(id(port))
        node = port._ks_node
        if port._ks_kind == "send":
            outer = node._ks_in_map.get(port._ks_name)
            if outer is not None:
                stack.extend(reversed(outer._ks_links))
        elif isinstance(node, graph.GroupNode) and port._ks_name in node._ks_return:
            stack.extend(reversed(node._ks_return[port._ks_name]._ks_links))
        else:
            result.append(port)
    return result


def _upstream_nodes(render_node):
    """Nodes feeding the ``input`` port, upstream first; bypassed ones pass through.

    Stand-in guess [unverified]: across a Merge the leftmost input wins, so it
    is visited last (later in the list overrides earlier).  Iterative, so a
    very long chain does not hit Python's recursion limit.
    """
    order = []
    first = render_node._ks_in_map.get("input") or render_node.getInputPortByIndex(0)
    if first is None:
        return order
    visited = set()
    stack = [(p._ks_node, False) for p in reversed(_upstream_producers(first))]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            if not node._ks_bypassed:
                order.append(node)
            continue
        if node in visited:
            continue
        visited.add(node)
        stack.append((node, True))
        inputs = node._ks_inputs[:1] if node._ks_bypassed else node._ks_inputs
        wanted = [p._ks_node for port in reversed(inputs) for p in _upstream_producers(port)]
        stack.extend((n, False) for n in reversed(wanted))
    return order


def _arg_value(node, path, default, time):
    group = node.getParameter(path)
    if group is None:
        return default
    enable = group.getChild("enable")
    value = group.getChild("value")
    if value is None or (enable is not None and not enable.getValue(time)):
        return default
    return value.getValue(time)


def _render_outputs(node, time):
    """Render outputs of a Render/RenderScript node as FarmAPI output dicts.

    Stand-in guesses [unverified]: ``primary`` (local) always exists; each
    non-bypassed RenderOutputDefine upstream adds or overrides an output named
    by its (enabled) ``outputName``; downstream definitions win.  An output
    whose ``locationType`` is ``'file'`` with a non-empty ``renderLocation``
    renders there; any other output gets
    ``<temp dir>/<node name>_<output name>.#.exr``.  ``tempRenderLocation`` is
    always ``''`` and ``enabled`` always True.
    """
    defined = [("primary", "local", "")]
    base = "args.renderSettings.outputs."
    for up in _upstream_nodes(node):
        if up._ks_type != "RenderOutputDefine":
            continue
        name = _arg_value(up, base + "outputName", "primary", time)
        locationType = _arg_value(up, base + "locationType", "local", time)
        location = _arg_value(up, base + "locationSettings.renderLocation", "", time)
        defined = [d for d in defined if d[0] != name]
        defined.append((name, locationType, location))
    outputs = []
    tmp = None
    for name, locationType, location in defined:
        if locationType == "file" and location:
            path = location
        else:
            tmp = tmp or temp_dir()
            path = os.path.join(tmp, "%s_%s.#.exr" % (node._ks_name, name))
        outputs.append({"name": name, "enabled": True, "outputLocation": path, "tempRenderLocation": ""})
    return outputs


def _imagewrite_outputs(node, time):
    outputs = []
    inputs = node.getParameter("inputs")
    for port in node._ks_inputs:
        group = inputs.getChild(port._ks_name) if inputs is not None else None
        f = group.getChild("file") if group is not None else None
        location = f.getValue(time) if f is not None else ""
        outputs.append({"name": port._ks_name, "enabled": True, "outputLocation": location,
                        "tempRenderLocation": ""})
    return outputs


def outputs_for(node, time=None):
    """Output dicts of a farm node (stand-in internal, used by RenderNodeUtil)."""
    if time is None:
        time = graph.GetCurrentTime()
    if node._ks_type == "ImageWrite":
        return _imagewrite_outputs(node, time)
    return _render_outputs(node, time)


def _renderer_for(node, time):
    """Stand-in guess [unverified]: the enabled ``renderer`` of the nearest
    RenderSettings node upstream, else the session default (``'prman'``,
    settable with ``katana_standin_control.set_default_renderer``)."""
    if node._ks_type == "ImageWrite":
        return ""
    renderer = ""
    for up in _upstream_nodes(node):
        if up._ks_type == "RenderSettings":
            value = _arg_value(up, "args.renderSettings.renderer", "", time)
            if value:
                renderer = value
    return renderer or state.S.default_renderer


def _direct_dependencies(node):
    """Farm nodes wired into ``node``'s extra inputs (every input but the first)."""
    deps = []
    for port in node._ks_inputs[1:]:
        stack = collections.deque(_upstream_producers(port))
        seen = set()
        while stack:
            producer = stack.popleft()
            up = producer._ks_node
            if up in seen:
                continue
            seen.add(up)
            if up._ks_type in graph.FARM_NODE_TYPES:
                if up not in deps:
                    deps.append(up)
            else:
                for inp in up._ks_inputs:
                    stack.extend(_upstream_producers(inp))
    return deps


def _find_cycle(nodes):
    WHITE, GREY, BLACK = 0, 1, 2
    colour = {}

    def visit(node, trail):
        colour[node] = GREY
        for dep in _direct_dependencies(node):
            c = colour.get(dep, WHITE)
            if c == GREY:
                return trail + [node, dep]
            if c == WHITE:
                found = visit(dep, trail + [node])
                if found:
                    return found
        colour[node] = BLACK
        return None

    for node in nodes:
        if colour.get(node, WHITE) == WHITE:
            found = visit(node, [])
            if found:
                return found
    return None


# ---------------------------------------------------------------------------
# dependency results


class _RenderScriptSettings(object):
    """``renderScriptSettings`` of a RenderScript entry.

    Stand-in guess [unverified]: ``appendXML(element)`` appends a
    ``renderScript`` child (attribute ``node``) to an ``xml.etree`` element.
    """

    def __init__(self, nodeName):
        self.nodeName = nodeName

    def appendXML(self, element):
        import xml.etree.ElementTree as ET

        ET.SubElement(element, "renderScript", {"node": self.nodeName})


class NodeRenderSettings(object):
    """One entry of ``GetSortedDependencies``.

    Attributes: ``nodeName``, ``renderType``, ``renderService``,
    ``frameRange``, ``dependencies`` (names), ``dependAll``,
    ``renderInternalDependencies``, ``customFarmSettings``,
    ``renderScriptSettings``, ``outputs``; method ``getNodeType()``.

    Stand-in guesses: ``dependencyListEntry`` (a ``GetSortedDependencyList``
    dict) is not read; ``renderType`` is ``''``;
    ``renderInternalDependencies`` is False; ``frameRange`` is a pair of floats
    or ``None``; ``renderService`` is ``''`` for ImageWrite;
    ``renderScriptSettings`` is ``None`` except on RenderScript nodes.
    """

    def __init__(self, dependencyListEntry=None):
        self.nodeName = ""
        self.renderType = ""
        self.renderService = ""
        self.frameRange = None
        self.dependencies = []
        self.dependAll = False
        self.renderInternalDependencies = False
        self.customFarmSettings = {}
        self.renderScriptSettings = None
        self.outputs = []
        self._nodeType = ""

    def getNodeType(self):
        return self._nodeType

    def __repr__(self):
        return "<NodeRenderSettings %r>" % (self.nodeName,)


def _setting_value(param, time):
    ptype = param.getType()
    if ptype in ("number", "string"):
        return param.getValue(time)
    if ptype in ("numberArray", "stringArray"):
        return [c.getValue(time) for c in param.getChildren()]
    return None


def _settings_for(node, time):
    entry = NodeRenderSettings()
    entry.nodeName = node._ks_name
    entry._nodeType = node._ks_type
    entry.renderService = _renderer_for(node, time)
    fs = node.getParameter("farmSettings")
    if fs is not None and fs.getChild("setActiveFrameRange") is not None:
        if fs.getChild("setActiveFrameRange").getValue(time):
            afr = fs.getChild("activeFrameRange")
            entry.frameRange = (afr.getChild("start").getValue(time), afr.getChild("end").getValue(time))
        entry.dependAll = bool(fs.getChild("dependAll").getValue(time))
        for name in state.S.farm_settings:
            p = fs.getChild(name)
            if p is not None:
                entry.customFarmSettings[name] = _setting_value(p, time)
    entry.dependencies = [d._ks_name for d in _direct_dependencies(node)]
    if node._ks_type == "RenderScript":
        entry.renderScriptSettings = _RenderScriptSettings(node._ks_name)
    entry.outputs = outputs_for(node, time)
    return entry


def _as_node_list(nodes):
    if nodes is None:
        return GetNodeList()
    if isinstance(nodes, graph.Node):
        return [nodes]
    return list(nodes)


def sorted_nodes(nodes, includeBypassed=True):
    """Requested farm nodes plus their dependencies, dependencies first.

    Without ``includeBypassed`` bypassed nodes are left out, requested or
    depended on (their own dependencies are not followed either).
    """
    order = []
    placed = set()
    active = set()

    def visit(node):
        if node in placed or node in active:
            return
        if not includeBypassed and node._ks_bypassed:
            return
        active.add(node)
        for dep in _direct_dependencies(node):
            visit(dep)
        active.discard(node)
        placed.add(node)
        order.append(node)

    for node in _as_node_list(nodes):
        visit(node)
    return order


def GetSortedDependencies(nodeOrNodes=None, includeBypassed=False):
    """``NodeRenderSettings`` for the nodes and everything they depend on.

    ``nodeOrNodes`` is one node, a list of nodes or ``None`` (the current
    scope, ``GetNodeList()``).  Every entry comes after the entries it depends
    on; for a single node that node is last.  Dependencies are the farm nodes
    wired into a node's extra inputs (``i1``, ``i2`` ...), found through
    groups and non-farm nodes.  Bypassed nodes get no entry unless
    ``includeBypassed``.

    Stand-in guesses: ``includeBypassed`` defaults to False (the stubs do not
    say); a dependency cycle is broken silently (``IsSceneValid`` reports it);
    values are read at the current time.
    """
    time = graph.GetCurrentTime()
    return [_settings_for(node, time) for node in sorted_nodes(nodeOrNodes, includeBypassed)]


def GetSortedDependencyList(nodeList=None, syncAllOutputPorts=False, includeInternalDeps=False):
    """Older dict form of ``GetSortedDependencies``.

    Stand-in guesses: keys ``name``, ``service``, ``outputs``, ``2Dor3D``,
    ``dependAll`` ('Yes'/'No'), ``range`` (None or a pair), ``deps``,
    ``renderInternalDependencies`` ('Yes'/'No'), ``farmFileName``, plus one key
    per custom farm setting; bypassed nodes are included; outputs are always
    current, so ``syncAllOutputPorts`` changes nothing, and nodes have no
    internal dependencies, so neither does ``includeInternalDeps``.
    """
    result = []
    time = graph.GetCurrentTime()
    for node in sorted_nodes(nodeList, includeBypassed=True):
        entry = _settings_for(node, time)
        d = {
            "name": entry.nodeName,
            "service": entry.renderService,
            "outputs": entry.outputs,
            "2Dor3D": "2D" if node._ks_type == "ImageWrite" else "3D",
            "dependAll": "Yes" if entry.dependAll else "No",
            "range": entry.frameRange,
            "deps": entry.dependencies,
            "renderInternalDependencies": "No",
            "farmFileName": node.getParameterValue("farmSettings.farmFileName", time) or "",
        }
        d.update(entry.customFarmSettings)
        result.append(d)
    return result


# ---------------------------------------------------------------------------
# validity


def AddErrorMessage(message):
    """Append to the error list read by ``GetErrorMessages``."""
    state.S.error_messages.append(message)


def AddWarningMessage(message):
    """Append to the warning list read by ``GetWarningMessages``."""
    state.S.warning_messages.append(message)


def GetErrorMessages():
    return list(state.S.error_messages)


def GetWarningMessages():
    return list(state.S.warning_messages)


def IsSceneValid(nodeScope=None, allowUnsavedChanges=True, allowCapitalLetters=True, allowDigits=True,
                 unwantedSymbols=None):
    """Check the farm nodes in scope; fill the message lists; return a bool.

    ``nodeScope`` is ``NODES_SINGLE``, ``NODES_SELECTED``, ``NODES_ALL``, a node
    list or ``None`` (the current scope).  Returns True when no error was
    recorded.

    Stand-in guesses: the defaults (the stubs do not give them); the message
    lists are cleared first; then errors are recorded for: unsaved changes
    (when not allowed), no farm node in scope, a node name with a capital
    letter / digit (when not allowed) or an unwanted symbol, a dependency
    cycle; then the messages injected with
    ``katana_standin_control.inject_validity_messages`` are appended.
    """
    S = state.S
    del S.error_messages[:]
    del S.warning_messages[:]
    if nodeScope is None:
        nodes = GetNodeList()
    elif isinstance(nodeScope, str):
        nodes = _nodes_for_scope(nodeScope)
    else:
        nodes = _as_node_list(nodeScope)
    if not allowUnsavedChanges and graph.current_graph().dirty:
        S.error_messages.append("The project has unsaved changes.")
    if not nodes:
        S.error_messages.append("No render nodes in scope.")
    for node in nodes:
        name = node.getName()
        if not allowCapitalLetters and any(c.isupper() for c in name):
            S.error_messages.append("Node name '%s' contains capital letters." % name)
        if not allowDigits and any(c.isdigit() for c in name):
            S.error_messages.append("Node name '%s' contains digits." % name)
        for symbol in unwantedSymbols or ():
            if symbol and symbol in name:
                S.error_messages.append("Node name '%s' contains unwanted symbol '%s'." % (name, symbol))
    cycle = _find_cycle(nodes)
    if cycle:
        S.error_messages.append("Circular render dependency: %s." % " -> ".join(n.getName() for n in cycle))
    S.error_messages.extend(S.injected_errors)
    S.warning_messages.extend(S.injected_warnings)
    return not S.error_messages
