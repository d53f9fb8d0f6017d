"""The Qt dialog: tabs, progress widgets and the worker bridge.

Layer: ui (Qt only through :mod:`ciokatana.qt`; no Katana import). The
Katana adapter and the standalone command call :func:`open_dialog`.
Importing this package creates no Qt object and reads no setting.
"""


def find_dialog(scene):
    """The open ConductorDialog of this scene object in this process, or None."""
    from ciokatana.qt import QtWidgets
    from ciokatana.ui.dialog import ConductorDialog

    app = QtWidgets.QApplication.instance()
    if app is None:
        return None
    for widget in app.topLevelWidgets():
        if isinstance(widget, ConductorDialog) and not widget.is_closed and widget.isVisible():
            if widget.controller.scene is scene:
                return widget
    return None


def open_dialog(scene, parent=None, controller=None):
    """Show the Conductor dialog for a scene, non-modal, and return it.

    If a dialog for the same scene object is already open, it is raised and
    returned instead of opening a second one. The dialog is deleted when
    closed, so reopening starts fresh (settings come back from the scene).

    Args:
        scene: a :class:`~ciokatana.core.scene.Scene` (KatanaScene, FileScene).
        parent: the host's main window (Katana's), or None.
        controller: a controller for this scene to use instead of
            ``Controller(scene)``; the dialog becomes its parent.

    Returns:
        the :class:`~ciokatana.ui.dialog.ConductorDialog`.
    """
    from ciokatana.core.redact import install_log_redaction
    from ciokatana.qt import QtCore
    from ciokatana.ui.controller import Controller
    from ciokatana.ui.dialog import ConductorDialog

    install_log_redaction()  # ciocore runs in this process from now on
    existing = find_dialog(scene)
    if existing is not None:
        existing.showNormal()
        existing.raise_()
        existing.activateWindow()
        return existing
    if controller is None:
        controller = Controller(scene)
    dialog = ConductorDialog(controller, parent=parent)
    if controller.parent() is None:
        controller.setParent(dialog)
    dialog.setAttribute(QtCore.Qt.WA_DeleteOnClose, True)
    dialog.show()
    dialog.raise_()
    return dialog
