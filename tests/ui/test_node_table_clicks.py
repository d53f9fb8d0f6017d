"""The node table holds still under the pointer, and only a click on a box toggles it."""

import json

from ciokatana.qt import QtCore
from ciokatana.ui.compat import is_checked
from ciokatana.ui.models import nodes


def _table(dialog):
    return dialog.tab("configure").section("Frames and tasks").table


def _widths(table):
    return [table.columnWidth(c) for c in range(len(nodes.COLUMNS))]


def _stored_overrides(path, name):
    with open(path) as handle:
        data = json.load(handle)
    return next(n["farm_settings"]["conductorOverrides"] for n in data["render_nodes"] if n["name"] == name)


def _click(qtbot, table, row, column, offset=None):
    rect = table.visualRect(table.model().index(row, column))
    pos = rect.center() if offset is None else QtCore.QPoint(rect.left() + offset, rect.center().y())
    qtbot.mouseClick(table.viewport(), QtCore.Qt.LeftButton, pos=pos)


def test_columns_keep_their_width_when_a_row_is_left_out(make_dialog, scene, qtbot):
    dialog = make_dialog(scene)
    table = _table(dialog)
    model = table.model()
    qtbot.waitUntil(lambda: model.index(0, nodes.TASKS).data() == "100")
    before = _widths(table)
    override_x = table.columnViewportPosition(nodes.OVERRIDE)
    _click(qtbot, table, 0, nodes.SUBMIT)  # untick beauty: its Tasks cell reads "not submitted"
    assert model.index(0, nodes.TASKS).data() == "not submitted"
    qtbot.wait(50)
    assert _widths(table) == before
    assert table.columnViewportPosition(nodes.OVERRIDE) == override_x
    dialog.controller.schedule_plan()  # "updating..." in every Tasks cell
    assert model.index(1, nodes.TASKS).data() == nodes.UPDATING
    qtbot.wait(50)
    assert _widths(table) == before


def test_a_click_beside_the_box_selects_the_row_and_writes_nothing(make_dialog, scene, shot_path, qtbot):
    dialog = make_dialog(scene)
    table = _table(dialog)
    model = table.model()
    row = model.node_names().index("beauty")
    index = model.index(row, nodes.OVERRIDE)
    assert not is_checked(index.data(QtCore.Qt.CheckStateRole))
    _click(qtbot, table, row, nodes.OVERRIDE, offset=3)  # the cell's left edge, away from the box
    assert not is_checked(index.data(QtCore.Qt.CheckStateRole))
    assert _stored_overrides(shot_path, "beauty") is False
    assert table.currentIndex().row() == row  # the click selected the row instead
    _click(qtbot, table, row, nodes.OVERRIDE)  # on the box
    assert is_checked(index.data(QtCore.Qt.CheckStateRole))
    assert _stored_overrides(shot_path, "beauty") is True

    submit = model.index(row, nodes.SUBMIT)
    _click(qtbot, table, row, nodes.SUBMIT, offset=2)
    assert is_checked(submit.data(QtCore.Qt.CheckStateRole))
    assert "beauty" not in dialog.controller.excluded_nodes
