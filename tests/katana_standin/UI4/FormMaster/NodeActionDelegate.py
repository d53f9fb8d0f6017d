"""Stand-in for ``UI4.FormMaster.NodeActionDelegate`` (test equipment, not Katana)."""

from _katana_standin import state


def RegisterActionDelegate(nodeType, delegate):
    """Record an action delegate for ``nodeType``
    (``katana_standin_control.action_delegates()``); no menu exists."""
    state.S.action_delegates.append((nodeType, delegate))
