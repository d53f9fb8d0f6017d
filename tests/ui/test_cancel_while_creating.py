"""A cancel while Conductor creates a job: the job may exist, and it counts as already submitted."""

import os
import threading
from types import SimpleNamespace


class HangingCreation(object):
    """ciocore's Submit stand-in: uploads every file, then its job request never answers until stopped."""

    created = []

    def __init__(self, payload):
        self.payload = payload
        self.progress_handler = None
        self.stopped = threading.Event()

    def main(self):
        files = {}
        for path in self.payload["upload_paths"]:
            size = os.path.getsize(path)
            files[path] = {"bytes_to_upload": size, "bytes_uploaded": size, "already_uploaded": False,
                           "md5": "m", "md5_was_cached": False}
        self.progress_handler(SimpleNamespace(
            files_to_analyze=len(files), files_to_upload=len(files), bytes_to_upload=0.0, bytes_uploaded=0.0,
            transfer_rate=0.0, percent_complete=1.0, elapsed_time=1.0, time_remaining=0.0, file_progress=files))
        HangingCreation.created.append(self.payload["job_title"])  # the request reached Conductor
        self.stopped.wait(20)
        raise RuntimeError("stopped")

    def stop_work(self):
        self.stopped.set()


def test_cancelling_a_creation_leaves_a_may_exist_card_and_a_duplicate_notice(make_dialog, scene, ui, qtbot,
                                                                              monkeypatch):
    monkeypatch.setattr("ciokatana.ui.tabs.progress.SLOW_CREATE_S", 1.0)
    HangingCreation.created = []
    dialog = make_dialog(scene, submit_factory=HangingCreation)
    ui.submit(dialog)
    ui.answer(dialog, "submit")
    progress = dialog.tab("progress")
    qtbot.waitUntil(lambda: progress.job_label.text().startswith("Creating job 1 of 4"), timeout=10000)
    # a creation that takes long says what Cancel would mean, and its clock keeps going
    qtbot.waitUntil(lambda: "Cancel stops waiting, and the job may still appear" in progress.job_label.text(),
                    timeout=5000)
    ui.click(progress.cancel_button)
    ui.wait_run_done(dialog)

    record = dialog.controller.last_run
    assert [j.state for j in record.jobs] == ["may_exist", "not_started", "not_started", "not_started"]
    card = dialog.tab("response").card_list()[0]
    assert card.level == "warning"
    assert "May have been created" in card.message and "Cancelled before Conductor created" not in card.message
    group = dialog.tab("response").groups()[0]
    assert group.resubmit_button.text() == "Resubmit Not-Started Jobs (3)"  # the one that may exist is not offered
    assert dialog.status_label.text() == "Check the dashboard: 0 of 4 jobs submitted, 1 may have been created, 3 not started"

    # Submitting again warns: that payload may already be a job on Conductor.
    ui.submit(dialog)
    qtbot.waitUntil(lambda: dialog.prompt is not None and "again" in dialog.prompt.keys(), timeout=10000)
    text = dialog.prompt.text()
    assert text.startswith("1 of these 4 payloads was already submitted") and "may have been created" in text
    ui.answer(dialog, "cancel")
