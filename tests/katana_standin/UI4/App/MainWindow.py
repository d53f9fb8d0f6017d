"""Stand-in for ``UI4.App.MainWindow`` (test equipment, not Katana)."""

from _katana_standin import state


def CurrentMainWindow():
    """The main window: ``None`` unless a test set one with
    ``katana_standin_control.set_main_window``."""
    return state.S.main_window
