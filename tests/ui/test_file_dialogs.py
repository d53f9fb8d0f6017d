"""Every file dialog of the dialog opens without a nested event loop and answers through a callback.

A click on Browse, Add Files, Add Folder or Save... returns at once with a
window-modal file dialog open (like the prompts): nothing inside Katana runs
underneath a half-finished click.
"""

import json

from ciokatana.qt import QtCore, QtWidgets


def _open_file_dialog(owner):
    dialogs = [d for d in owner.findChildren(QtWidgets.QFileDialog) if d.isVisible()]
    assert len(dialogs) == 1, dialogs
    dialog = dialogs[0]
    assert dialog.windowModality() == QtCore.Qt.WindowModal
    return dialog


def test_the_mock_file_browse_returns_at_once_and_fills_the_field(make_dialog, scene, mock_feature, ui, qtbot,
                                                                   tmp_path):
    mock = tmp_path / "take1.json"
    mock.write_text("[]")
    dialog = make_dialog(scene)
    advanced = ui.section(dialog, "Advanced")
    ui.choose(advanced.mock_mode_combo, "use")
    field = advanced.mock_file_field
    ui.click(field.browse_button)  # returns: the file dialog is open, not waited for
    browser = _open_file_dialog(field)
    assert browser.acceptMode() == QtWidgets.QFileDialog.AcceptOpen
    browser.selectFile(str(mock))
    browser.accept()
    assert field.path() == str(mock)
    assert dialog.controller.settings.mock_file == str(mock)


def test_add_files_and_add_folder_return_at_once_and_add_the_choice(make_dialog, scene, ui, qtbot, tmp_path):
    extra = tmp_path / "ocio"
    extra.mkdir()
    (extra / "config.ocio").write_text("x")
    dialog = make_dialog(scene)
    editor = ui.section(dialog, "Assets").extra_editor
    before = list(dialog.controller.settings.extra_assets)
    ui.click(editor.add_files_button)
    browser = _open_file_dialog(editor)
    browser.selectFile(str(extra / "config.ocio"))
    browser.accept()
    assert dialog.controller.settings.extra_assets == before + [str(extra / "config.ocio")]
    qtbot.waitUntil(lambda: not browser.isVisible())
    ui.click(editor.add_folder_button)
    browser = _open_file_dialog(editor)
    assert browser.fileMode() == QtWidgets.QFileDialog.Directory
    browser.selectFile(str(extra))
    browser.accept()
    assert dialog.controller.settings.extra_assets[-1] == str(extra)


def test_preview_save_returns_at_once_and_writes_the_chosen_file(make_dialog, scene, ui, qtbot, tmp_path):
    dialog = make_dialog(scene)
    preview = dialog.tab("preview")
    dialog.show_tab("preview")
    qtbot.waitUntil(lambda: not preview.formatting)
    ui.click(preview.save_button)
    browser = _open_file_dialog(preview)
    assert browser.acceptMode() == QtWidgets.QFileDialog.AcceptSave
    target = tmp_path / "beauty.json"
    browser.selectFile(str(target))
    browser.accept()
    qtbot.waitUntil(lambda: preview.status_label.text().startswith("Saved"))
    assert json.loads(target.read_text())["job_title"].endswith("beauty")
