"""Stand-in for ``UI4.FormMaster.KatanaFactory`` (test equipment, not Katana)."""

from _katana_standin import qtbridge


class _PlaceholderWidget(object):
    def __init__(self, parent, policy):
        self.parent = parent
        self.policy = policy


class ParameterWidgetFactory(object):
    """Builds the standard widget for a parameter policy."""

    @staticmethod
    def buildWidget(parent, policy):
        """An empty widget standing for the parameter's editor (see package docstring)."""
        QtWidgets = qtbridge.widgets()
        if QtWidgets is None:
            return _PlaceholderWidget(parent, policy)
        widget = QtWidgets.QWidget(parent)
        widget.setObjectName(policy.getParameter().getFullName())
        return widget
