"""Stand-in for ``UI4.FormMaster`` (test equipment, not Katana).

Imitates the names a SuperTool editor uses to build standard parameter
widgets: ``CreateParameterPolicy``, ``KatanaFactory.ParameterWidgetFactory``
and ``NodeActionDelegate.RegisterActionDelegate``.

Stand-in guesses [unverified]: a policy is a plain object exposing
``getParameter()``, ``getName()``, ``getValue()``, ``getParent()``;
``buildWidget`` returns a plain placeholder, or an empty ``QWidget`` (object
name = the parameter's full name) after ``katana_standin_control.use_qt``.
"""

from . import KatanaFactory, NodeActionDelegate  # noqa: F401


class _ParameterPolicy(object):
    def __init__(self, parent, param):
        self._parent = parent
        self._param = param

    def getParameter(self):
        return self._param

    def getName(self):
        return self._param.getName()

    def getParent(self):
        return self._parent

    def getValue(self):
        import NodegraphAPI

        return self._param.getValue(NodegraphAPI.GetCurrentTime())


def CreateParameterPolicy(parentPolicy, param):
    """A parameter policy wrapping ``param`` (see module docstring)."""
    return _ParameterPolicy(parentPolicy, param)
