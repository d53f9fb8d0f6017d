"""Stand-in for ``UI4.Tabs`` (test equipment, not Katana): ``BaseTab``.

Katana's ``BaseTab`` is a QWidget whose constructor takes ``(parent)``.  The
stand-in's ``BaseTab`` is resolved each time it is looked up: a plain Python
class with that constructor by default, or - after
``katana_standin_control.use_qt(QtWidgets, QtGui)`` - a subclass of the
handed-in ``QtWidgets.QWidget`` (cached per module).  Define tab subclasses
after choosing.
"""

from _katana_standin import qtbridge

_CACHE = {}


class _PlainBaseTab(object):
    """Plain ``BaseTab`` (no Qt)."""

    def __init__(self, parent=None):
        self._parent = parent

    def parent(self):
        return self._parent


_PlainBaseTab.__name__ = "BaseTab"
_PlainBaseTab.__qualname__ = "BaseTab"


def _base_tab():
    QtWidgets = qtbridge.widgets()
    if QtWidgets is None:
        return _PlainBaseTab
    cls = _CACHE.get(id(QtWidgets))
    if cls is None:

        class BaseTab(QtWidgets.QWidget):
            """Katana's tab base class: a QWidget built with ``(parent)``."""

            def __init__(self, parent=None):
                QtWidgets.QWidget.__init__(self, parent)

        cls = _CACHE[id(QtWidgets)] = BaseTab
    return cls


def __getattr__(name):
    if name == "BaseTab":
        return _base_tab()
    raise AttributeError("module 'UI4.Tabs' has no attribute %r" % (name,))
