"""Engine of ``NodegraphAPI``: nodes, parameters, ports and the node graph.

Built-in node types (``BUILTIN_TYPES``) carry the parameters the reference
sheet names for them.  Stand-in guess [unverified]: everything else about
their layout - port names (``input``/``out``/``i0``...; Render's output port
``primary``), the extra parameters (``name``, ``CEL``, ``location`` ...),
args groups holding ``value``/``enable``/``default`` with ``enable`` off, and
their default values.

Performance: every lookup (node by name, nodes by type, child parameter by
name, unique-name generation) is a dict access, so building a 20,000-node
scene and reading all its parameters is linear.
"""

import os
import re

from . import callbacks, events, state

FARM_NODE_TYPES = ("Render", "RenderScript", "ImageWrite")
_CONTAINER_TYPES = ("group", "numberArray", "stringArray")
_INVALID_NAME_CHARS = re.compile(r"[^A-Za-z0-9_]")
_TRAILING_DIGITS = re.compile(r"^(.*?)(\d+)$")


# ---------------------------------------------------------------------------
# session helpers


def current_graph():
    """The current graph, created (with its root node) on first use."""
    S = state.S
    if S.graph is None:
        S.graph = state.Graph()
        _make_root(S.graph)
    return S.graph


def _emit(g, eventType, eventID, **kwargs):
    if g.loading or g is not state.S.graph:
        return
    events.QueueEvent(eventType, eventID, **kwargs)


def _touch(g):
    if not g.loading:
        g.dirty = True


def _node_quiet(node):
    """True while a node is being built: no events, no dirty flag."""
    return node is None or node._ks_building


# ---------------------------------------------------------------------------
# value coercion


def _to_number(value, what):
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    raise TypeError(
        "katana stand-in: %s needs a number, got %r (stand-in guess: strings are not converted)"
        % (what, value)
    )


def _to_string(value, what):
    if isinstance(value, str):
        return value
    raise TypeError(
        "katana stand-in: %s needs a str, got %r (stand-in guess: other types are not converted)"
        % (what, value)
    )


# ---------------------------------------------------------------------------
# parameters


class Parameter(object):
    """Imitates ``NodegraphAPI.Parameter``.

    Types (``getType()``): ``'group'``, ``'number'``, ``'string'``,
    ``'numberArray'``, ``'stringArray'`` (documented 8.0 list; curves, opaque
    and other types are not imitated).  Array elements are child parameters
    named ``i0``, ``i1`` ...

    Parameters are created only through the ``createChild*`` methods of a
    group parameter (or by node types); do not instantiate this class.
    """

    __slots__ = (
        "_ks_node",
        "_ks_parent",
        "_ks_name",
        "_ks_type",
        "_ks_children",
        "_ks_map",
        "_ks_value",
        "_ks_expr",
        "_ks_expr_on",
        "_ks_hints",
        "_ks_tuple",
        "_ks_use_default",
        "__weakref__",
    )

    def __init__(self):
        """Katana's parameters cannot be constructed from Python (no constructor)."""
        raise TypeError("NodegraphAPI.Parameter: No constructor defined!")

    @classmethod
    def _ks_new(cls, node, parent, name, ptype, value=None):
        self = cls.__new__(cls)
        self._ks_init(node, parent, name, ptype, value)
        return self

    def _ks_init(self, node, parent, name, ptype, value):
        self._ks_node = node
        self._ks_parent = parent
        self._ks_name = name
        self._ks_type = ptype
        if ptype in _CONTAINER_TYPES:
            self._ks_children = []
            self._ks_map = {}
        else:
            self._ks_children = None
            self._ks_map = None
        self._ks_value = value
        self._ks_expr = None
        self._ks_expr_on = False
        self._ks_hints = ""
        self._ks_tuple = 1
        self._ks_use_default = True

    def __repr__(self):
        return "<Parameter %r>" % (self.getName(),)

    # -- change notification ------------------------------------------------
    def _ks_changed(self, final):
        node = self._ks_node
        if _node_quiet(node):
            return
        g = node._ks_graph
        _touch(g)
        _emit(g, "parameter_setValue", hash(self), node=node, param=self)
        if final:
            _emit(g, "parameter_finalizeValue", hash(self), node=node, param=self)

    def _ks_structure_changed(self):
        node = self._ks_node
        if not _node_quiet(node):
            _touch(node._ks_graph)

    # -- identity / navigation ---------------------------------------------
    def getName(self):
        """The parameter's name; the root parameter is named after its node."""
        if self._ks_parent is None and self._ks_node is not None:
            return self._ks_node._ks_name
        return self._ks_name

    def getType(self):
        """One of ``'group'``, ``'number'``, ``'string'``, ``'numberArray'``, ``'stringArray'``."""
        return self._ks_type

    def getNode(self):
        """The node that owns this parameter."""
        return self._ks_node

    def getParent(self):
        """The parent parameter, or ``None`` for a node's root parameter."""
        return self._ks_parent

    def getFullName(self, includeNodeName=True):
        """Dotted path such as ``'Render.farmSettings.farmFileName'``.

        Stand-in guess (the keyword is in the stubs): ``includeNodeName=False`` drops the
        leading node name (``'farmSettings.farmFileName'``); for the root
        parameter that gives ``''``.
        """
        parts = []
        p = self
        while p._ks_parent is not None:
            parts.append(p._ks_name)
            p = p._ks_parent
        parts.reverse()
        if includeNodeName and self._ks_node is not None:
            parts.insert(0, self._ks_node._ks_name)
        return ".".join(parts)

    def getChildren(self):
        """A new list of the child parameters ([] for leaves)."""
        return list(self._ks_children) if self._ks_children is not None else []

    def getNumChildren(self):
        return len(self._ks_children) if self._ks_children is not None else 0

    def getChild(self, name):
        """The child named ``name`` or ``None``.

        Stand-in guess [unverified]: only a single name is accepted, not a
        dotted path (use ``node.getParameter('a.b')`` for paths).
        """
        if self._ks_map is None:
            return None
        return self._ks_map.get(name)

    def getChildByIndex(self, index):
        """The child at ``index`` or ``None`` when out of range."""
        children = self._ks_children
        if children is None or index < 0 or index >= len(children):
            return None
        return children[index]

    def getIndex(self):
        """Position of this parameter among its siblings (0 for the root)."""
        if self._ks_parent is None:
            return 0
        return self._ks_parent._ks_children.index(self)

    # -- creation / deletion -----------------------------------------------
    def _ks_unique_child_name(self, name):
        if name not in self._ks_map:
            return name
        m = _TRAILING_DIGITS.match(name)
        base = m.group(1) if m and m.group(1) else name
        i = 1
        while base + str(i) in self._ks_map:
            i += 1
        return base + str(i)

    def _ks_add(self, name, ptype, value, index):
        if self._ks_type != "group":
            raise TypeError("katana stand-in: %s is a %s parameter; children can only be created on groups"
                            % (self.getFullName(), self._ks_type))
        name = self._ks_unique_child_name(_to_string(name, "parameter name"))
        child = Parameter._ks_new(self._ks_node, self, name, ptype, value)
        children = self._ks_children
        if index is None or index < 0 or index >= len(children):
            children.append(child)
        else:
            children.insert(index, child)
        self._ks_map[name] = child
        self._ks_structure_changed()
        return child

    def createChildGroup(self, name, index=-1):
        """Create a group child.  A taken name gets a numeric suffix [unverified]."""
        return self._ks_add(name, "group", None, index)

    def createChildNumber(self, name, value, index=-1):
        """Create a number child holding ``float(value)``."""
        return self._ks_add(name, "number", _to_number(value, "createChildNumber"), index)

    def createChildString(self, name, value, index=-1):
        """Create a string child."""
        return self._ks_add(name, "string", _to_string(value, "createChildString"), index)

    def createChildNumberArray(self, name, size, index=-1):
        """Create a number array with ``size`` elements ``i0..`` (value 0.0)."""
        child = self._ks_add(name, "numberArray", None, index)
        child._ks_resize(int(size))
        return child

    def createChildStringArray(self, name, size, index=-1):
        """Create a string array with ``size`` elements ``i0..`` (value '')."""
        child = self._ks_add(name, "stringArray", None, index)
        child._ks_resize(int(size))
        return child

    def createChildXmlIO(self, element, index=-1):
        """Not imitated: XmlIO parameter descriptions are out of the stand-in's scope."""
        raise NotImplementedError("katana stand-in: createChildXmlIO is not imitated")

    def deleteChild(self, child):
        """Delete a child parameter (queues ``parameter_deleteChild``)."""
        if self._ks_map is None or self._ks_map.get(child._ks_name) is not child:
            raise ValueError("katana stand-in: %r is not a child of %r" % (child, self))
        self._ks_children.remove(child)
        del self._ks_map[child._ks_name]
        node = self._ks_node
        if node is not None:
            g = node._ks_graph
            for p in _walk_params(child):
                g.expr_params.pop(p, None)
            if not _node_quiet(node):
                _touch(g)
                _emit(g, "parameter_deleteChild", hash(self), node=node, param=self, childName=child._ks_name)
        child._ks_parent = None

    def reorderChild(self, child, index):
        """Move ``child`` to position ``index``."""
        self._ks_children.remove(child)
        if index < 0 or index >= len(self._ks_children):
            self._ks_children.append(child)
        else:
            self._ks_children.insert(index, child)
        self._ks_structure_changed()

    def reorderChildren(self, oldIndex, newIndex, count):
        """Move ``count`` children starting at ``oldIndex`` to ``newIndex``."""
        block = self._ks_children[oldIndex:oldIndex + count]
        del self._ks_children[oldIndex:oldIndex + count]
        for offset, child in enumerate(block):
            self._ks_children.insert(newIndex + offset, child)
        self._ks_structure_changed()

    # -- arrays ------------------------------------------------------------
    def _ks_resize(self, size):
        if self._ks_type not in ("numberArray", "stringArray"):
            raise TypeError("katana stand-in: %s is not an array parameter" % self.getFullName())
        etype = "number" if self._ks_type == "numberArray" else "string"
        default = 0.0 if etype == "number" else ""
        children = self._ks_children
        while len(children) > size:
            gone = children.pop()
            del self._ks_map[gone._ks_name]
            if self._ks_node is not None:
                self._ks_node._ks_graph.expr_params.pop(gone, None)
        while len(children) < size:
            name = "i%d" % len(children)
            child = Parameter._ks_new(self._ks_node, self, name, etype, default)
            children.append(child)
            self._ks_map[name] = child

    def resizeArray(self, length):
        """Change the number of elements of an array parameter."""
        self._ks_resize(int(length))
        self._ks_changed(True)

    def setTupleSize(self, size):
        """Group elements by ``size`` for display (stored only)."""
        self._ks_tuple = int(size)
        self._ks_structure_changed()

    def getTupleSize(self):
        return self._ks_tuple

    # -- values ------------------------------------------------------------
    def getValue(self, time):
        """The value at ``time``: ``float`` for numbers, ``str`` for strings.

        With an enabled expression the evaluated expression is returned.

        Stand-in guesses [unverified]: ``time`` is required (Katana code always
        passes it); calling this on a group or array parameter raises
        ``TypeError``; an expression that cannot be evaluated raises
        ``RuntimeError``.
        """
        ptype = self._ks_type
        if ptype == "number" or ptype == "string":
            if self._ks_expr_on and self._ks_expr is not None:
                from . import expressions

                result = expressions.evaluate(self, time)
                if ptype == "number":
                    if isinstance(result, str):
                        try:
                            return float(result)
                        except ValueError:
                            raise RuntimeError("katana stand-in: expression of %s gave %r, not a number"
                                               % (self.getFullName(), result))
                    return float(result)
                return result if isinstance(result, str) else str(result)
            return self._ks_value
        raise TypeError("katana stand-in: getValue() on a %s parameter (%s) is not imitated"
                        % (ptype, self.getFullName()))

    def setValue(self, value, time, final=True, sendNotifyMessage=True):
        """Set the constant value at ``time``.

        ``final=False`` marks an interactive, not yet committed change: only
        ``parameter_setValue`` is queued; ``final=True`` also queues
        ``parameter_finalizeValue`` (kwargs ``node``, ``param``).

        Stand-in guesses [unverified]: number parameters accept int/float/bool
        only and string parameters str only (``TypeError`` otherwise); setting
        a value switches an enabled expression off (the expression text is
        kept and ``setExpressionFlag(True)`` brings it back);
        ``sendNotifyMessage`` is accepted and changes nothing.
        """
        ptype = self._ks_type
        if ptype == "number":
            value = _to_number(value, "setValue on %s" % self.getFullName())
        elif ptype == "string":
            value = _to_string(value, "setValue on %s" % self.getFullName())
        else:
            raise TypeError("katana stand-in: setValue() on a %s parameter (%s)" % (ptype, self.getFullName()))
        self._ks_value = value
        self._ks_expr_on = False
        self._ks_changed(final)
        node = self._ks_node
        if node is not None and not node._ks_building:
            node._ks_after_set(self)

    def setUseNodeDefault(self, value):
        """Attach to / detach from the node type's default (stored only)."""
        self._ks_use_default = bool(value)

    # -- animation (constant values only) ------------------------------------
    def isAnimated(self):
        """Always False: the stand-in does not imitate animation curves."""
        return False

    def getKeys(self):
        """Always []: no animation."""
        return []

    def makeConstant(self, time):
        """No-op: parameters are always constant in the stand-in."""

    def setValueAutoKey(self, value, time, final=True):
        """Same as ``setValue`` (no auto-key animation in the stand-in)."""
        self.setValue(value, time, final)

    def setKey(self, time, sendNotifyMessage=True):
        """Not imitated: animation curves are out of the stand-in's scope."""
        raise NotImplementedError("katana stand-in: animation is not imitated")

    def setAutoKey(self, value):
        """Not imitated: animation curves are out of the stand-in's scope."""
        raise NotImplementedError("katana stand-in: animation is not imitated")

    # -- expressions ---------------------------------------------------------
    def setExpression(self, expression, enable=True):
        """Set an expression; ``enable`` switches it on (documented optional arg).

        Reference expressions start with ``@`` or ``=``; anything else is a
        Python expression.  See the ``expressions`` module docstring for what
        the stand-in evaluates.
        """
        if self._ks_type not in ("number", "string"):
            raise TypeError("katana stand-in: expressions need a number or string parameter")
        self._ks_expr = _to_string(expression, "setExpression")
        self._ks_expr_on = bool(enable)
        node = self._ks_node
        if node is not None:
            node._ks_graph.expr_params[self] = None
        self._ks_changed(True)

    def getExpression(self):
        """The expression text, or ``''`` when none was set.

        Stand-in guess [unverified]: ``''`` (not ``None``) without an expression;
        the text is returned even while the expression flag is off.
        """
        return self._ks_expr if self._ks_expr is not None else ""

    def isExpression(self):
        """True when an expression is set and enabled."""
        return bool(self._ks_expr_on and self._ks_expr is not None)

    def setExpressionFlag(self, value):
        """Enable or disable the stored expression."""
        self._ks_expr_on = bool(value)
        self._ks_changed(True)

    # -- hints ---------------------------------------------------------------
    def setHintString(self, hint):
        """Store the hint string verbatim (normally ``repr()`` of a dict)."""
        self._ks_hints = _to_string(hint, "setHintString")
        self._ks_structure_changed()

    def getHintString(self):
        """The stored hint string (``''`` by default)."""
        return self._ks_hints


def _walk_params(param):
    stack = [param]
    while stack:
        p = stack.pop()
        yield p
        if p._ks_children:
            stack.extend(p._ks_children)


# ---------------------------------------------------------------------------
# ports

_PRODUCERS = ("out", "send")
_CONSUMERS = ("in", "return")


class Port(object):
    """Imitates ``NodegraphAPI.Port``.

    Kinds (stand-in internal): ``in``/``out`` are a node's input/output ports;
    a group-like node also has inner faces: a *send* port per input (seen from
    inside as a producer) and a *return* port per output (seen from inside as
    a consumer).  A consumer accepts one connection; connecting another
    replaces it.  A producer accepts any number.
    """

    __slots__ = ("_ks_node", "_ks_name", "_ks_kind", "_ks_links", "__weakref__")

    def __init__(self):
        """Katana's ports cannot be constructed from Python (no constructor)."""
        raise TypeError("NodegraphAPI.Port: No constructor defined!")

    @classmethod
    def _ks_new(cls, node, name, kind):
        self = cls.__new__(cls)
        self._ks_node = node
        self._ks_name = name
        self._ks_kind = kind
        self._ks_links = []
        return self

    def __repr__(self):
        return "<Port %s.%s (%s)>" % (self._ks_node._ks_name, self._ks_name, self._ks_kind)

    def getName(self):
        return self._ks_name

    def getNode(self):
        return self._ks_node

    def getIndex(self):
        """Index among the node's ports of the same direction."""
        node = self._ks_node
        if self._ks_kind == "in":
            return node._ks_inputs.index(self)
        if self._ks_kind == "out":
            return node._ks_outputs.index(self)
        table = node._ks_send if self._ks_kind == "send" else node._ks_return
        return list(table).index(self._ks_name)

    def getConnectedPorts(self):
        """A new list of the ports connected to this one."""
        return list(self._ks_links)

    def getNumConnectedPorts(self):
        return len(self._ks_links)

    def getConnectedPort(self, index):
        """The ``index``-th connected port, or ``None``."""
        if 0 <= index < len(self._ks_links):
            return self._ks_links[index]
        return None

    def connect(self, other, doCycleCheck=True):
        """Connect to ``other``; returns True.

        Stand-in guesses: connecting two consumers or two producers raises
        ``ValueError``; a consumer's previous connection is replaced;
        ``doCycleCheck`` is accepted and no cycle check is made.
        """
        otherPort = other
        a, b = self, otherPort
        if a._ks_kind in _PRODUCERS and b._ks_kind in _CONSUMERS:
            a, b = b, a
        if not (a._ks_kind in _CONSUMERS and b._ks_kind in _PRODUCERS):
            raise ValueError("katana stand-in: cannot connect %r to %r" % (self, otherPort))
        if b in a._ks_links:
            return True
        for old in list(a._ks_links):
            _unlink(a, old)
        a._ks_links.append(b)
        b._ks_links.append(a)
        g = a._ks_node._ks_graph
        if not (_node_quiet(a._ks_node) and _node_quiet(b._ks_node)):
            _touch(g)
            _emit(g, "port_connect", hash(a), nodeNameA=b._ks_node._ks_name, portNameA=b._ks_name,
                  nodeNameB=a._ks_node._ks_name, portNameB=a._ks_name)
        return True

    def disconnect(self, other):
        """Remove the connection to ``other``; returns True if there was one."""
        if other not in self._ks_links:
            return False
        _unlink(self, other)
        return True

    def _ks_disconnect_all(self):
        for other in list(self._ks_links):
            _unlink(self, other)


def _unlink(a, b):
    a._ks_links.remove(b)
    b._ks_links.remove(a)
    g = a._ks_node._ks_graph
    if not (_node_quiet(a._ks_node) and _node_quiet(b._ks_node)):
        _touch(g)
        _emit(g, "port_disconnect", hash(a), nodeNameA=a._ks_node._ks_name, portNameA=a._ks_name,
              nodeNameB=b._ks_node._ks_name, portNameB=b._ks_name)


# ---------------------------------------------------------------------------
# nodes


def _sanitize(name):
    return _INVALID_NAME_CHARS.sub("_", name)


def _unique_name(g, requested, node):
    name = _sanitize(str(requested)) or node._ks_type
    current = g.nodes.get(name)
    if current is None or current is node:
        return name
    m = _TRAILING_DIGITS.match(name)
    base = m.group(1) if m and m.group(1) else name
    i = g.name_hints.get(base, 1)
    while True:
        candidate = base + str(i)
        current = g.nodes.get(candidate)
        if current is None or current is node:
            break
        i += 1
    g.name_hints[base] = i + 1
    return candidate


def _release_name(g, name):
    m = _TRAILING_DIGITS.match(name)
    if m and m.group(1):
        base, n = m.group(1), int(m.group(2))
        if base in g.name_hints and n < g.name_hints[base] and n >= 1:
            g.name_hints[base] = n


def _init_node(node, g, nodeType):
    """Set a node's internal state without calling any ``__init__``."""
    node._ks_graph = g
    node._ks_type = nodeType
    node._ks_name = None
    node._ks_parent = None
    node._ks_params = Parameter._ks_new(node, None, "", "group")
    node._ks_inputs = []
    node._ks_in_map = {}
    node._ks_outputs = []
    node._ks_out_map = {}
    node._ks_send = {}
    node._ks_return = {}
    node._ks_children = {}
    node._ks_bypassed = False
    node._ks_deleted = False
    node._ks_building = True
    node._ks_content_locked = False


def _register_node(g, node, name, parent):
    name = _unique_name(g, name, node)
    node._ks_name = name
    g.nodes[name] = node
    g.all[node] = None
    g.by_type.setdefault(node._ks_type, {})[node] = None
    if parent is not None:
        node._ks_parent = parent
        parent._ks_children[node] = None


class Node(object):
    """Imitates ``NodegraphAPI.Node``.

    Create nodes with ``NodegraphAPI.CreateNode``; constructing a node class
    directly gives an unusable shell (the stand-in's constructors do nothing,
    which is what lets a SuperTool ``__init__`` skip the base constructor).
    """

    def __init__(self, *args, **kwargs):
        pass

    def __repr__(self):
        return "<%s %r type=%r>" % (type(self).__name__.lstrip("_"), getattr(self, "_ks_name", None),
                                     getattr(self, "_ks_type", None))

    # hook used by node types with linked parameters (Render.passName)
    def _ks_after_set(self, param):
        pass

    def _ks_after_rename(self):
        pass

    # -- identity ------------------------------------------------------------
    def getName(self):
        """The unique node name."""
        return self._ks_name

    def setName(self, name, updateExpressions=True):
        """Rename; returns the name actually given (documented 5.0+).

        A taken name gets a numeric suffix (``Teapot`` -> ``Teapot1``), spaces
        and invalid characters become underscores (documented).  With
        ``updateExpressions`` the expressions naming the old node (``@Old``,
        ``=Old/param``, ``getNode('Old')``, ``getParam('Old.x')``) are
        rewritten.  Queues ``node_setName``.

        Stand-in guesses [unverified]: the suffix counts up from 1 and reuses
        freed numbers; ``node_setName`` kwargs are ``node``, ``oldName``,
        ``newName``.
        """
        g = self._ks_graph
        old = self._ks_name
        final = _unique_name(g, name, self)
        if final == old:
            return old
        if g.nodes.get(old) is self:
            del g.nodes[old]
        _release_name(g, old)
        g.nodes[final] = self
        self._ks_name = final
        self._ks_after_rename()
        if updateExpressions:
            from . import expressions

            expressions.retarget(g, old, final)
        _touch(g)
        _emit(g, "node_setName", hash(self), node=self, oldName=old, newName=final)
        return final

    def getType(self):
        """The node type name (``'Render'``, ``'Alembic_In'``, a SuperTool's name ...)."""
        return self._ks_type

    # -- parameters ----------------------------------------------------------
    def getParameters(self):
        """The root group parameter."""
        return self._ks_params

    def getParameter(self, name):
        """The parameter at dotted path ``name`` below the root, or ``None``."""
        p = self._ks_params
        for part in name.split("."):
            children = p._ks_map
            if children is None:
                return None
            p = children.get(part)
            if p is None:
                return None
        return p

    def getParameterValue(self, name, time):
        """``getParameter(name).getValue(time)``.

        Stand-in guess: returns ``None`` when the parameter is missing.
        """
        p = self.getParameter(name)
        if p is None:
            return None
        return p.getValue(time)

    def checkDynamicParameters(self):
        """No-op: the stand-in has no dynamic (args-file driven) parameters;
        tests create the parameters a real node would show."""

    # -- hierarchy -----------------------------------------------------------
    def getParent(self):
        """The owning group node (``None`` for the root node)."""
        return self._ks_parent

    def setParent(self, parentNode, notify=True):
        """Move the node into another group (connections are kept; ``notify`` changes nothing)."""
        parent = parentNode
        if not isinstance(parent, GroupNode):
            raise TypeError("katana stand-in: %r is not a group node" % (parent,))
        p = parent
        while p is not None:
            if p is self:
                raise ValueError("katana stand-in: cannot parent a node under itself")
            p = p._ks_parent
        if self._ks_parent is not None:
            self._ks_parent._ks_children.pop(self, None)
        self._ks_parent = parent
        parent._ks_children[self] = None
        _touch(self._ks_graph)

    def delete(self):
        """Delete the node (and, for groups, everything inside it).

        The node disappears from every lookup (``GetNode``, ``GetAllNodes``,
        ``GetAllNodesByType``, selection, its parent's children); its ports
        are disconnected.  Queues ``node_delete`` (kwargs ``node``,
        ``nodeName`` [unverified]) and runs ``onNodeDelete`` callbacks
        (kwarg ``node`` [unverified]).
        """
        g = self._ks_graph
        if self is g.root:
            raise RuntimeError("katana stand-in: the root node cannot be deleted")
        if self._ks_deleted:
            return
        for child in list(self._ks_children):
            child.delete()
        for port in self._ks_inputs + self._ks_outputs + list(self._ks_send.values()) + list(
                self._ks_return.values()):
            port._ks_disconnect_all()
        name = self._ks_name
        if g.nodes.get(name) is self:
            del g.nodes[name]
            _release_name(g, name)
        g.all.pop(self, None)
        g.by_type.get(self._ks_type, {}).pop(self, None)
        g.selected.pop(self, None)
        g.edited.pop(self, None)
        g.positions.pop(self, None)
        for p in _walk_params(self._ks_params):
            g.expr_params.pop(p, None)
        if self._ks_parent is not None:
            self._ks_parent._ks_children.pop(self, None)
        self._ks_deleted = True
        g.deleted.append(self)
        _touch(g)
        _emit(g, "node_delete", hash(self), node=self, nodeName=name)
        if g is state.S.graph and not g.loading:
            callbacks.fire(callbacks.Type.onNodeDelete, node=self)

    # -- ports ---------------------------------------------------------------
    def getInputPorts(self):
        return list(self._ks_inputs)

    def getOutputPorts(self):
        return list(self._ks_outputs)

    def getNumInputPorts(self):
        return len(self._ks_inputs)

    def getNumOutputPorts(self):
        return len(self._ks_outputs)

    def getInputPort(self, name):
        """The input port named ``name`` or ``None``."""
        return self._ks_in_map.get(name)

    def getOutputPort(self, name):
        """The output port named ``name`` or ``None``."""
        return self._ks_out_map.get(name)

    def getInputPortByIndex(self, index):
        """The input port at ``index`` or ``None``."""
        if 0 <= index < len(self._ks_inputs):
            return self._ks_inputs[index]
        return None

    def getOutputPortByIndex(self, index):
        """The output port at ``index`` or ``None``."""
        if 0 <= index < len(self._ks_outputs):
            return self._ks_outputs[index]
        return None

    @staticmethod
    def _ks_unique_port_name(table, name):
        if name not in table:
            return name
        m = _TRAILING_DIGITS.match(name)
        base = m.group(1) if m and m.group(1) else name
        i = 1
        while base + str(i) in table:
            i += 1
        return base + str(i)

    def addInputPort(self, name):
        """Add an input port and return it.

        Stand-in guess [unverified]: a taken name gets a numeric suffix.
        On group-like nodes the matching inner *send* port is created too.
        """
        name = self._ks_unique_port_name(self._ks_in_map, _to_string(name, "port name"))
        port = Port._ks_new(self, name, "in")
        self._ks_inputs.append(port)
        self._ks_in_map[name] = port
        if isinstance(self, GroupNode):
            self._ks_send[name] = Port._ks_new(self, name, "send")
        if not self._ks_building:
            _touch(self._ks_graph)
        return port

    def addOutputPort(self, name):
        """Add an output port and return it (inner *return* port on groups)."""
        name = self._ks_unique_port_name(self._ks_out_map, _to_string(name, "port name"))
        port = Port._ks_new(self, name, "out")
        self._ks_outputs.append(port)
        self._ks_out_map[name] = port
        if isinstance(self, GroupNode):
            self._ks_return[name] = Port._ks_new(self, name, "return")
        if not self._ks_building:
            _touch(self._ks_graph)
        return port

    def removeInputPort(self, name):
        """Remove an input port (disconnecting it)."""
        port = self._ks_in_map.pop(name, None)
        if port is None:
            raise ValueError("katana stand-in: %s has no input port %r" % (self._ks_name, name))
        port._ks_disconnect_all()
        self._ks_inputs.remove(port)
        inner = self._ks_send.pop(name, None)
        if inner is not None:
            inner._ks_disconnect_all()
        _touch(self._ks_graph)

    def removeOutputPort(self, name):
        """Remove an output port (disconnecting it)."""
        port = self._ks_out_map.pop(name, None)
        if port is None:
            raise ValueError("katana stand-in: %s has no output port %r" % (self._ks_name, name))
        port._ks_disconnect_all()
        self._ks_outputs.remove(port)
        inner = self._ks_return.pop(name, None)
        if inner is not None:
            inner._ks_disconnect_all()
        _touch(self._ks_graph)

    # -- flags ---------------------------------------------------------------
    def isBypassed(self):
        return self._ks_bypassed

    def setBypassed(self, bypassed):
        """Set the bypass flag (queues ``node_setBypassed``)."""
        bypassed = bool(bypassed)
        if bypassed != self._ks_bypassed:
            self._ks_bypassed = bypassed
            _touch(self._ks_graph)
            _emit(self._ks_graph, "node_setBypassed", hash(self), node=self, bypassed=bypassed)


class GroupNode(Node):
    """Imitates ``NodegraphAPI.GroupNode`` (root, Group, LiveGroup, SuperTools)."""

    def getChildren(self):
        """A new list of the nodes directly inside this group (creation order)."""
        return list(self._ks_children)

    def getSendPort(self, name):
        """Inside face of input port ``name`` (a producer for child nodes), or ``None``."""
        return self._ks_send.get(name)

    def getReturnPort(self, name):
        """Inside face of output port ``name`` (a consumer for child nodes), or ``None``."""
        return self._ks_return.get(name)


class PythonGroupNode(GroupNode):
    """Imitates ``NodegraphAPI.PythonGroupNode``, the base of ``SuperTool``."""

    def __init__(self):
        """Does nothing (create nodes with ``NodegraphAPI.CreateNode``)."""


class SuperTool(PythonGroupNode):
    """Imitates ``NodegraphAPI.SuperTool`` (documented 3.6+).

    Life cycle in the stand-in, as documented:

    * ``NodegraphAPI.CreateNode('<Name>')`` builds the node's internal state
      first, then calls the subclass ``__init__`` (which must not - and need
      not - call this base constructor), then ``polish()`` once.
    * ``KatanaFile.Load`` restores the node, its parameters, ports and
      persistent children from the file **without** calling ``__init__``, then
      calls ``polish()`` once.

    Stand-in guess [unverified]: if the subclass ``__init__`` raises, the half
    built node is deleted and the exception propagates out of ``CreateNode``.
    """

    def __init__(self):
        """Does nothing (Katana's docs: subclasses must not call it)."""

    def polish(self):
        """Called once after creation or load; override in subclasses."""

    def hideNodegraphGroupControls(self):
        """No-op in the stand-in (drops group controls in Katana's Node Graph)."""

    def isChildNodePersistent(self, node):
        """True: internal nodes are saved with the project unless overridden."""
        return True

    def getNodesCreatingSceneGraphLocations(self):
        """None (documented default, 4.0v1+)."""
        return None

    def isUserParameterEditingAllowed(self):
        """True (documented default, 6.0+)."""
        return True

    def isExplodable(self):
        """False (documented default)."""
        return False

    def setContentLocked(self, value):
        """Store the content-locked flag."""
        self._ks_content_locked = bool(value)

    def isContentLocked(self):
        return self._ks_content_locked

    @classmethod
    def superToolRegistered(cls):
        """Hook called after the class is registered.

        Stand-in guess [unverified]: the stand-in calls it once per
        registration (``RegisterSuperTool`` or a ``PluginRegistry`` entry).
        """


# ---------------------------------------------------------------------------
# built-in node types


class _RenderNode(Node):
    """Render node: ``passName`` and the node name follow each other (documented)."""

    def _ks_after_set(self, param):
        if param._ks_name == "passName" and param._ks_parent is self._ks_params:
            final = self.setName(param._ks_value)
            param._ks_value = final

    def _ks_after_rename(self):
        p = self._ks_params._ks_map.get("passName")
        if p is not None:
            p._ks_value = self._ks_name

    def removeInputPort(self, name):
        """Remove an input port; the first input ``input`` must not be removed (documented).

        Stand-in guess [unverified]: trying raises ``ValueError``.
        """
        if name == "input":
            raise ValueError("katana stand-in: the 'input' port of a Render node must not be removed")
        Node.removeInputPort(self, name)


class _ImageWriteNode(Node):
    """ImageWrite: each input port ``<port>`` has ``inputs.<port>.file``."""

    def addInputPort(self, name):
        port = Node.addInputPort(self, name)
        inputs = self._ks_params._ks_map.get("inputs")
        if inputs is not None and inputs.getChild(port._ks_name) is None:
            group = inputs.createChildGroup(port._ks_name)
            group.createChildString("file", "")
        return port


def _args(parent, name, value):
    """An args-style parameter group: ``value``, ``enable`` (0) and ``default``."""
    group = parent.createChildGroup(name)
    if isinstance(value, str):
        group.createChildString("value", value)
        group.createChildNumber("enable", 0)
        group.createChildString("default", value)
    else:
        group.createChildNumber("value", value)
        group.createChildNumber("enable", 0)
        group.createChildNumber("default", value)
    return group


def _scene_range(g):
    root = g.root._ks_params._ks_map
    return root["inTime"]._ks_value, root["outTime"]._ks_value


def _build_farm_settings(node):
    params = node._ks_params
    fs = params.createChildGroup("farmSettings")
    fs.createChildNumber("setActiveFrameRange", 0).setHintString(repr({"widget": "checkBox"}))
    afr = fs.createChildGroup("activeFrameRange")
    start, end = _scene_range(node._ks_graph)
    afr.createChildNumber("start", start)
    afr.createChildNumber("end", end)
    fs.createChildNumber("dependAll", 0).setHintString(repr({"widget": "checkBox"}))
    fs.createChildString("farmFileName", "")
    fs.createChildNumber("forceFarmOutputGeneration", 0).setHintString(repr({"widget": "checkBox"}))
    fs.createChildNumber("excludeFromFarmOutputGeneration", 0).setHintString(repr({"widget": "checkBox"}))


def apply_farm_settings(node):
    """Add every registered custom farm setting missing on ``node``."""
    fs = node._ks_params._ks_map.get("farmSettings")
    if fs is None:
        return
    was_building = node._ks_building
    node._ks_building = True
    try:
        for name, (kind, default, hints) in state.S.farm_settings.items():
            if name in fs._ks_map:
                continue
            if kind == "number":
                p = fs.createChildNumber(name, default)
            elif kind == "string":
                p = fs.createChildString(name, default)
            elif kind == "numberArray":
                p = fs.createChildNumberArray(name, len(default))
                for child, v in zip(p._ks_children, default):
                    child._ks_value = float(v)
            else:
                p = fs.createChildStringArray(name, len(default))
                for child, v in zip(p._ks_children, default):
                    child._ks_value = str(v)
            if hints:
                p.setHintString(repr(hints))
    finally:
        node._ks_building = was_building


def _b_render(node):
    p = node._ks_params
    p.createChildString("passName", node._ks_name)
    _build_farm_settings(node)
    node.addInputPort("input")
    node.addOutputPort("primary")


def _b_renderscript(node):
    _build_farm_settings(node)
    node.addInputPort("input")


def _b_imagewrite(node):
    node._ks_params.createChildGroup("inputs")
    _build_farm_settings(node)
    node.addInputPort("input")


def _b_source(*string_params):
    def build(node):
        for name, value in string_params:
            node._ks_params.createChildString(name, value)
        node.addOutputPort("out")

    return build


def _b_filter(*string_params):
    def build(node):
        for name, value in string_params:
            node._ks_params.createChildString(name, value)
        node.addInputPort("input")
        node.addOutputPort("out")

    return build


def _b_lookfileassign(node):
    p = node._ks_params
    p.createChildString("CEL", "")
    lookfile = p.createChildGroup("args").createChildGroup("lookfile")
    _args(lookfile, "asset", "")
    node.addInputPort("input")
    node.addOutputPort("out")


def _b_renderoutputdefine(node):
    outputs = node._ks_params.createChildGroup("args").createChildGroup(
        "renderSettings").createChildGroup("outputs")
    _args(outputs, "outputName", "primary")
    _args(outputs, "type", "color")
    _args(outputs, "locationType", "local")
    _args(outputs.createChildGroup("locationSettings"), "renderLocation", "")
    node.addInputPort("input")
    node.addOutputPort("out")


def _b_rendersettings(node):
    rs = node._ks_params.createChildGroup("args").createChildGroup("renderSettings")
    _args(rs, "renderer", "")
    _args(rs, "cameraName", "/root/world/cam/camera")
    node.addInputPort("input")
    node.addOutputPort("out")


def _b_shading(node):
    p = node._ks_params
    p.createChildString("name", node._ks_name)
    p.createChildString("nodeType", "")
    p.createChildGroup("parameters")
    node.addOutputPort("out")


def _b_opscript(node):
    p = node._ks_params
    p.createChildString("CEL", "")
    p.createChildGroup("script").createChildString("lua", "")
    node.addInputPort("i0")
    node.addOutputPort("out")


def _b_merge(node):
    node.addInputPort("i0")
    node.addInputPort("i1")
    node.addOutputPort("out")


def _b_dot(node):
    node.addInputPort("input")
    node.addOutputPort("output")


def _b_group(node):
    pass


def _b_livegroup(node):
    node._ks_params.createChildString("source", "")


#: Widget hints that built-in node types keep at node-type level, keyed
#: ``"<Type>.<parameter path>"``.  In Katana they live in the node modules'
#: ``_ExtraHints`` / ``_ParamHints`` tables (stubs: ``Nodes3DAPI/*.pyi``) and
#: reach the UI through ``node.addParameterHints(attrName, inputDict)``; the
#: parameters' own hint strings stay empty.  Stand-in guesses: the key form
#: ``"<Type>.<path>"`` and that ``addParameterHints`` adds the entry for that
#: key to ``inputDict`` (nothing for any other key); the parameter names
#: ``AttributeFile_In.filepath``/``sofilepath`` and ``CameraImagePlaneCreate.file``
#: (the stubs hold only each type's ``_Parameter_XML`` string, not its names).
NODE_TYPE_HINTS = {
    "AttributeFile_In": {
        "AttributeFile_In.filepath": {"widget": "assetIdInput", "fileTypes": "xml"},
        "AttributeFile_In.sofilepath": {"widget": "assetIdInput", "fileTypes": "so"},
    },
    "CameraImagePlaneCreate": {
        "CameraImagePlaneCreate.file": {"widget": "assetIdInput", "fileTypes": "exr|tx|png|jpg"},
    },
}


class _HintedNode(Node):
    """A built-in node type whose widget hints exist only at node-type level."""

    def addParameterHints(self, attrName, inputDict):
        found = NODE_TYPE_HINTS.get(self._ks_type, {}).get(attrName)
        if found:
            inputDict.update(found)


class NodeTypeSpec(object):
    """Class and builder of a built-in node type (layouts: see module docstring)."""

    __slots__ = ("cls", "build")

    def __init__(self, cls, build):
        self.cls = cls
        self.build = build


BUILTIN_TYPES = {
    "Render": NodeTypeSpec(_RenderNode, _b_render),
    "RenderScript": NodeTypeSpec(Node, _b_renderscript),
    "ImageWrite": NodeTypeSpec(_ImageWriteNode, _b_imagewrite),
    "Alembic_In": NodeTypeSpec(Node, _b_source(("name", "/root/world/geo/asset"), ("abcAsset", ""))),
    "UsdIn": NodeTypeSpec(Node, _b_source(("fileName", ""), ("location", "/root/world/geo"))),
    "ImageRead": NodeTypeSpec(Node, _b_source(("file", ""))),
    "ScenegraphXml_In": NodeTypeSpec(Node, _b_source(("name", "/root/world/geo/asset"), ("asset", ""))),
    "AttributeFile_In": NodeTypeSpec(_HintedNode, _b_filter(("CEL", ""), ("filepath", ""), ("sofilepath", ""),
                                                            ("groupName", "attributeFile"))),
    "CameraImagePlaneCreate": NodeTypeSpec(_HintedNode, _b_source(("name", "/root/world/cam/imagePlane"),
                                                                  ("file", ""))),
    "LookFileAssign": NodeTypeSpec(Node, _b_lookfileassign),
    "LookFileGlobalsAssign": NodeTypeSpec(Node, _b_lookfileassign),
    "LookFileMaterialsIn": NodeTypeSpec(Node, _b_filter(("lookfile", ""))),
    "RenderOutputDefine": NodeTypeSpec(Node, _b_renderoutputdefine),
    "RenderSettings": NodeTypeSpec(Node, _b_rendersettings),
    "PrmanShadingNode": NodeTypeSpec(Node, _b_shading),
    "ArnoldShadingNode": NodeTypeSpec(Node, _b_shading),
    "VrayShadingNode": NodeTypeSpec(Node, _b_shading),
    "OpScript": NodeTypeSpec(Node, _b_opscript),
    "Merge": NodeTypeSpec(Node, _b_merge),
    "Dot": NodeTypeSpec(Node, _b_dot),
    "PrimitiveCreate": NodeTypeSpec(Node, _b_source(("name", "/root/world/geo/primitive"), ("type", "sphere"))),
    "CameraCreate": NodeTypeSpec(Node, _b_source(("name", "/root/world/cam/camera"))),
    "Group": NodeTypeSpec(GroupNode, _b_group),
    "LiveGroup": NodeTypeSpec(GroupNode, _b_livegroup),
}


class SuperToolType(object):
    """A registered SuperTool: its node class and editor getter (or None)."""

    __slots__ = ("cls", "getEditor", "source", "editor_requests")

    def __init__(self, cls, getEditor, source):
        self.cls = cls
        self.getEditor = getEditor
        self.source = source
        self.editor_requests = 0


def node_class_for(nodeType):
    """(class, builder or None, is_supertool) for a registered type, else None."""
    st = state.S.supertools.get(nodeType)
    if st is not None:
        return st.cls, None, True
    spec = BUILTIN_TYPES.get(nodeType)
    if spec is not None:
        return spec.cls, spec.build, False
    return None


def _make_root(g):
    root = GroupNode.__new__(GroupNode)
    _init_node(root, g, "Group")
    _register_node(g, root, "rootNode", None)
    g.root = root
    p = root._ks_params
    # Stand-in guess [unverified]: Katana keeps the frame range and current
    # time in root-node parameters with these names and defaults.
    p.createChildNumber("inTime", 1)
    p.createChildNumber("outTime", 100)
    p.createChildNumber("workingInTime", 1)
    p.createChildNumber("workingOutTime", 100)
    p.createChildNumber("currentTime", 1)
    p.createChildNumber("timeIncrement", 1)
    root._ks_building = False
    return root


# ---------------------------------------------------------------------------
# module functions of NodegraphAPI


def GetRootNode():
    """The root group node (named ``rootNode``)."""
    return current_graph().root


def CreateNode(type, parent=None):
    """Create a node of a registered type inside ``parent`` (default: root).

    Built-in types are created with the parameters and ports listed in the
    stand-in README.  An unknown type raises ``ValueError`` (3.6 docs).  The
    node gets the type name as its name, made unique (``Render``,
    ``Render1`` ...).  Queues ``node_create`` (kwarg ``node``) and runs
    ``onNodeCreate`` callbacks (kwarg ``node``) [kwargs unverified].

    Stand-in guess [unverified]: a non-group ``parent`` raises ``TypeError``.
    """
    nodeType = type
    g = current_graph()
    found = node_class_for(nodeType)
    if found is None:
        raise ValueError("katana stand-in: unknown node type %r" % (nodeType,))
    cls, build, is_supertool = found
    if parent is None:
        parent = g.root
    if not isinstance(parent, GroupNode):
        raise TypeError("katana stand-in: parent %r is not a group node" % (parent,))
    node = cls.__new__(cls)
    _init_node(node, g, nodeType)
    _register_node(g, node, nodeType, parent)
    if build is not None:
        build(node)
    if nodeType in FARM_NODE_TYPES:
        apply_farm_settings(node)
    if is_supertool:
        try:
            node.__init__()
        except BaseException:
            node._ks_building = False
            node.delete()
            raise
    node._ks_building = False
    _touch(g)
    if is_supertool:
        node.polish()
    _emit(g, "node_create", hash(node), node=node)
    if not g.loading:
        callbacks.fire(callbacks.Type.onNodeCreate, node=node)
    return node


def GetNode(nodeName):
    """The live node named ``nodeName`` or ``None``."""
    return current_graph().nodes.get(nodeName)


def _finish_list(nodes, sortByName):
    if sortByName:
        nodes.sort(key=lambda n: n._ks_name)
    return nodes


def GetAllNodes(includeDeleted=False, sortByName=False):
    """Every node, the root included, in creation order (the order is a stand-in guess)."""
    g = current_graph()
    nodes = list(g.all)
    if includeDeleted:
        nodes.extend(g.deleted)
    return _finish_list(nodes, sortByName)


def GetAllNodesByType(nodeType, includeDeleted=False, sortByName=False):
    """Every node of ``nodeType`` in creation order (sorted by name on request).

    Stand-in guess [unverified]: the root node's type is ``'Group'``, so it is
    listed by ``GetAllNodesByType('Group')``.
    """
    g = current_graph()
    nodes = list(g.by_type.get(nodeType, ()))
    if includeDeleted:
        nodes.extend(n for n in g.deleted if n._ks_type == nodeType)
    return _finish_list(nodes, sortByName)


def GetAllSelectedNodes():
    """Selected nodes in selection order."""
    return list(current_graph().selected)


def SetNodeSelected(node, selected):
    """Select or deselect ``node`` (queues ``node_setSelected``; not a project change)."""
    g = current_graph()
    if selected:
        if node not in g.selected and not node._ks_deleted:
            g.selected[node] = None
            _emit(g, "node_setSelected", hash(node), node=node, selected=True)
    elif node in g.selected:
        del g.selected[node]
        _emit(g, "node_setSelected", hash(node), node=node, selected=False)


def IsNodeSelected(node):
    return node in current_graph().selected


def SetAllSelectedNodes(nodelist):
    """Replace the selection with ``nodelist``."""
    g = current_graph()
    for node in list(g.selected):
        SetNodeSelected(node, False)
    for node in nodelist:
        SetNodeSelected(node, True)


def GetAllEditedNodes():
    """Nodes shown in the Parameters tab (edit flag on)."""
    return list(current_graph().edited)


def SetNodeEdited(node, edited, exclusive=False):
    """Set the edit flag; ``exclusive`` clears it on every other node first."""
    g = current_graph()
    if exclusive:
        g.edited.clear()
    if edited:
        g.edited[node] = None
    else:
        g.edited.pop(node, None)


def IsNodeEdited(node):
    return node in current_graph().edited


def GetNodePosition(node):
    """``(x, y)`` in the Node Graph; ``(0, 0)`` until set."""
    return current_graph().positions.get(node, (0, 0))


def SetNodePosition(node, xy):
    """Set ``(x, y)`` (marks the project dirty)."""
    g = current_graph()
    x, y = xy
    g.positions[node] = (x, y)
    _touch(g)


def _root_value(name):
    return current_graph().root._ks_params._ks_map[name]._ks_value


def GetCurrentTime():
    """The current frame (root parameter ``currentTime`` [unverified])."""
    return _root_value("currentTime")


def SetCurrentTime(newTime, final=True):
    """Set the current frame.

    Stand-in guess: changing the current frame neither marks the project
    dirty nor queues parameter events (``final`` changes nothing).
    """
    current_graph().root._ks_params._ks_map["currentTime"]._ks_value = _to_number(newTime, "SetCurrentTime")


def GetWorkingInTime():
    """Working range start (root parameter ``workingInTime`` [unverified])."""
    return _root_value("workingInTime")


def GetWorkingOutTime():
    """Working range end (root parameter ``workingOutTime`` [unverified])."""
    return _root_value("workingOutTime")


def GetSourceFile():
    """The project as given to ``KatanaFile.Save``/``Load``: a path or an asset
    id (Katana's docstring: "the name of the file or the ID of the asset");
    ``''`` while unsaved."""
    return current_graph().source_file


def GetProjectFile():
    """The resolved file-system path of the .katana file, ``''`` while unsaved."""
    return current_graph().project_file


def GetProjectDir():
    """The folder of ``GetProjectFile()``, ``''`` while unsaved."""
    path = current_graph().project_file
    return os.path.dirname(path) if path else ""


def GetProjectAssetID():
    """The project's asset id: ``GetSourceFile()`` (stand-in guess: also for a plain path)."""
    return current_graph().source_file


def GetAllFloatingNodes():
    """Nodes being dragged in the Node Graph: always ``[]`` in the stand-in."""
    return []


def RegisterSuperTool(name, superToolClass):
    """Register ``superToolClass`` (a ``SuperTool`` subclass) as node type ``name``.

    A type registered this way has no editor (``GetEditor`` is ``None``).
    Registering a name again replaces the class (existing nodes keep theirs).
    """
    register_supertool(name, superToolClass, None, "RegisterSuperTool")


def register_supertool(name, cls, getEditor, source):
    if not (isinstance(cls, type) and issubclass(cls, SuperTool)):
        raise TypeError("katana stand-in: %r is not a NodegraphAPI.SuperTool subclass" % (cls,))
    state.S.supertools[name] = SuperToolType(cls, getEditor, source)
    cls.superToolRegistered()


def AddNodeFlavor(nodeType, flavor):
    """Record a menu flavour for ``nodeType`` (no other effect in the stand-in)."""
    flavors = state.S.node_flavors.setdefault(nodeType, [])
    if flavor not in flavors:
        flavors.append(flavor)
