"""The Validation tab's path table: farm paths, statuses, filter."""

import os

from ciokatana.core import pathmap
from ciokatana.core.filescene import FileScene
from ciokatana.core.plan import plan_submission
from ciokatana.core.settings import Settings
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


def test_the_validation_tab_shows_the_newest_plans_paths(make_dialog, scene, qtbot):
    dialog = make_dialog(scene)
    tab = dialog.tab("validation")
    qtbot.waitUntil(lambda: tab.path_table.model.rowCount() > 0, timeout=5000)
    farm = [r.farm for r in tab.path_table.visible_rows()]
    assert any(f.endswith(".katana") for f in farm)
