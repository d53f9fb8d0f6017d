"""A huge payload (a mistyped 1001-100000) is previewed, copied and saved without freezing the dialog."""

import json

from ciokatana.core.redact import MASK, redact_payload
from ciokatana.qt import QtWidgets
from ciokatana.ui.tabs import preview as preview_mod

FRAMES = "1001-100000"
TASKS = 99000


def _huge(dialog, ui, qtbot):
    ui.type_into(ui.section(dialog, "Frames and tasks").frames_edit, FRAMES)
    qtbot.waitUntil(lambda: not dialog.controller.plan_is_stale, timeout=60000)
    job = dialog.controller.plan_result.job("beauty")
    assert len(job.payload["tasks_data"]) == TASKS


def test_the_preview_formats_on_a_worker_and_shows_the_start_with_the_totals(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    _huge(dialog, ui, qtbot)
    preview = dialog.tab("preview")
    dialog.show_tab("preview")  # returns before the 16 MB of JSON exist
    assert preview.formatting
    assert preview.text.toPlainText() == "Formatting the payload of beauty (99,000 tasks)\u2026"
    assert preview.summary_label.text() == "99,000 task(s), 49 file(s) to upload"
    qtbot.waitUntil(lambda: not preview.formatting, timeout=30000)
    shown = preview.text.toPlainText()
    assert len(shown) < preview_mod.DISPLAY_LIMIT + 300
    assert shown.startswith("{\n")
    assert "more lines are not shown here" in shown and "Copy and Save\u2026 take the whole payload" in shown
    assert preview.status_label.text().startswith("Showing ") and " of " in preview.status_label.text()

    preview.job_combo.setCurrentIndex(preview.job_combo.findText("env_bg"))
    assert preview.formatting  # another job: formatted on the worker too
    qtbot.waitUntil(lambda: not preview.formatting, timeout=30000)
    assert '"job_title": "Katana shot010_lighting_v003 env_bg"' in preview.text.toPlainText()
    preview.job_combo.setCurrentIndex(preview.job_combo.findText("beauty"))
    assert not preview.formatting  # kept: shown at once


def test_copy_and_save_take_the_whole_payload(make_dialog, scene, ui, qtbot, tmp_path):
    dialog = make_dialog(scene)
    _huge(dialog, ui, qtbot)
    preview = dialog.tab("preview")
    dialog.show_tab("preview")
    ui.click(preview.copy_button)  # before the text is ready: copied when it is
    qtbot.waitUntil(lambda: preview.status_label.text().startswith("Copied"), timeout=30000)
    copied = json.loads(QtWidgets.QApplication.clipboard().text())
    assert len(copied["tasks_data"]) == TASKS

    target = tmp_path / "beauty_payload.json"
    chosen = []
    preview.choose_save = lambda parent, title, start, on_chosen: chosen.append(on_chosen)
    ui.click(preview.save_button)
    assert len(chosen) == 1 and not target.exists()  # the file dialog is open, nothing waits for it
    chosen[0](str(target))
    assert preview.status_label.text() == "Saving\u2026"
    qtbot.waitUntil(lambda: preview.status_label.text().startswith("Saved"), timeout=30000)
    assert json.loads(target.read_text()) == copied


def test_masking_a_slice_at_a_time_masks_what_redact_payload_masks(monkeypatch):
    key = "sk-live-0123456789abcdefghijklmnop"
    monkeypatch.setenv("CONDUCTOR_API_KEY", key)
    secret_task = {"command": "katana --key {}".format(key), "frames": "7"}
    payload = {
        "job_title": "t",
        "environment": {"RENDER_API_TOKEN": "s3cr3t", "PATH": "/bin"},
        "tasks_data": [{"command": "katana -t {}".format(i), "frames": str(i)} for i in range(2500)]
                      + [secret_task],
        "metadata": {"db_password": "hunter2"},
        "upload_paths": ["/a", "/b"],
    }
    masked = preview_mod.redacted(payload)
    assert masked == redact_payload(payload)
    assert masked["environment"]["RENDER_API_TOKEN"] == MASK and masked["metadata"]["db_password"] == MASK
    assert key not in json.dumps(masked)  # the API key, in a task 2,500 entries down the list
    assert masked["tasks_data"][3] == payload["tasks_data"][3]
