#!/usr/bin/env python
"""Take offscreen screenshots of every tab of the Conductor dialog, dark and light.

For each theme (a Katana-like dark one and a light one) this script:

1. prepares the example shot and its sample show in a temporary folder;
2. starts an embedded Conductor sandbox (throw-away key and home; uploads
   slowed a little so progress is visible) and points ciocore at it;
3. opens the dialog, connects, and captures Configure (every section
   expanded, the dialog view and the whole tab), Preview, and Validation
   (with an error provoked for the picture, then undone);
4. submits two Render nodes for real to the sandbox, captures Progress
   mid-upload and the Response tab with the sandbox's job ids, then presses
   Submit again and captures the "already submitted" question;
   then submits changed payloads while the sandbox holds the job request
   (a ``hang`` fault on ``jobs/``), captures Progress's "Creating job" and,
   after Cancel, the "may have been created" card;
5. replays scripts/mock_submission.json with CIO_FEATURE_MOCK=1, raises an
   error in job 2 and cancels in job 3, and captures Progress mid-replay
   (with its mock banner) and the Response tab: the replay's cards above
   the real run's, which stays listed.

PNGs go to docs/screenshots/<theme>_<n>_<tab>.png.

Usage: python scripts/screenshots.py [--out DIR] [--themes dark,light]
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["CIO_FEATURE_MOCK"] = "1"

from ciokatana.core.runner import conductor_submit_factory  # noqa: E402
from ciokatana.core.filescene import FileScene  # noqa: E402
from ciokatana.qt import QtCore, QtGui, QtWidgets  # noqa: E402

SIZE = (980, 820)
MOCK = os.path.join(HERE, "mock_submission.json")


def dark_palette():
    """Close to Katana's own dark theme (with its orange highlight)."""
    p = QtGui.QPalette()
    colors = {
        QtGui.QPalette.Window: "#3a3a3a",
        QtGui.QPalette.WindowText: "#dcdcdc",
        QtGui.QPalette.Base: "#242424",
        QtGui.QPalette.AlternateBase: "#2b2b2b",
        QtGui.QPalette.ToolTipBase: "#474747",
        QtGui.QPalette.ToolTipText: "#eeeeee",
        QtGui.QPalette.Text: "#dcdcdc",
        QtGui.QPalette.Button: "#474747",
        QtGui.QPalette.ButtonText: "#dcdcdc",
        QtGui.QPalette.BrightText: "#ffffff",
        QtGui.QPalette.Highlight: "#c7892b",
        QtGui.QPalette.HighlightedText: "#111111",
        QtGui.QPalette.Link: "#7cb3f0",
        QtGui.QPalette.Mid: "#2a2a2a",
        QtGui.QPalette.Dark: "#1e1e1e",
        QtGui.QPalette.Light: "#4d4d4d",
        QtGui.QPalette.Shadow: "#111111",
    }
    for role, color in colors.items():
        p.setColor(role, QtGui.QColor(color))
    for role, color in ((QtGui.QPalette.Text, "#808080"), (QtGui.QPalette.WindowText, "#808080"),
                        (QtGui.QPalette.ButtonText, "#808080")):
        p.setColor(QtGui.QPalette.Disabled, role, QtGui.QColor(color))
    if hasattr(QtGui.QPalette, "PlaceholderText"):
        p.setColor(QtGui.QPalette.PlaceholderText, QtGui.QColor("#8a8a8a"))
    return p


def light_palette(app):
    return app.style().standardPalette()


class Shooter(object):
    def __init__(self, app, out, theme):
        self.app = app
        self.out = out
        self.theme = theme
        self.count = 0
        self.files = []

    def wait(self, condition, timeout=60.0, what="a condition"):
        deadline = time.time() + timeout
        while not condition():
            if time.time() > deadline:
                raise RuntimeError("timed out waiting for {}".format(what))
            self.app.processEvents(QtCore.QEventLoop.AllEvents, 50)
            time.sleep(0.01)

    def settle(self, seconds=0.3):
        end = time.time() + seconds
        while time.time() < end:
            self.app.processEvents(QtCore.QEventLoop.AllEvents, 20)
            time.sleep(0.01)

    def shoot(self, widget, name):
        self.settle()
        self.count += 1
        path = os.path.join(self.out, "{}_{}_{}.png".format(self.theme, self.count, name))
        widget.grab().save(path)
        self.files.append(path)
        print("  wrote", os.path.relpath(path, ROOT))


def _database_factory(path):
    return conductor_submit_factory(path)


def capture_theme(app, out, theme):
    from ciokatana.sandbox import Sandbox, configure_ciocore
    from ciokatana.standalone.demo import prepare_demo
    from ciokatana.ui.controller import Controller
    from ciokatana.ui.dialog import ConductorDialog
    from ciokatana.ui.models import nodes
    from ciokatana.ui.widgets.combos import select_value

    app.setPalette(dark_palette() if theme == "dark" else light_palette(app))
    shooter = Shooter(app, out, theme)
    work = tempfile.mkdtemp(prefix="ciokatana-shots-")
    sandbox = Sandbox().start()
    try:
        scene_path = prepare_demo(os.path.join(work, "demo"), open(os.devnull, "w"))
        sandbox.faults.add("upload", delay=0.25, times=None)
        with configure_ciocore(sandbox.url, sandbox.api_key, os.path.join(work, "home")) as cfg:
            scene = FileScene(scene_path, nodes=["beauty", "char_hero"])
            controller = Controller(scene, submit_factory=_database_factory(cfg.database_filepath),
                                    url_opener=lambda url: None)
            dialog = ConductorDialog(controller)
            controller.setParent(dialog)
            dialog.resize(*SIZE)
            dialog.show()
            shooter.wait(lambda: controller.plan_result is not None, what="the first plan")

            # -- Configure, connected ------------------------------------------
            configure = dialog.tab("configure")
            configure.connection_bar.connect_button.click()
            shooter.wait(lambda: controller.conductor_data is not None, what="Conductor data")
            select_value(configure.section("General").project_combo, "Episode 104")
            select_value(configure.section("General").instance_combo, "n2-standard-8")
            configure.set_all_expanded(True)
            shooter.wait(lambda: not controller.is_planning, what="planning")
            shooter.shoot(dialog, "configure")
            inner = configure.scroll.widget()
            inner.resize(configure.scroll.viewport().width(), inner.sizeHint().height())
            shooter.shoot(inner, "configure_all_sections")

            # -- Preview -----------------------------------------------------------
            dialog.show_tab("preview")
            shooter.wait(lambda: "job_title" in dialog.tab("preview").text.toPlainText(), what="the preview")
            shooter.shoot(dialog, "preview")

            # -- Validation, with an error provoked for the picture ----------------
            frames = configure.section("Frames and tasks")
            model = frames.model
            row = model.node_names().index("char_hero")
            model.setData(model.index(row, nodes.CHUNK), "five")
            dialog.show_tab("validation")
            shooter.wait(lambda: any(c.level == "error" for c in dialog.tab("validation").cards.cards()),
                         what="validation errors")
            cards = dialog.tab("validation").cards.cards()
            for card in cards:
                if card.details_button.isVisible():
                    card.details_button.click()
                    break
            shooter.shoot(dialog, "validation")
            model.setData(model.index(row, nodes.CHUNK), "5")
            shooter.wait(lambda: not any(c.level == "error" for c in dialog.tab("validation").cards.cards()),
                         what="the error to go")

            # -- A real submission to the sandbox ------------------------------------
            dialog.show_tab("configure")
            dialog.submit()
            shooter.wait(lambda: dialog.prompt is not None or controller.is_running, what="submit")
            if dialog.prompt is not None:
                dialog.prompt.button("submit").click()
            progress = dialog.tab("progress")
            shooter.wait(lambda: 15 < progress.upload_bar.value() * 100 / progress.upload_bar.maximum() < 90
                         and progress.file_model.rowCount() > 20, timeout=120, what="uploads in progress")
            model = progress.file_model
            busy = [i for i, path in enumerate(model.paths()) if model.file_state(path)[1] != "done"]
            if busy:  # show where the uploads are, not the finished rows above them
                progress.file_view.scrollTo(model.index(max(0, busy[0] - 3), 0),
                                            QtWidgets.QAbstractItemView.PositionAtTop)
            shooter.shoot(dialog, "progress_real_run")
            shooter.wait(lambda: not controller.is_running, timeout=180, what="the real run")
            shooter.wait(lambda: dialog.current_tab().KEY == "response", what="the Response tab")
            shooter.shoot(dialog, "response_real_run")

            # -- Submit again: the duplicate question --------------------------------
            dialog.submit()
            shooter.wait(lambda: dialog.prompt is not None, what="the duplicate question")
            shooter.shoot(dialog.prompt, "already_submitted_prompt")
            dialog.prompt.button("cancel").click()
            shooter.wait(lambda: dialog.flow.state == "idle", what="idle")

            # -- Conductor takes the job request and never answers: Cancel ------------
            sandbox.faults.clear()
            sandbox.faults.add("jobs", hang=True, times=None)
            select_value(configure.section("General").instance_combo, "n2-standard-4")  # new payloads
            shooter.wait(lambda: not controller.is_planning, what="planning")
            dialog.submit()
            shooter.wait(lambda: dialog.prompt is not None or controller.is_running, what="submit")
            if dialog.prompt is not None:
                dialog.prompt.button("submit").click()
            shooter.wait(lambda: progress.job_label.text().startswith("Creating job 1")
                         and sandbox.faults.hung_count > 0, timeout=120, what="the job creation")
            shooter.settle(1.5)  # the creation clock moves
            shooter.shoot(dialog, "progress_creating")
            progress.cancel_button.click()
            shooter.wait(lambda: not controller.is_running, what="the cancelled run")
            shooter.wait(lambda: dialog.current_tab().KEY == "response", what="the Response tab")
            shooter.shoot(dialog, "response_may_have_been_created")
            sandbox.faults.clear()
            sandbox.release()

            # -- A mock replay with an error and a cancel ----------------------------
            advanced = configure.section("Advanced")
            select_value(advanced.mock_mode_combo, "use")
            advanced.mock_file_field.edit.setText(MOCK)
            advanced.mock_interval_spin.setValue(0.6)
            dialog.show_tab("configure")
            dialog.submit()
            shooter.wait(lambda: dialog.prompt is not None or controller.is_running, what="submit")
            if dialog.prompt is not None:
                dialog.prompt.button("submit").click()

            def at_job(index):
                run = controller.current_run
                return run is not None and run.current == index

            shooter.wait(lambda: at_job(0) and progress.upload_bar.text().startswith("Files"), what="job 1's upload")
            shooter.shoot(dialog, "progress_mock_replay")
            shooter.wait(lambda: at_job(1), timeout=60, what="job 2")
            progress.raise_button.click()
            shooter.wait(lambda: at_job(2), timeout=60, what="job 3")
            progress.cancel_button.click()
            shooter.wait(lambda: not controller.is_running, what="the replay to stop")
            shooter.wait(lambda: dialog.current_tab().KEY == "response", what="the Response tab")
            response = dialog.tab("response")
            for card in response.card_list():
                if card.level == "error":
                    card.details_button.click()
            shooter.shoot(dialog, "response_mock_replay")

            # -- The path table (Validation tab): every path as the render node sees it
            dialog.show_tab("validation")
            table = dialog.tab("validation").path_table
            shooter.wait(lambda: table.isVisible(), what="the path table")
            table.resize(SIZE[0], max(table.height(), 360))
            shooter.shoot(table, "validation_path_table")
            dialog.close()
            shooter.settle(0.2)
    finally:
        sandbox.stop()
        shutil.rmtree(work, ignore_errors=True)
    return shooter.files


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "screenshots"))
    parser.add_argument("--themes", default="dark,light")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    import logging

    logging.getLogger("conductor").setLevel(logging.CRITICAL)
    from ciokatana.ui.compat import guard_binding_refcounts

    guard_binding_refcounts()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([sys.argv[0]])
    app.setStyle("Fusion")
    font = QtGui.QFont("DejaVu Sans")
    font.setPointSizeF(9.5)
    app.setFont(font)
    written = []
    for theme in [t.strip() for t in args.themes.split(",") if t.strip()]:
        print("theme:", theme)
        written += capture_theme(app, args.out, theme)
    print("{} screenshot(s) in {}".format(len(written), os.path.relpath(args.out, ROOT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
