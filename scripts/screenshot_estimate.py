#!/usr/bin/env python
"""Offscreen screenshots of the upload estimate (Configure > Assets line, Validation block).

1. prepares the demo shot and its sample show in a temporary folder and
   starts an embedded Conductor sandbox (uploads slowed a little, so the
   measured rate is a plausible one);
2. submits the shot once through the shared upload path (which keeps the
   upload record and measures the rate), then rewrites two textures;
3. opens the dialog, waits for the estimate (everything held but the two
   changed files, with a time at the measured rate) and grabs the Assets
   section and the Validation tab.

PNGs go to docs/screenshots/<theme>_estimate_<what>.png.

Usage: python scripts/screenshot_estimate.py [--out DIR] [--themes dark,light]
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
sys.path.insert(0, HERE)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ciokatana.qt import QtCore, QtWidgets  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "screenshots"))
    parser.add_argument("--themes", default="dark,light")
    args = parser.parse_args(argv)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    for theme in args.themes.split(","):
        capture(app, args.out, theme.strip())
    return 0


def wait(app, condition, timeout=60.0, what="a condition"):
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            raise RuntimeError("timed out waiting for {}".format(what))
        app.processEvents(QtCore.QEventLoop.AllEvents, 50)
        time.sleep(0.01)


def capture(app, out, theme):
    from screenshots import dark_palette, light_palette

    from ciokatana.core.filescene import FileScene
    from ciokatana.core.plan import plan_submission
    from ciokatana.core.runner import Runner, conductor_submit_factory
    from ciokatana.core.settings import Settings
    from ciokatana.core.shared_upload import SharedUploadSource
    from ciokatana.sandbox import Sandbox, configure_ciocore
    from ciokatana.standalone.demo import prepare_demo
    from ciokatana.ui.controller import Controller
    from ciokatana.ui.dialog import ConductorDialog
    from ciokatana.ui.widgets.estimate import EstimateService

    app.setPalette(dark_palette() if theme == "dark" else light_palette(app))
    work = tempfile.mkdtemp(prefix="ciokatana-estimate-shots-")
    os.environ["CIOKATANA_UPLOAD_RECORD"] = os.path.join(work, "upload_record.json")
    sandbox = Sandbox().start()
    try:
        scene_path = prepare_demo(os.path.join(work, "demo"), open(os.devnull, "w"))
        sandbox.faults.add("upload", delay=0.05, times=None)
        with configure_ciocore(sandbox.url, sandbox.api_key, os.path.join(work, "home")) as cfg:
            scene = FileScene(scene_path, nodes=["beauty", "char_hero"])
            plan = plan_submission(scene.snapshot(), Settings.from_dict(scene.load_settings()))
            payloads = [dict(p, project="Previs") for p in plan.payloads]
            runner = Runner(SharedUploadSource(payloads, database_filepath=cfg.database_filepath), lambda e: None)
            runner.start()
            runner.wait(120)
            print("  submitted once: {} job(s) on the sandbox".format(len(sandbox.jobs)))
            textures = sorted(p for p in plan.assets.files if p.endswith(".tx"))[:2]
            for path in textures:
                with open(path, "r+b") as handle:
                    handle.write(b"repainted")
                os.utime(path, (time.time() + 5, time.time() + 5))

            controller = Controller(scene, submit_factory=conductor_submit_factory(cfg.database_filepath),
                                    url_opener=lambda url: None)
            dialog = ConductorDialog(controller)
            controller.setParent(dialog)
            dialog.resize(980, 820)
            dialog.show()
            service = EstimateService.of(controller)
            wait(app, lambda: controller.plan_result is not None and not service.running
                 and service.result is not None, what="the estimate")
            configure = dialog.tab("configure")
            assets = configure.section("Assets")
            configure.set_all_expanded(False)
            assets.set_expanded(True)
            wait(app, lambda: True)
            for _ in range(20):
                app.processEvents(QtCore.QEventLoop.AllEvents, 20)
                time.sleep(0.01)
            os.makedirs(out, exist_ok=True)
            shots = [(assets, "assets_line"), (dialog, "configure")]
            for widget, name in shots:
                path = os.path.join(out, "{}_estimate_{}.png".format(theme, name))
                widget.grab().save(path)
                print("  wrote", os.path.relpath(path, ROOT), "-", service.text())
            dialog.show_tab("validation")
            for _ in range(20):
                app.processEvents(QtCore.QEventLoop.AllEvents, 20)
                time.sleep(0.01)
            path = os.path.join(out, "{}_estimate_validation.png".format(theme))
            dialog.tab("validation").grab().save(path)
            print("  wrote", os.path.relpath(path, ROOT))
            controller.shutdown()
            dialog.close()
    finally:
        sandbox.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
