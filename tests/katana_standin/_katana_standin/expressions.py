"""Parameter expressions: evaluation and re-targeting on node rename.

What the stand-in evaluates (Developer Guide "Python Expressions" and
"Reference Expressions", 2.5-8.0):

Reference expressions (the text starts with ``@`` or ``=``), terms joined
with ``+`` (3.6+ concatenation):

* ``@NodeName`` -> the text ``NodeName``; renaming the node rewrites it.
* ``=path.to.param`` -> a parameter of the same node.
* ``=NodeName/path.to.param`` -> a parameter of another node.
* ``=^/path`` -> a parameter of the enclosing node (each ``^`` one level up;
  ``^/^/x`` and ``^^/x`` both go two levels up), ``=~/path`` the current node.
* ``'text'`` / ``"text"`` literals and numbers.
  Numbers add up; anything else concatenates as text.

Python expressions (anything else): evaluated with ``eval``; the namespace
holds ``frame`` (the time passed to ``getValue``), ``project`` (``.dir``,
``.assetID``, ``.katanaSceneName``), ``nodeName``, ``getenv(name,
default)``, ``getNode(name)``, ``getParam('Node.path')``, ``path``
(``os.path``), ``re``, ``array``, ``math`` and its names star-imported; bare
names resolve to top-level parameters of the same node (``translate.i0``).

Stand-in guesses [unverified]:

* ``project.dir`` / ``project.assetID`` / ``project.katanaSceneName`` are
  ``''`` while the project is unsaved; ``project.dir`` is the folder of the
  saved file, ``project.assetID`` the saved path as given to Save/Load, and
  ``katanaSceneName`` the file name without extension.
* ``getenv(name)`` without a default returns ``''`` for an unset variable.
* ``getParam`` returns the parameter's value; ``getNode`` returns an object
  whose attributes are the node's parameters (values for leaves);
* ``self``, ``getParamRelative`` and ``getVar`` (graph state variables) are
  not imitated: using them is an evaluation error.
* Any evaluation error (missing node/parameter, Python exception, a cycle)
  raises ``RuntimeError`` from ``getValue``.
"""

import array
import math
import os
import re

from . import state

_MAX_DEPTH = 64
_code_cache = {}
_REFERENCE_START = ("@", "=")


class _Project(object):
    """``project`` inside Python expressions."""

    def __init__(self, source_file):
        self.assetID = source_file
        self.dir = os.path.dirname(source_file) if source_file else ""
        self.katanaSceneName = os.path.splitext(os.path.basename(source_file))[0] if source_file else ""


class _ParamProxy(object):
    """A group/array parameter inside a Python expression; attributes are children."""

    def __init__(self, param, time):
        self._param = param
        self._time = time

    def __getattr__(self, name):
        child = self._param.getChild(name)
        if child is None:
            raise AttributeError("no parameter %r under %s" % (name, self._param.getFullName()))
        return _value_or_proxy(child, self._time)

    def __getitem__(self, index):
        child = self._param.getChildByIndex(index)
        if child is None:
            raise IndexError(index)
        return _value_or_proxy(child, self._time)

    def __len__(self):
        return self._param.getNumChildren()


class _NodeProxy(_ParamProxy):
    """Result of ``getNode(name)`` inside a Python expression."""

    def __init__(self, node, time):
        _ParamProxy.__init__(self, node.getParameters(), time)
        self._node = node

    def getName(self):
        return self._node.getName()

    def getType(self):
        return self._node.getType()


def _value_or_proxy(param, time):
    if param.getType() in ("number", "string"):
        return param.getValue(time)
    return _ParamProxy(param, time)


class _Locals(dict):
    """Bare names -> top-level parameters of the expression's node."""

    def __init__(self, node, time, globals_):
        dict.__init__(self)
        self._node = node
        self._time = time
        self._globals = globals_

    def __getitem__(self, name):
        if name in self._globals:
            raise KeyError(name)
        child = self._node.getParameters().getChild(name)
        if child is None:
            raise KeyError(name)
        return _value_or_proxy(child, self._time)

    def __contains__(self, name):
        try:
            self[name]
        except KeyError:
            return False
        return True


def _base_globals():
    g = {}
    for name in dir(math):
        if not name.startswith("_"):
            g[name] = getattr(math, name)
    g.update({"math": math, "re": re, "array": array, "path": os.path})
    return g


_BASE_GLOBALS = _base_globals()


def _graph_node(name):
    from . import graph

    node = graph.current_graph().nodes.get(name)
    if node is None:
        raise LookupError("no node named %r" % (name,))
    return node


def _python_globals(param, time):
    from . import graph

    g = dict(_BASE_GLOBALS)
    source = graph.current_graph().source_file
    node = param.getNode()

    def getenv(name, default=None):
        value = os.environ.get(name)
        if value is None:
            return "" if default is None else default
        return value

    def getNode(name):
        return _NodeProxy(_graph_node(name), time)

    def getParam(fullName):
        nodeName, _, path = fullName.partition(".")
        target = _graph_node(nodeName).getParameter(path)
        if target is None:
            raise LookupError("no parameter %r" % (fullName,))
        return _value_or_proxy(target, time)

    g.update({
        "frame": time,
        "project": _Project(source),
        "nodeName": node.getName() if node is not None else "",
        "getenv": getenv,
        "getNode": getNode,
        "getParam": getParam,
    })
    return g


def _split_terms(text):
    terms, buf, quote = [], [], None
    for ch in text:
        if quote:
            buf.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "'\"":
            quote = ch
            buf.append(ch)
        elif ch == "+":
            terms.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
    terms.append("".join(buf).strip())
    return terms


def _resolve_reference_path(param, path, time):
    node = param.getNode()
    if "/" in path:
        nodePart, paramPath = path.rsplit("/", 1)
        for segment in nodePart.split("/"):
            segment = segment.strip()
            if not segment or segment == "~":
                continue
            if set(segment) == {"^"}:
                for _ in segment:
                    node = node.getParent()
                    if node is None:
                        raise LookupError("'^' goes above the root node")
            else:
                node = _graph_node(segment)
    else:
        paramPath = path
    target = node.getParameter(paramPath.strip())
    if target is None:
        raise LookupError("no parameter %r on %s" % (paramPath, node.getName()))
    return target.getValue(time)


def _eval_term(param, term, time):
    if not term:
        raise ValueError("empty term")
    if term[0] == "@":
        return term[1:].strip()
    if len(term) >= 2 and term[0] in "'\"" and term[-1] == term[0]:
        return term[1:-1]
    try:
        return float(term)
    except ValueError:
        pass
    if term[0] == "=":
        term = term[1:].strip()
    return _resolve_reference_path(param, term, time)


def _eval_reference(param, text, time):
    values = [_eval_term(param, term, time) for term in _split_terms(text)]
    result = values[0]
    for value in values[1:]:
        if isinstance(result, float) and isinstance(value, float):
            result = result + value
        else:
            result = "%s%s" % (_text(result), _text(value))
    return result


def _text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _eval_python(param, text, time):
    code = _code_cache.get(text)
    if code is None:
        code = _code_cache[text] = compile(text, "<expression %s>" % param.getFullName(), "eval")
    globals_ = _python_globals(param, time)
    return eval(code, globals_, _Locals(param.getNode(), time, globals_))


def evaluate(param, time):
    """Evaluate ``param``'s expression at ``time`` (see module docstring)."""
    S = state.S
    if S.expr_depth >= _MAX_DEPTH:
        raise RuntimeError("katana stand-in: expression recursion too deep at %s (a cycle?)"
                           % param.getFullName())
    S.expr_depth += 1
    try:
        text = param._ks_expr.strip()
        if text.startswith(_REFERENCE_START):
            return _eval_reference(param, text, time)
        return _eval_python(param, text, time)
    except RuntimeError:
        raise
    except Exception as exc:
        raise RuntimeError("katana stand-in: cannot evaluate expression %r of %s: %s: %s"
                           % (param._ks_expr, param.getFullName(), type(exc).__name__, exc))
    finally:
        S.expr_depth -= 1


def rewrite(expression, old, new):
    """``expression`` with references to node ``old`` pointing at ``new``."""
    esc = re.escape(old)
    if expression.strip().startswith(_REFERENCE_START):
        expression = re.sub(r"@" + esc + r"(?![A-Za-z0-9_])", lambda m: "@" + new, expression)
        expression = re.sub(r"(?:(?<=[=/+\s])|^)" + esc + r"(?=\s*/)", lambda m: new, expression)
        return expression
    return re.sub(
        r"""((?:getNode|getParam)\(\s*)(['"])""" + esc + r"""(?=['".])""",
        lambda m: m.group(1) + m.group(2) + new,
        expression,
    )


def retarget(g, old, new):
    """Rewrite every expression of graph ``g`` that names node ``old``."""
    for param in list(g.expr_params):
        expression = param._ks_expr
        if expression and old in expression:
            param._ks_expr = rewrite(expression, old, new)
