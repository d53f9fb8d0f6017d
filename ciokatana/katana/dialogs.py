"""Open the Conductor dialog inside Katana.

Layer: katana (the one adapter module that reaches the Qt UI). The binding
Katana ships is pinned first (:mod:`ciokatana.katana.qtbinding`), then
:func:`ciokatana.ui.open_dialog` shows the dialog, parented to Katana's
main window so it stays on top of it. Nothing is kept between calls: every
menu click builds a new scene object, and a closed dialog is deleted.
"""

from ciokatana.katana import qtbinding


def main_window():
    """Katana's main window as a QWidget parent, or None."""
    try:
        from Katana import UI4  # type: ignore[attr-defined]  # stubs incomplete: Katana-stubs has no UI4 re-export (a UI-less session's list)

        window = UI4.App.MainWindow.CurrentMainWindow()
    except Exception:
        return None
    from ciokatana.qt import QtWidgets

    return window if isinstance(window, QtWidgets.QWidget) else None


def open_conductor_dialog(scene):
    """Show the Conductor dialog for a KatanaScene and return it."""
    qtbinding.pin_katana_binding(force=True)
    from ciokatana.ui import open_dialog

    return open_dialog(scene, parent=main_window())
