"""Settings are stored through the scene: debounced, on close, across reopen and reload."""

import json

from ciokatana.core.filescene import FileScene
from ciokatana.core.redact import MASK


def _stored(path):
    with open(path) as handle:
        return json.load(handle)["settings"]


def test_settings_survive_close_reopen_and_reload(make_dialog, shot_path, ui, qtbot, mock_feature):
    dialog = make_dialog(FileScene(shot_path))
    general = ui.section(dialog, "General")
    ui.type_into(general.title_edit, "{scene}_{node}_v2")
    ui.click(general.preemptible_check)
    env = ui.section(dialog, "Environment").editor
    ui.click(env.add_button)
    row = env.rows()[-1]
    ui.type_into(row.key_edit, "OCIO")
    ui.type_into(row.value_edit, "/shows/demo/ocio/config.ocio")
    row.policy_combo.setCurrentIndex(row.policy_combo.findText("prepend"))
    meta = ui.section(dialog, "Metadata").editor
    ui.click(meta.add_button)
    ui.type_into(meta.rows()[-1].key_edit, "artist")
    ui.type_into(meta.rows()[-1].value_edit, "kim")
    assets = ui.section(dialog, "Assets").extra_editor
    ui.type_into(assets.path_edit, "sample_show/lookdev")
    qtbot.keyClick(assets.path_edit, "\r")
    advanced = ui.section(dialog, "Advanced")
    ui.type_into(advanced.notify_edit, "a@studio.com, b@studio.com")
    ui.click(advanced.daemon_check)
    ui.use_mock(dialog, "/tmp/some_mock.json", 0.5)
    # stored ~300 ms after the last change, without closing
    qtbot.waitUntil(lambda: _stored(shot_path)["title_template"] == "{scene}_{node}_v2")
    dialog.close()

    stored = _stored(shot_path)
    assert stored["preemptible"] is False
    assert {"name": "OCIO", "value": "/shows/demo/ocio/config.ocio", "merge_policy": "prepend"} in stored["environment"]
    assert stored["metadata"]["artist"] == "kim"
    assert stored["extra_assets"] == ["sample_show/ocio", "sample_show/lookdev"]
    assert stored["notify"] == ["a@studio.com", "b@studio.com"]
    assert stored["use_daemon"] is True
    assert (stored["mock_mode"], stored["mock_file"], stored["mock_interval"]) == ("use", "/tmp/some_mock.json", 0.5)

    again = make_dialog(FileScene(shot_path))  # the scene file read afresh
    assert ui.section(again, "General").title_edit.text() == "{scene}_{node}_v2"
    assert not ui.section(again, "General").preemptible_check.isChecked()
    assert not ui.section(again, "General").autoretry_spin.isEnabled()
    items = ui.section(again, "Environment").editor.items()
    assert ("OCIO", "/shows/demo/ocio/config.ocio", "prepend") in items
    assert ("artist", "kim", None) in ui.section(again, "Metadata").editor.items()
    assert ui.section(again, "Assets").extra_editor.paths() == ["sample_show/ocio", "sample_show/lookdev"]
    adv = ui.section(again, "Advanced")
    assert adv.notify_edit.text() == "a@studio.com, b@studio.com"
    assert adv.daemon_check.isChecked()
    assert adv.mock_file_field.path() == "/tmp/some_mock.json"
    assert adv.mock_interval_spin.value() == 0.5


def test_secrets_never_reach_the_preview(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    env = ui.section(dialog, "Environment").editor
    ui.click(env.add_button)
    ui.type_into(env.rows()[-1].key_edit, "RENDER_API_TOKEN")
    ui.type_into(env.rows()[-1].value_edit, "s3cr3t-t0ken-value")
    meta = ui.section(dialog, "Metadata").editor
    ui.click(meta.add_button)
    ui.type_into(meta.rows()[-1].key_edit, "db_password")
    ui.type_into(meta.rows()[-1].value_edit, "hunter2-hunter2")
    preview = dialog.tab("preview")
    dialog.show_tab("preview")
    qtbot.waitUntil(lambda: "RENDER_API_TOKEN" in preview.text.toPlainText() and "db_password" in preview.text.toPlainText())
    for index in range(preview.job_combo.count()):
        preview.job_combo.setCurrentIndex(index)
        text = preview.text.toPlainText()
        assert "s3cr3t-t0ken-value" not in text
        assert "hunter2-hunter2" not in text
    assert MASK in text


def test_preview_has_a_job_selector_and_shows_problems(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    preview = dialog.tab("preview")
    dialog.show_tab("preview")
    names = [preview.job_combo.itemText(i) for i in range(preview.job_combo.count())]
    assert names == ["beauty", "char_hero", "fx_smoke", "env_bg"]
    preview.job_combo.setCurrentIndex(2)
    assert '"job_title": "Katana shot010_lighting_v003 fx_smoke"' in preview.text.toPlainText()
    dialog.show_tab("configure")
    ui.type_into(ui.section(dialog, "Frames and tasks").frames_edit, "zzz")
    dialog.show_tab("preview")
    preview.job_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: "cannot be built" in preview.text.toPlainText())
    assert "frames" in preview.text.toPlainText()


def test_typing_a_metadata_key_that_passes_through_an_existing_one(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    meta = ui.section(dialog, "Metadata").editor
    ui.click(meta.add_button)
    row = meta.rows()[-1]
    ui.type_into(row.key_edit, "shot_2")  # is "shot" (an existing key) after four keys
    ui.type_into(row.value_edit, "b")
    assert len(meta.rows()) == 3
    assert dialog.controller.settings.metadata == {"shot": "shot010", "department": "lighting", "shot_2": "b"}


def test_closing_within_the_store_debounce_still_stores_the_change(make_dialog, shot_path, ui, qtbot):
    dialog = make_dialog(FileScene(shot_path))
    general = ui.section(dialog, "General")
    ui.type_into(general.title_edit, "{node} closed at once")
    assert dialog.controller.save_pending  # the 300 ms debounce has not fired
    assert _stored(shot_path).get("title_template") != "{node} closed at once"
    dialog.close()  # at once, inside the debounce
    assert _stored(shot_path)["title_template"] == "{node} closed at once"


def test_a_payload_can_be_copied_and_saved_with_secrets_masked(make_dialog, scene, ui, qtbot, tmp_path):
    from ciokatana.qt import QtWidgets

    dialog = make_dialog(scene)
    env = ui.section(dialog, "Environment").editor
    ui.click(env.add_button)
    ui.type_into(env.rows()[-1].key_edit, "RENDER_API_TOKEN")
    ui.type_into(env.rows()[-1].value_edit, "s3cr3t-t0ken-value")
    preview = dialog.tab("preview")
    dialog.show_tab("preview")
    qtbot.waitUntil(lambda: "RENDER_API_TOKEN" in preview.text.toPlainText())
    preview.job_combo.setCurrentIndex(1)
    ui.click(preview.copy_button)
    copied = QtWidgets.QApplication.clipboard().text()
    assert json.loads(copied)["job_title"] == "Katana shot010_lighting_v003 char_hero"
    assert "s3cr3t-t0ken-value" not in copied and MASK in copied
    target = tmp_path / "char_hero.json"
    preview.choose_save = lambda parent, title, start: str(target)
    ui.click(preview.save_button)
    saved = json.loads(target.read_text())
    assert saved == json.loads(copied)
    assert "Saved" in preview.status_label.text()
