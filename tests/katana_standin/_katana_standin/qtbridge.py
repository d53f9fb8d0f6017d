"""Optional Qt for a few UI4 shims - only when a test hands modules in.

The stand-in never imports Qt, and by default every UI4 shim is a plain
Python object.  A test that exercises real widgets can call
``katana_standin_control.use_qt(QtWidgets, QtGui)`` with the binding it
already uses; from then on (until ``reset()``):

* ``UI4.Tabs.BaseTab`` is a ``QtWidgets.QWidget`` subclass (Katana's is),
* ``UI4.Util.IconManager.GetPixmap`` returns a null ``QtGui.QPixmap``,
* ``UI4.FormMaster.KatanaFactory.ParameterWidgetFactory.buildWidget``
  returns an empty ``QtWidgets.QWidget``.

The opt-in is explicit because merely having a binding imported (pytest-qt
imports one in every test process) does not mean a QApplication exists, and
building a widget without one aborts the process.
"""

from . import state


def widgets():
    """The ``QtWidgets`` module handed in with ``use_qt``, or ``None``."""
    qt = getattr(state.S, "qt_modules", None)
    return qt[0] if qt else None


def gui():
    """The ``QtGui`` module handed in with ``use_qt``, or ``None``."""
    qt = getattr(state.S, "qt_modules", None)
    return qt[1] if qt else None
