"""The keyboard never spends money by accident: Enter, Ctrl+Enter, Escape and the prompts' defaults."""

import json

import pytest

from ciokatana.core.filescene import FileScene
from ciokatana.qt import QtCore, QtWidgets


def _rewrite(path, **changes):
    with open(path) as handle:
        data = json.load(handle)
    data.update(changes)
    with open(path, "w") as handle:
        json.dump(data, handle)


def _text_fields(dialog):
    """Every line edit an artist can type into on the Configure tab (spin boxes' included)."""
    configure = dialog.tab("configure")
    configure.set_all_expanded(True)
    fields = [w for w in configure.findChildren(QtWidgets.QLineEdit) if w.isVisibleTo(configure)]
    return fields


def test_enter_in_every_text_field_never_submits(make_dialog, scene, mock_feature, ui, qtbot):
    dialog = make_dialog(scene)
    ui.click(ui.section(dialog, "Environment").editor.add_button)  # a row with NAME and value fields
    ui.click(ui.section(dialog, "Metadata").editor.add_button)
    states = []
    dialog.flow.state_changed.connect(states.append)
    fields = _text_fields(dialog)
    names = {f.placeholderText() for f in fields}
    assert len(fields) >= 14, "expected every Configure field, found {}".format(len(fields))
    assert {"NAME", "value", "Type a path and press Enter, or browse"} <= names
    for field in fields:
        dialog.tab("configure").scroll.ensureWidgetVisible(field)
        field.setFocus(QtCore.Qt.OtherFocusReason)
        qtbot.keyClick(field, QtCore.Qt.Key_Return)
        qtbot.keyClick(field, QtCore.Qt.Key_Enter)
        assert states == [] and dialog.prompt is None, "Enter in {!r} started a submission".format(
            field.placeholderText() or field.text())
    qtbot.wait(200)
    assert states == [] and dialog.prompt is None
    assert not dialog.controller.is_running and dialog.flow.state == "idle"


def test_enter_adds_an_extra_asset_and_does_nothing_else(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    states = []
    dialog.flow.state_changed.connect(states.append)
    assets = ui.section(dialog, "Assets").extra_editor
    ui.type_into(assets.path_edit, "sample_show/lookdev")
    qtbot.keyClick(assets.path_edit, QtCore.Qt.Key_Return)
    assert assets.paths()[-1] == "sample_show/lookdev"
    assert states == [] and dialog.prompt is None


def test_enter_on_a_focused_submit_button_does_not_submit(make_dialog, scene, qtbot):
    dialog = make_dialog(scene)
    states = []
    dialog.flow.state_changed.connect(states.append)
    dialog.submit_button.setFocus(QtCore.Qt.TabFocusReason)
    qtbot.keyClick(dialog.submit_button, QtCore.Qt.Key_Return)
    assert states == []
    offenders = [b.text() for b in dialog.findChildren(QtWidgets.QPushButton) if b.isDefault() or b.autoDefault()]
    assert offenders == []


def test_ctrl_enter_is_the_submit_shortcut(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    field = ui.section(dialog, "General").title_edit
    qtbot.keyClick(field, QtCore.Qt.Key_Return, QtCore.Qt.ControlModifier)
    qtbot.waitUntil(lambda: dialog.prompt is not None)  # the example's warnings are asked about
    assert dialog.flow.state == "asking"
    ui.answer(dialog, "cancel")


def test_escape_does_not_close_the_idle_dialog(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    field = ui.section(dialog, "Frames and tasks").frames_edit
    qtbot.keyClick(field, QtCore.Qt.Key_Escape)
    qtbot.keyClick(dialog, QtCore.Qt.Key_Escape)
    qtbot.wait(50)
    assert dialog.isVisible() and not dialog.is_closed


def _press_enter(prompt, qtbot):
    answers = []
    prompt.answered.connect(answers.append)
    qtbot.keyClick(prompt, QtCore.Qt.Key_Return)
    qtbot.waitUntil(lambda: bool(answers))
    return answers[0]


def test_the_warnings_prompt_defaults_to_cancel(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    ui.submit(dialog)
    qtbot.waitUntil(lambda: dialog.prompt is not None)
    prompt = dialog.prompt
    assert prompt.defaultButton() is prompt.button("cancel")
    assert _press_enter(prompt, qtbot) == "cancel"
    assert not dialog.controller.is_running and dialog.flow.state == "idle"


@pytest.mark.parametrize("changes, expected", [({"unsaved_changes": True}, "cancel"), ({"katana_file": ""}, "cancel")])
def test_the_save_prompt_defaults_to_cancel(make_dialog, shot_path, ui, qtbot, changes, expected):
    _rewrite(shot_path, **changes)
    dialog = make_dialog(FileScene(shot_path))
    ui.submit(dialog)
    qtbot.waitUntil(lambda: dialog.prompt is not None)
    prompt = dialog.prompt
    assert prompt.defaultButton() is prompt.button(expected)
    assert _press_enter(prompt, qtbot) == expected
    assert dialog.flow.state == "idle"
    with open(shot_path) as handle:
        assert json.load(handle).get("unsaved_changes", False) == changes.get("unsaved_changes", False)


def test_the_close_during_a_run_prompt_defaults_to_keep_running(make_dialog, scene, ui, qtbot):
    import threading

    from ciokatana.core import events as ev
    from ciokatana.core.runner import Source

    release = threading.Event()

    class Waiting(Source):
        def run(self, emit, control):
            emit(ev.start(1))
            emit(ev.job_start(0, "waiting"))
            while not control.wait(0.05) and not release.is_set():
                pass

    dialog = make_dialog(scene)
    dialog.controller.start_source(Waiting())
    try:
        dialog.close()
        qtbot.waitUntil(lambda: dialog.prompt is not None)
        prompt = dialog.prompt
        assert prompt.defaultButton() is prompt.button("keep")
        assert _press_enter(prompt, qtbot) == "keep"
        assert dialog.controller.is_running and not dialog.is_closed
    finally:
        release.set()
    qtbot.waitUntil(lambda: not dialog.controller.is_running, timeout=10000)
