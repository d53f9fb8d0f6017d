"""Stand-in for ``UI4.App.Tabs`` (test equipment, not Katana)."""

from _katana_standin import state


def FindTopTab(tabTypeName, alsoRaise=False):
    """The open tab of type ``tabTypeName``: ``None`` unless a test set one with
    ``katana_standin_control.set_top_tab`` (``alsoRaise`` changes nothing)."""
    return state.S.top_tabs.get(tabTypeName)
