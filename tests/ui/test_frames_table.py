"""Editing a Render node's override in the table: task count, preview and scene file follow."""

import json

from ciokatana.core.filescene import FileScene
from ciokatana.qt import QtCore, QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.compat import has_flag
from ciokatana.ui.models import nodes


def _table(dialog):
    return dialog.tab("configure").section("Frames and tasks").table


def _edit_cell(qtbot, table, row, column, text):
    """Double-click a cell, type, press Enter."""
    index = table.model().index(row, column)
    table.scrollTo(index)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), QtCore.Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), QtCore.Qt.LeftButton, pos=rect.center())
    editor = table.viewport().findChild(QtWidgets.QLineEdit)
    if editor is None:  # some styles start editing on the second click only
        qtbot.keyClick(table, QtCore.Qt.Key_F2)
        editor = table.viewport().findChild(QtWidgets.QLineEdit)
    assert editor is not None, "no editor opened on {},{}".format(row, column)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, QtCore.Qt.Key_Return)
    # the delegate commits on a queued call
    qtbot.waitUntil(lambda: table.state() != QtWidgets.QAbstractItemView.EditingState)


def _toggle_override(qtbot, table, row):
    index = table.model().index(row, nodes.OVERRIDE)
    table.setFocus()
    table.setCurrentIndex(index)
    qtbot.keyClick(table, QtCore.Qt.Key_Space)


def _stored_farm(path, name):
    with open(path) as handle:
        data = json.load(handle)
    return next(n["farm_settings"] for n in data["render_nodes"] if n["name"] == name)


def test_override_edit_updates_tasks_preview_and_scene(make_dialog, scene, shot_path, ui, qtbot):
    dialog = make_dialog(scene)
    table = _table(dialog)
    model = table.model()
    assert model.index(0, nodes.NAME).data() == "beauty"
    assert not has_flag(model.flags(model.index(0, nodes.FRAMES)), QtCore.Qt.ItemIsEditable)
    preview = dialog.tab("preview")
    dialog.show_tab("preview")
    preview.job_combo.setCurrentIndex(0)
    before = preview.text.toPlainText()
    assert before.count('"command"') == 100
    dialog.show_tab("configure")

    shown = [model.index(0, column).data() for column in (nodes.FRAMES, nodes.SCOUT, nodes.CHUNK)]
    _toggle_override(qtbot, table, 0)
    assert _stored_farm(shot_path, "beauty")["conductorOverrides"] is True
    assert has_flag(model.flags(model.index(0, nodes.FRAMES)), QtCore.Qt.ItemIsEditable)
    # the node's own values start from what the row showed, not from old stored ones
    assert [model.index(0, column).data() for column in (nodes.FRAMES, nodes.SCOUT, nodes.CHUNK)] == shown
    assert _stored_farm(shot_path, "beauty")["conductorScoutSpec"] == "fml:3"

    _edit_cell(qtbot, table, 0, nodes.FRAMES, "1001-1010")
    assert model.index(0, nodes.FRAMES).data() == "1001-1010"
    qtbot.waitUntil(lambda: model.index(0, nodes.TASKS).data() == "10")
    _edit_cell(qtbot, table, 0, nodes.CHUNK, "5")
    qtbot.waitUntil(lambda: model.index(0, nodes.TASKS).data() == "2")

    dialog.show_tab("preview")
    preview.job_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: preview.text.toPlainText().count('"command"') == 2)
    text = preview.text.toPlainText()
    assert "-t 1001-1005" in text and "-t 1006-1010" in text
    assert text != before

    stored = _stored_farm(shot_path, "beauty")
    assert stored == {
        "conductorOverrides": True,
        "conductorFrameSpec": "1001-1010",
        "conductorScoutSpec": "fml:3",
        "conductorChunkSize": 5,
    }
    reloaded = FileScene(shot_path).render_nodes()[0]
    assert reloaded.farm_settings.frame_spec == "1001-1010"


def test_bad_override_is_red_with_the_reason(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    table = _table(dialog)
    model = table.model()
    row = model.node_names().index("char_hero")
    _edit_cell(qtbot, table, row, nodes.CHUNK, "abc")
    index = model.index(row, nodes.CHUNK)
    qtbot.waitUntil(lambda: bool(index.data(QtCore.Qt.DecorationRole)))
    assert "chunk" in index.data(QtCore.Qt.ToolTipRole).lower()
    red = theme.error_text(QtWidgets.QApplication.palette())
    assert index.data(QtCore.Qt.ForegroundRole).color() == red
    assert model.index(row, nodes.TASKS).data() == "\u2014"


def test_default_edits_change_nodes_without_override(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    frames = ui.section(dialog, "Frames and tasks")
    model = frames.model
    ui.type_into(frames.frames_edit, "1-20")
    qtbot.waitUntil(lambda: model.index(0, nodes.TASKS).data() == "20")
    assert model.index(0, nodes.FRAMES).data() == "1-20"
    # char_hero overrides: unchanged
    assert model.index(1, nodes.FRAMES).data() == "1001-1050"
    ui.type_into(frames.frames_edit, "1-20x")
    qtbot.waitUntil(lambda: frames.defaults_problem_label.isVisibleTo(frames))
    assert "Frames" in frames.defaults_problem_label.text()
