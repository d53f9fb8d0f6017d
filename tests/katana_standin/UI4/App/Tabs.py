"""Stand-in for ``UI4.App.Tabs`` (test equipment, not Katana)."""

from _katana_standin import state


def FindTopTab(name):
    """The open tab called ``name``: ``None`` unless a test set one with
    ``katana_standin_control.set_top_tab``."""
    return state.S.top_tabs.get(name)
