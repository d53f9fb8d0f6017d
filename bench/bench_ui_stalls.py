#!/usr/bin/env python
"""Benchmark: the dialog's longest UI-thread stalls around big scenes and payloads.

With the dialog shown (offscreen), a 10 ms QTimer probe on the UI thread
records the time between its ticks; for each action the script prints how
long the call itself took and the longest gap in the two seconds after it
(work finishing on a worker thread shows up there if it holds the GIL).
Three scenarios:

  preview  the example shot with frames 1001-100000 (99,000 tasks per job,
           a 16 MB payload): switch to Preview, choose another job, Copy,
           Save... (the file chooser answered at once, the file written).
  paths    the example shot with an extra folder of 30,000 files (3,000
           with --short): replans with the Validation tab hidden and shown,
           and a filter typed into its path table.
  katana   a Katana scene (the test stand-in) of 20,000 nodes (2,000 with
           --short): visits to Preview with the scene untouched, then one
           after a change in the node graph (which must read it again).

It prints figures; it asserts nothing.

Usage: python bench/bench_ui_stalls.py [--short] [--scenario preview|paths|katana]
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROBE_MS = 10


class Probe(object):
    """Measures the UI event loop's gaps while actions run."""

    def __init__(self, app):
        from ciokatana.qt import QtCore

        self.app = app
        self.gaps = []
        self.last = time.monotonic()
        self.timer = QtCore.QTimer()
        self.timer.timeout.connect(self._beat)
        self.timer.start(PROBE_MS)

    def _beat(self):
        now = time.monotonic()
        self.gaps.append(now - self.last)
        self.last = now

    def spin(self, seconds, until=None):
        from ciokatana.qt import QtCore

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents(QtCore.QEventLoop.AllEvents, 20)
            if until is not None and until():
                break
            time.sleep(0.002)

    def measure(self, name, action, settle=2.0, until=None):
        del self.gaps[:]
        self.last = time.monotonic()
        started = time.monotonic()
        action()
        call = time.monotonic() - started
        self.spin(settle, until)
        worst = max(self.gaps or [0.0])
        print("  {:<46} call {:6.3f} s   longest stall {:6.3f} s".format(name, call, max(worst, call)), flush=True)


def _shot(extra=None):
    tmp = tempfile.mkdtemp(prefix="bench_ui_stalls_")
    for name in ("shot010.json", "shot010_lighting_v003.katana"):
        shutil.copy(os.path.join(ROOT, "examples", name), tmp)
    path = os.path.join(tmp, "shot010.json")
    if extra:
        with open(path) as handle:
            data = json.load(handle)
        data["settings"]["extra_assets"] = [extra]
        with open(path, "w") as handle:
            json.dump(data, handle)
    return tmp, path


def _close(app, dialog):
    """Close and delete a dialog on the UI thread, and collect its Python garbage here too.

    (Left to a worker thread's garbage collection, a parentless widget
    would be destroyed off the UI thread.)
    """
    import gc

    from ciokatana.qt import QtCore

    dialog.close()
    dialog.deleteLater()
    app.processEvents(QtCore.QEventLoop.AllEvents, 50)
    app.sendPostedEvents(None, QtCore.QEvent.DeferredDelete)
    gc.collect()


def _dialog(scene):
    from ciokatana.ui.controller import Controller
    from ciokatana.ui.dialog import ConductorDialog

    controller = Controller(scene, url_opener=lambda url: None)
    dialog = ConductorDialog(controller)
    dialog.show()
    return dialog


def preview(app, short):
    from ciokatana.core.filescene import FileScene

    tmp, path = _shot()
    dialog = _dialog(FileScene(path))
    probe = Probe(app)
    probe.spin(5, until=lambda: dialog.controller.plan_result is not None)
    frames = dialog.tab("configure").section("Frames and tasks").frames_edit
    tab = dialog.tab("preview")
    target = os.path.join(tmp, "payload.json")
    tab.choose_save = lambda parent, title, start, on_chosen: on_chosen(target)
    spec = "1001-10000" if short else "1001-100000"
    print("preview: frames {} ({:,} tasks per job)".format(spec, int(spec.split("-")[1]) - 1000))
    probe.measure("type the frames (plan on a worker)", lambda: frames.setText(spec), 60,
                  until=lambda: not dialog.controller.plan_is_stale)
    probe.measure("switch to Preview", lambda: dialog.show_tab("preview"), 3)
    probe.measure("choose another job", lambda: tab.job_combo.setCurrentIndex(tab.job_combo.findText("env_bg")), 3)
    probe.measure("Copy", tab.copy_button.click, 2)
    probe.measure("Save... (file written on a worker)", tab.save_button.click, 3)
    print("  shown {:,} characters; the whole payload is {:.1f} MB".format(
        len(tab.text.toPlainText()), os.path.getsize(target) / 1e6 if os.path.exists(target) else 0.0))
    _close(app, dialog)
    shutil.rmtree(tmp, ignore_errors=True)


def paths(app, short):
    from ciokatana.core.filescene import FileScene

    count = 3000 if short else 30000
    folder = tempfile.mkdtemp(prefix="bench_ui_stalls_files_")
    for i in range(count):
        sub = os.path.join(folder, "d{:02d}".format(i // 1000))
        if not os.path.isdir(sub):
            os.makedirs(sub)
        with open(os.path.join(sub, "f{:05d}.txt".format(i)), "w") as handle:
            handle.write("x")
    tmp, path = _shot(folder)
    dialog = _dialog(FileScene(path))
    probe = Probe(app)
    stale = dialog.controller
    probe.spin(30, until=lambda: stale.plan_result is not None and not stale.plan_is_stale)
    print("paths: {:,} files to upload".format(stale.plan_result.file_count))
    title = dialog.tab("configure").section("General").title_edit
    for letter in "ab":
        probe.measure("replan, Validation hidden ({!r} typed)".format(letter),
                      lambda typed=letter: title.setText(title.text() + typed), 10,
                      until=lambda: not stale.plan_is_stale)
    tab = dialog.tab("validation")
    probe.measure("switch to Validation (rows built on a worker)", lambda: dialog.show_tab("validation"), 5,
                  until=lambda: not tab.paths_pending)
    probe.measure("replan, Validation shown", lambda: title.setText(title.text() + "c"), 10,
                  until=lambda: not stale.plan_is_stale and not tab.paths_pending)
    probe.measure("filter the paths", lambda: tab.path_table.filter_edit.setText("f0001"), 1)
    print("  {} of {:,} rows shown".format(tab.path_table.model.rowCount(), tab.path_table.model.total))
    _close(app, dialog)
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)


def katana(app, short):
    sys.path.insert(0, os.path.join(ROOT, "tests", "katana_standin"))
    sys.path.insert(0, HERE)
    import katana_standin_control
    from bench_scrape import build

    from ciokatana.katana import scraper
    from ciokatana.katana.scene import KatanaScene

    count = 2000 if short else 20000
    katana_standin_control.reset()
    build(count)
    from Katana import NodegraphAPI, Utils

    Utils.EventModule.ProcessAllEvents()
    scrapes = []
    real = scraper.scrape
    scraper.scrape = lambda *a, **k: scrapes.append(1) or real(*a, **k)
    dialog = _dialog(KatanaScene())
    probe = Probe(app)
    probe.spin(30, until=lambda: dialog.controller.plan_result is not None)
    print("katana: {:,} nodes".format(count))
    before = len(scrapes)
    for visit in range(3):
        probe.measure("visit Preview, scene untouched ({})".format(visit + 1), lambda: dialog.show_tab("preview"), 0.5)
        dialog.show_tab("configure")
    untouched = len(scrapes) - before
    NodegraphAPI.GetNode("render0").setBypassed(True)
    Utils.EventModule.ProcessAllEvents()
    probe.measure("visit Preview after a change in the graph", lambda: dialog.show_tab("preview"), 0.5)
    print("  scene reads: {} on untouched visits, {} after the change".format(untouched, len(scrapes) - before - untouched))
    _close(app, dialog)
    scraper.scrape = real
    katana_standin_control.reset()


SCENARIOS = {"preview": preview, "paths": paths, "katana": katana}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="smaller figures (for CI)")
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), action="append")
    args = parser.parse_args(argv)
    from ciokatana.qt import API_NAME, QtWidgets
    from ciokatana.ui.compat import guard_binding_refcounts

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    guard_binding_refcounts()
    print("bench_ui_stalls ({}, probe every {} ms)".format(API_NAME, PROBE_MS))
    for name in args.scenario or ["preview", "paths", "katana"]:
        SCENARIOS[name](app, args.short)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # worker threads of closed dialogs are daemons; do not wait for them
