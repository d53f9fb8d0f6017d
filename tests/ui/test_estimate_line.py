"""The upload estimate in the dialog: the Configure line and the Validation block.

Computed on a worker (hashing must never freeze the dialog), "estimating..."
meanwhile, superseded when the plan changes, and after a real submit to the
sandbox everything is on Conductor.
"""

import os
import threading

from ciokatana.core import hashing
from builders import small_scene_file
from ciokatana.core.filescene import FileScene
from ciokatana.core.runner import conductor_submit_factory
from ciokatana.qt import QtCore
from ciokatana.ui.widgets.estimate import ESTIMATING, EstimateService


def line_of(dialog):
    return dialog.tab("configure").section("Assets").estimate_line


def settled(dialog):
    service = EstimateService.of(dialog.controller)
    return not dialog.controller.plan_is_stale and not service.running and service.result is not None


def test_the_line_before_and_after_a_real_submit(make_dialog, ciocore_sandbox, tmp_path, ui, qtbot):
    sandbox = ciocore_sandbox
    dialog = make_dialog(FileScene(small_scene_file(tmp_path)),
                         submit_factory=conductor_submit_factory(sandbox.ciocore_config.database_filepath))
    line = line_of(dialog)
    qtbot.waitUntil(lambda: settled(dialog), timeout=10000)
    assert line.text().startswith("3 files, ") and "on Conductor: 0 (0 B)" in line.text()
    assert "to upload: 3 files" in line.text() and "no upload measured on this machine yet" in line.text()
    block = dialog.tab("validation").estimate_block
    assert "Upload estimate" in block.text() and "Left to upload" in block.text()
    assert sandbox.upload_log == [] and not [r for r in sandbox.requests if "upload" in r["endpoint"]]
    # the estimate stored its md5s in the cache the submission reads (the controller's md5_database),
    # so the submission that follows hashes nothing again
    assert dialog.controller.md5_database == sandbox.ciocore_config.database_filepath
    files, _ = hashing.expand(dialog.controller.plan_result.plan.payloads[0]["upload_paths"])
    cached = hashing.cached_md5s([hashing.file_info(p) for p in files], sandbox.ciocore_config.database_filepath)
    assert len(files) == 3 and set(cached) == set(files)

    ui.connect(dialog)
    qtbot.waitUntil(lambda: settled(dialog), timeout=10000)
    assert "to upload: 3 files" in line.text()
    assert not [r for r in sandbox.requests if "upload" in r["endpoint"]]  # estimating asked Conductor nothing

    ui.submit(dialog)
    ui.wait_asked_or_started(dialog)
    if dialog.prompt is not None:
        ui.answer(dialog, "submit")
    ui.wait_run_done(dialog, timeout=60000)
    assert len(sandbox.jobs) == 1
    # the finished run estimates again: Conductor now holds every file
    qtbot.waitUntil(lambda: "nothing left to upload" in line.text(), timeout=10000)
    assert "on Conductor: 3 (" in line.text()
    assert "nothing left to upload" in dialog.tab("validation").estimate_block.text()


def test_hashing_runs_off_the_ui_thread_and_a_new_plan_supersedes_it(make_dialog, scene, ui, qtbot, monkeypatch,
                                                                      tmp_path):
    """A hash that takes as long as a 10 GB texture: the dialog stays live and shows 'estimating...'."""
    release = threading.Event()
    threads = []
    stopped = []

    def slow_hash(path, on_block=None):
        threads.append(threading.current_thread())
        while not release.wait(0.02):
            try:
                on_block(1)
            except Exception:  # the estimate was cancelled
                stopped.append(path)
                raise
        return "c2xvdw=="

    monkeypatch.setattr(hashing, "hash_file", slow_hash)
    monkeypatch.setattr(hashing, "cached_md5s", lambda infos, database_filepath="": {})
    dialog = make_dialog(scene)
    line = line_of(dialog)
    qtbot.waitUntil(lambda: bool(threads), timeout=10000)
    assert threading.main_thread() not in threads
    ticks = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=5000)  # the event loop runs while it hashes
    timer.stop()
    # the hashing progress reaches the line at the bridge's refresh rate
    qtbot.waitUntil(lambda: "hashing" in line.text(), timeout=5000)
    assert line.text().startswith(ESTIMATING) and not line.isEnabled()

    # a change of plan cancels the estimate in flight
    extra = tmp_path / "extra.tx"
    extra.write_bytes(b"x" * 1000)
    ui.section(dialog, "Assets").extra_editor.set_paths([str(extra)])
    dialog.controller.update_settings(extra_assets=[str(extra)])
    qtbot.waitUntil(lambda: bool(stopped), timeout=10000)
    release.set()
    qtbot.waitUntil(lambda: settled(dialog), timeout=10000)
    assert line.isEnabled() and not line.text().startswith(ESTIMATING)
    service = EstimateService.of(dialog.controller)
    assert service.result.files == dialog.controller.plan_result.file_count


def test_closing_the_dialog_stops_the_estimate(make_dialog, scene, qtbot, monkeypatch):
    started = threading.Event()
    stopped = []

    def endless_hash(path, on_block=None):
        started.set()
        while True:
            try:
                on_block(1)
            except Exception:
                stopped.append(path)
                raise
            threading.Event().wait(0.02)

    monkeypatch.setattr(hashing, "hash_file", endless_hash)
    monkeypatch.setattr(hashing, "cached_md5s", lambda infos, database_filepath="": {})
    dialog = make_dialog(scene)
    qtbot.waitUntil(started.is_set, timeout=10000)
    dialog.close()
    qtbot.waitUntil(lambda: bool(stopped), timeout=5000)


def test_a_file_changed_on_disk_is_estimated_again_when_the_plan_is(make_dialog, tmp_path, qtbot):
    """Same upload paths, new content: the figures must not stay "nothing left to upload"."""
    from ciokatana.core import upload_record

    from shots import b64md5

    scene_path = small_scene_file(tmp_path)
    folder = os.path.dirname(scene_path)
    files = [os.path.join(folder, "small.katana"), os.path.join(folder, "tex", "wood.1001.tx"),
             os.path.join(folder, "tex", "wood.1002.tx")]
    # this machine saw Conductor take all three
    assert upload_record.note([(b64md5(p), os.path.getsize(p)) for p in files], url=upload_record.conductor_url())
    dialog = make_dialog(FileScene(scene_path))
    line = line_of(dialog)
    qtbot.waitUntil(lambda: settled(dialog), timeout=10000)
    assert "nothing left to upload" in line.text()

    with open(files[1], "wb") as handle:  # the texture is repainted
        handle.write(os.urandom(4000))
    dialog.controller.update_settings(scout_spec="1")  # any change that plans again
    qtbot.waitUntil(lambda: "to upload: 1 file, 3.9 KB" in line.text(), timeout=10000)
    assert settled(dialog) and "on Conductor: 2 (" in line.text()
