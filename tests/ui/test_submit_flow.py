"""What Submit does before a run: save prompts, validation errors, warnings."""

import json

from ciokatana.core.filescene import FileScene


def _rewrite(path, **changes):
    with open(path) as handle:
        data = json.load(handle)
    data.update(changes)
    with open(path, "w") as handle:
        json.dump(data, handle)


def test_validation_errors_block_and_show_the_validation_tab(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    ui.type_into(ui.section(dialog, "Frames and tasks").frames_edit, "abc")
    ui.submit(dialog)
    qtbot.waitUntil(lambda: dialog.current_tab().KEY == "validation")
    assert dialog.prompt is None
    assert not dialog.controller.is_running
    assert dialog.controller.last_runner is None
    cards = dialog.tab("validation").cards.cards()
    errors = [c for c in cards if c.level == "error"]
    # one card for the one problem, naming both nodes that use the default
    assert [c.title for c in errors] == ["Render nodes 'beauty', 'env_bg' (submitter default)"]
    assert "Not submitted" in dialog.status_label.text()
    assert dialog.submit_button.isEnabled()
    summary = dialog.tab("validation").summary_label.text()
    assert "error" in summary and "Fix the errors" in summary


def test_warnings_ask_and_cancel_keeps_the_dialog_idle(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    ui.submit(dialog)
    prompt = ui.answer(dialog, "cancel")
    assert "Windows path" in prompt.informativeText()
    assert dialog.current_tab().KEY == "validation"
    assert not dialog.controller.is_running
    assert dialog.submit_button.isEnabled()


def test_dirty_scene_is_offered_a_save(make_dialog, shot_path, ui, qtbot):
    _rewrite(shot_path, unsaved_changes=True)
    dialog = make_dialog(FileScene(shot_path))
    ui.submit(dialog)
    ui.answer(dialog, "save")
    prompt = ui.answer(dialog, "cancel")  # then the warnings
    assert "unsaved" not in prompt.informativeText()
    with open(shot_path) as handle:
        assert json.load(handle)["unsaved_changes"] is False


def test_dirty_scene_can_submit_the_last_saved_file(make_dialog, shot_path, ui, qtbot):
    _rewrite(shot_path, unsaved_changes=True)
    dialog = make_dialog(FileScene(shot_path))
    ui.submit(dialog)
    ui.answer(dialog, "skip")
    prompt = ui.answer(dialog, "cancel")
    assert "unsaved changes" not in prompt.informativeText()  # not asked twice
    with open(shot_path) as handle:
        assert json.load(handle)["unsaved_changes"] is True


def test_never_saved_scene_cannot_skip_and_a_failed_save_is_reported(make_dialog, shot_path, ui, qtbot):
    _rewrite(shot_path, katana_file="")
    dialog = make_dialog(FileScene(shot_path))
    ui.submit(dialog)
    qtbot.waitUntil(lambda: dialog.prompt is not None)
    assert "skip" not in dialog.prompt.keys()
    ui.answer(dialog, "save")
    prompt = ui.answer(dialog, "ok")
    assert "katana_file" in prompt.informativeText()
    assert not dialog.controller.is_running
    assert dialog.submit_button.isEnabled()


def test_cancelling_the_save_prompt_does_nothing(make_dialog, shot_path, ui, qtbot):
    _rewrite(shot_path, unsaved_changes=True)
    dialog = make_dialog(FileScene(shot_path))
    ui.submit(dialog)
    ui.answer(dialog, "cancel")
    assert dialog.flow.state == "idle"
    assert dialog.current_tab().KEY == "configure"


def test_closing_a_prompt_with_its_close_box_counts_as_cancel(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    ui.submit(dialog)
    qtbot.waitUntil(lambda: dialog.prompt is not None)
    assert not dialog.submit_button.isEnabled()
    dialog.prompt.reject()  # what the window's close box does
    qtbot.waitUntil(lambda: dialog.flow.state == "idle")
    assert dialog.submit_button.isEnabled()
    assert not dialog.controller.is_running
