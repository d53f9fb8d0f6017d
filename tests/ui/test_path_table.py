"""The Validation tab's path table: farm paths, statuses, filter."""

import os

from ciokatana.core import pathmap
from ciokatana.core.filescene import FileScene
from ciokatana.core.plan import plan_submission
from ciokatana.core.settings import Settings
from ciokatana.qt import QtCore
from ciokatana.ui.widgets.pathtable import PathTable

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOT = os.path.join(ROOT, "examples", "shot010.json")


def shot_rows():
    scene = FileScene(SHOT)
    return pathmap.path_rows(plan_submission(scene.snapshot(), Settings.from_dict(scene.load_settings())))


def test_the_table_filters_by_text_and_status(qtbot):
    table = PathTable()
    qtbot.addWidget(table)
    rows = shot_rows()
    table.set_rows(rows)
    assert table.visible_rows() == rows and table.count_label.text() == "{} path(s)".format(len(rows))
    table.filter_edit.setText("R:\\renders")
    (row,) = table.visible_rows()
    assert row.farm == "/renders/shot010/env_bg/env_bg.####.exr" and row.kind == "output"
    table.filter_edit.clear()
    table.status_combo.setCurrentIndex(table.status_combo.findData("missing"))
    assert table.visible_rows() and all(r.status == "missing" for r in table.visible_rows())
    assert "/library/hdri/overcast_sky_4k.exr" in [r.farm for r in table.visible_rows()]
    assert table.count_label.text().endswith("of {}".format(len(rows)))


def test_the_validation_tab_builds_the_paths_only_when_shown(make_dialog, scene, ui, qtbot, monkeypatch):
    built = []
    real = pathmap.path_rows
    monkeypatch.setattr(pathmap, "path_rows", lambda plan: built.append(plan) or real(plan))
    dialog = make_dialog(scene)
    tab = dialog.tab("validation")
    ui.type_into(ui.section(dialog, "General").title_edit, "{node} v2")
    qtbot.waitUntil(lambda: not dialog.controller.plan_is_stale, timeout=5000)
    assert built == [] and tab.path_table.model.rowCount() == 0  # a hidden tab builds nothing
    assert tab.paths_pending

    dialog.show_tab("validation")
    qtbot.waitUntil(lambda: not tab.paths_pending, timeout=5000)
    assert len(built) == 1
    farm = [r.farm for r in tab.path_table.visible_rows()]
    assert any(f.endswith(".katana") for f in farm)

    ui.type_into(ui.section(dialog, "General").title_edit, "{node} v3")
    qtbot.waitUntil(lambda: not dialog.controller.plan_is_stale and not tab.paths_pending, timeout=5000)
    assert len(built) == 2  # shown: the newest plan's paths follow

    dialog.show_tab("configure")
    ui.type_into(ui.section(dialog, "General").title_edit, "{node} v4")
    qtbot.waitUntil(lambda: not dialog.controller.plan_is_stale, timeout=5000)
    assert len(built) == 2


def test_columns_keep_their_width_and_a_header_click_sorts(qtbot):
    table = PathTable()
    qtbot.addWidget(table)
    table.resize(1000, 400)
    table.show()
    rows = shot_rows()
    widths = [table.view.columnWidth(c) for c in range(5)]
    table.set_rows(rows)
    assert [table.view.columnWidth(c) for c in range(5)] == widths  # never sized to the contents
    header = table.view.horizontalHeader()
    qtbot.mouseClick(header.viewport(), QtCore.Qt.LeftButton,
                     pos=QtCore.QPoint(header.sectionViewportPosition(2) + 10, header.height() // 2))
    farm = [r.farm for r in table.visible_rows()]
    assert farm == sorted(farm, key=str.lower) and farm != [r.farm for r in rows]
    qtbot.mouseClick(header.viewport(), QtCore.Qt.LeftButton,
                     pos=QtCore.QPoint(header.sectionViewportPosition(2) + 10, header.height() // 2))
    assert [r.farm for r in table.visible_rows()] == sorted(farm, key=str.lower, reverse=True)
    table.filter_edit.setText("EXR")  # any column, any case
    assert table.visible_rows() and all("exr" in (r.farm + r.local).lower() for r in table.visible_rows())
