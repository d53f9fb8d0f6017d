"""``ciokatana gui``: the subcommand opens the dialog on a scene file, optionally on a sandbox."""

import argparse
import io
import os

from ciokatana.qt import QtCore, QtWidgets
from ciokatana.standalone import gui
from ciokatana.ui.dialog import ConductorDialog


def _parser():
    parser = argparse.ArgumentParser(prog="ciokatana")
    sub = parser.add_subparsers(dest="command")
    gui.register(sub)
    return parser


def _open_dialog():
    for widget in QtWidgets.QApplication.topLevelWidgets():
        if isinstance(widget, ConductorDialog) and widget.isVisible():
            return widget
    return None


def _close_when(condition, seen):
    """Poll from the event loop the command runs; close the dialog when condition(dialog)."""
    timer = QtCore.QTimer()
    timer.setInterval(50)

    def poll():
        dialog = _open_dialog()
        if dialog is not None and condition(dialog):
            seen.append(dialog.controller.conductor_data)
            seen.append([n.name for n in dialog.controller.snapshot.nodes])
            timer.stop()
            dialog.close()

    timer.timeout.connect(poll)
    timer.start()
    return timer


def test_gui_subcommand_opens_the_dialog_on_the_scene(shot_path, qtbot):
    args = _parser().parse_args(["gui", "--scene", shot_path, "--node", "beauty", "--node", "env_bg"])
    assert args.func is gui.cmd_gui
    seen = []
    timer = _close_when(lambda d: d.controller.plan_result is not None, seen)
    assert args.func(args) == 0
    timer.stop()
    assert seen[1] == ["beauty", "env_bg"]
    assert seen[0] is None  # not connected without --sandbox


def test_gui_sandbox_connects_with_a_throwaway_home(shot_path, qtbot):
    before = {k: os.environ.get(k) for k in ("CONDUCTOR_URL", "HOME", "CONDUCTOR_API_KEY")}
    seen = []
    timer = _close_when(lambda d: d.controller.conductor_data is not None or d.controller.conductor_error, seen)
    out = io.StringIO()
    assert gui.run_gui(shot_path, sandbox=True, out=out) == 0
    timer.stop()
    assert "Embedded Conductor sandbox at http://127.0.0.1:" in out.getvalue()
    data = seen[0]
    assert data is not None and data.url.startswith("http://127.0.0.1:")
    assert "Episode 104" in data.projects
    assert {k: os.environ.get(k) for k in before} == before
