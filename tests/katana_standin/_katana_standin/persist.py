"""Engine of ``KatanaFile``: the stand-in's own project file format.

The file is JSON (``{"format": "katana-standin-project", "version": 1, ...}``)
holding every persistent node with its type, parent, parameters (values,
expressions and their flag, hints, tuple sizes), ports, connections, bypass
flag, position, selection and edit flags, plus the root node's parameters.
It is **not** Katana's ``.katana`` format; only the stand-in reads it.
"""

import json
import os

from . import callbacks, events, graph, state

FORMAT = "katana-standin-project"
VERSION = 1


# ---------------------------------------------------------------------------
# parameters


def _param_to_dict(p):
    d = {"name": p._ks_name, "type": p._ks_type}
    if p._ks_children is None:
        d["value"] = p._ks_value
    if p._ks_expr is not None:
        d["expression"] = p._ks_expr
        d["expressionEnabled"] = p._ks_expr_on
    if p._ks_hints:
        d["hints"] = p._ks_hints
    if p._ks_tuple != 1:
        d["tupleSize"] = p._ks_tuple
    if not p._ks_use_default:
        d["useNodeDefault"] = False
    if p._ks_children is not None:
        d["children"] = [_param_to_dict(c) for c in p._ks_children]
    return d


def _param_from_dict(node, parent, d):
    p = graph.Parameter._ks_new(node, parent, d["name"], d["type"], d.get("value"))
    if "expression" in d:
        p._ks_expr = d["expression"]
        p._ks_expr_on = bool(d.get("expressionEnabled", True))
        node._ks_graph.expr_params[p] = None
    p._ks_hints = d.get("hints", "")
    p._ks_tuple = d.get("tupleSize", 1)
    p._ks_use_default = d.get("useNodeDefault", True)
    for cd in d.get("children", ()):
        child = _param_from_dict(node, p, cd)
        p._ks_children.append(child)
        p._ks_map[child._ks_name] = child
    return p


# ---------------------------------------------------------------------------
# save


def _persistent_nodes(g):
    """Pre-order walk from the root, skipping non-persistent SuperTool children."""
    result = []
    stack = list(reversed(list(g.root._ks_children)))
    while stack:
        node = stack.pop()
        parent = node._ks_parent
        if isinstance(parent, graph.SuperTool) and not parent.isChildNodePersistent(node):
            continue
        result.append(node)
        stack.extend(reversed(list(node._ks_children)))
    return result


def graph_to_dict(g, nodes=None):
    if nodes is None:
        nodes = _persistent_nodes(g)
    saved = set(nodes)
    out_nodes = []
    connections = []
    for node in nodes:
        out_nodes.append({
            "name": node._ks_name,
            "type": node._ks_type,
            "parent": node._ks_parent._ks_name if node._ks_parent in saved else None,
            "parameters": _param_to_dict(node._ks_params),
            "inputs": [p._ks_name for p in node._ks_inputs],
            "outputs": [p._ks_name for p in node._ks_outputs],
            "bypassed": node._ks_bypassed,
            "position": list(g.positions.get(node, (0, 0))),
            "selected": node in g.selected,
            "edited": node in g.edited,
            "contentLocked": node._ks_content_locked,
        })
        consumers = [p for p in node._ks_inputs] + list(node._ks_return.values())
        for port in consumers:
            for other in port._ks_links:
                if other._ks_node in saved:
                    connections.append([node._ks_name, port._ks_name, port._ks_kind,
                                         other._ks_node._ks_name, other._ks_name, other._ks_kind])
    return {
        "format": FORMAT,
        "version": VERSION,
        "root": _param_to_dict(g.root._ks_params),
        "nodes": out_nodes,
        "connections": connections,
    }


def _file_for(fileNameOrAssetId):
    """The file-system path of a file name or asset id (resolved by the default asset plug-in).

    Stand-in guess: an asset id that no resolver turns into a path raises
    ``RuntimeError``.
    """
    import AssetAPI

    plugin = AssetAPI.GetDefaultAssetPlugin()
    if plugin.isAssetId(fileNameOrAssetId):
        path = plugin.resolveAsset(fileNameOrAssetId)
        if not path or plugin.isAssetId(path):
            raise RuntimeError("katana stand-in: asset id %s does not resolve to a file" % (fileNameOrAssetId,))
        return path
    return fileNameOrAssetId


def Save(fileNameOrAssetId, extraOptionsDict=None):
    """Write the project to ``filename`` (stand-in JSON format).

    Afterwards ``IsFileDirty()`` is False and ``GetSourceFile()`` /
    ``FarmAPI.GetKatanaFileName()`` return ``filename`` as given.  Runs
    ``onSceneSave`` callbacks with kwarg ``filename``.

    Returns the path written (stand-in guess; the stubs say ``str``).

    Stand-in guesses: ``extraOptionsDict`` is accepted and ignored; the path
    is stored as given (not made absolute); the callback runs after the file
    is written; an asset id is written as a file of that name.
    """
    filename = fileNameOrAssetId
    g = graph.current_graph()
    data = graph_to_dict(g)
    path = _file_for(filename)
    tmp = path + ".tmp-standin"
    with open(tmp, "w") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
    os.replace(tmp, path)
    g.source_file = filename
    g.project_file = os.path.abspath(path)
    g.dirty = False
    callbacks.fire(callbacks.Type.onSceneSave, filename=filename)
    return filename


# ---------------------------------------------------------------------------
# load / import


def _read(filename):
    with open(filename) as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("katana stand-in: %s is not a stand-in project file" % filename)
    return data


def _build_nodes(g, data, parent_for_top, rename):
    """Create nodes from ``data``; returns ``(created, by_saved_name)``.

    SuperTool classes come from the registry by type name; ``__init__`` is
    never called.
    """
    created = []
    by_name = {}
    for nd in data["nodes"]:
        found = graph.node_class_for(nd["type"])
        if found is None:
            raise ValueError("katana stand-in: %s uses node type %r, which is not registered"
                             % (nd["name"], nd["type"]))
        cls = found[0]
        parent = by_name[nd["parent"]] if nd.get("parent") else parent_for_top
        node = cls.__new__(cls)
        graph._init_node(node, g, nd["type"])
        graph._register_node(g, node, nd["name"], parent)
        if rename is not None and node._ks_name != nd["name"]:
            rename[nd["name"]] = node._ks_name
        params = _param_from_dict(node, None, nd["parameters"])
        node._ks_params = params
        if node._ks_name != nd["name"]:
            node._ks_after_rename()
        for name in nd.get("inputs", ()):
            node.addInputPort(name)
        for name in nd.get("outputs", ()):
            node.addOutputPort(name)
        node._ks_bypassed = bool(nd.get("bypassed"))
        node._ks_content_locked = bool(nd.get("contentLocked"))
        x, y = nd.get("position", (0, 0))
        g.positions[node] = (x, y)
        by_name[nd["name"]] = node
        created.append((node, nd))
    for a_name, a_port, a_kind, b_name, b_port, b_kind in data.get("connections", ()):
        a, b = by_name.get(a_name), by_name.get(b_name)
        if a is None or b is None:
            continue
        pa = _port(a, a_port, a_kind)
        pb = _port(b, b_port, b_kind)
        if pa is not None and pb is not None:
            pa.connect(pb)
    for node, _nd in created:
        if node._ks_type in graph.FARM_NODE_TYPES:
            graph.apply_farm_settings(node)
    return created, by_name


def _port(node, name, kind):
    return {"in": node._ks_in_map, "out": node._ks_out_map, "send": node._ks_send,
            "return": node._ks_return}[kind].get(name)


def _finish(created):
    for node, _nd in created:
        node._ks_building = False
    for node, _nd in created:
        if isinstance(node, graph.SuperTool):
            node.polish()


def Load(fileName, isCrashFile=False):
    """Replace the open project with the one in ``filename``.

    Nodes, parameters, expressions, hints, ports, connections, bypass flags,
    selection and edit flags come back as saved.  SuperTool nodes get their
    class from the registry by type name; their ``__init__`` is **not**
    called; ``polish()`` is called once on each after the whole graph is
    built.  Custom farm settings registered in this session are added to
    farm nodes that lack them.  Afterwards the project is clean and
    ``GetSourceFile()`` returns ``filename``.

    Order: ``onSceneAboutToLoad(filename=)`` callbacks, build, ``polish()``,
    queue ``nodegraph_loadEnd``, ``onSceneLoad(filename=)`` callbacks.

    Stand-in guesses (the signature is the stubs'): no ``node_create`` events or
    ``onNodeCreate`` callbacks during a load; a node type that is not
    registered (e.g. a SuperTool whose plug-in failed to load) raises
    ``ValueError`` and leaves an empty project.
    """
    filename = fileName
    path = _file_for(filename)
    data = _read(path)
    callbacks.fire(callbacks.Type.onSceneAboutToLoad, filename=filename)
    S = state.S
    S.graph = None
    g = graph.current_graph()
    g.loading += 1
    try:
        root = _param_from_dict(g.root, None, data["root"])
        for child in root._ks_children:
            existing = g.root._ks_params._ks_map.get(child._ks_name)
            if existing is not None:
                g.root._ks_params._ks_children.remove(existing)
            g.root._ks_params._ks_children.append(child)
            g.root._ks_params._ks_map[child._ks_name] = child
            child._ks_parent = g.root._ks_params
        try:
            created, _ = _build_nodes(g, data, g.root, None)
        except Exception:
            S.graph = None
            graph.current_graph()
            raise
        for node, nd in created:
            if nd.get("selected"):
                g.selected[node] = None
            if nd.get("edited"):
                g.edited[node] = None
        g.source_file = filename
        g.project_file = os.path.abspath(path)
        _finish(created)
    finally:
        g.loading -= 1
    g.dirty = False
    events.QueueEvent("nodegraph_loadEnd", None, filename=filename)
    callbacks.fire(callbacks.Type.onSceneLoad, filename=filename)


def Import(fileName, floatNodes=False, parentNode=None):
    """Add the nodes of ``filename`` to the open project; returns the top-level ones.

    Names that are taken get a numeric suffix and expressions of the imported
    nodes follow the renames.  SuperTools are restored like ``Load`` does
    (no ``__init__``, ``polish()`` once).  The project becomes dirty.

    Stand-in guesses (the signature is the stubs'): ``floatNodes`` is ignored;
    root parameters of the imported file are ignored; events and
    ``onNodeCreate`` callbacks are not emitted for imported nodes.
    """
    filename = fileName
    from . import expressions

    data = _read(filename)
    g = graph.current_graph()
    parent = parentNode if parentNode is not None else g.root
    rename = {}
    g.loading += 1
    try:
        created, _ = _build_nodes(g, data, parent, rename)
        imported = set(n for n, _nd in created)
        for node, _nd in created:
            for p in graph._walk_params(node._ks_params):
                if p._ks_expr:
                    for old, new in rename.items():
                        if old in p._ks_expr:
                            p._ks_expr = expressions.rewrite(p._ks_expr, old, new)
        _finish(created)
    finally:
        g.loading -= 1
    g.dirty = True
    return [n for n, _nd in created if n._ks_parent not in imported]


def New():
    """Start an empty, clean, unsaved project; runs ``onNewScene`` callbacks.

    Session-wide registrations (SuperTools, farm settings, menus, callbacks,
    event handlers) are kept.
    """
    state.S.graph = None
    graph.current_graph()
    callbacks.fire(callbacks.Type.onNewScene)


def IsFileDirty():
    """True after any change to nodes, parameters, ports or flags since the
    last ``New`` / ``Load`` / ``Save``.

    Stand-in guesses [unverified]: selection and edit-flag changes and
    ``SetCurrentTime`` do not dirty the project; ``SetNodePosition`` does.
    """
    return graph.current_graph().dirty
