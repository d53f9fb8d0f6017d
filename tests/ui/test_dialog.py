"""Opening the dialog on an example scene: tabs, nodes in scope, tooltips, reuse."""

from ciokatana.core.filescene import FileScene
from ciokatana.qt import QtCore, QtWidgets
from ciokatana.ui import find_dialog, open_dialog
from ciokatana.ui.dialog import TAB_CLASSES
from ciokatana.ui.models import nodes


def test_opens_with_five_tabs_and_the_render_nodes_in_scope(make_dialog, scene):
    dialog = make_dialog(scene)
    titles = [dialog.tab_widget.tabText(i) for i in range(dialog.tab_widget.count())]
    assert titles == ["Configure", "Preview", "Validation", "Progress", "Response"]
    assert [cls.KEY for cls in TAB_CLASSES] == ["configure", "preview", "validation", "progress", "response"]
    model = dialog.tab("configure").section("Frames and tasks").model
    assert model.node_names() == ["beauty", "char_hero", "fx_smoke", "env_bg"]
    assert "shot010_lighting_v003" in dialog.windowTitle()
    assert dialog.submit_button.isEnabled()


def test_table_shows_effective_values_and_task_counts(make_dialog, scene, qtbot):
    dialog = make_dialog(scene)
    model = dialog.tab("configure").section("Frames and tasks").model

    def cell(row, column):
        return model.index(row, column).data()

    # beauty uses the defaults (scene range, chunk 1); char_hero overrides them.
    assert cell(0, nodes.FRAMES) == "1001-1100"
    assert cell(0, nodes.TASKS) == "100"
    assert cell(1, nodes.FRAMES) == "1001-1050"
    assert cell(1, nodes.CHUNK) == "5"
    assert cell(1, nodes.TASKS) == "10"


def test_only_the_named_nodes_are_in_scope(make_dialog, shot_path):
    dialog = make_dialog(FileScene(shot_path, nodes=["fx_smoke"]))
    assert dialog.tab("configure").section("Frames and tasks").model.node_names() == ["fx_smoke"]


def test_every_label_has_a_tooltip(make_dialog, scene, mock_feature):
    dialog = make_dialog(scene)
    configure = dialog.tab("configure")
    configure.set_all_expanded(True)
    labels = [w for w in configure.findChildren(QtWidgets.QLabel) if w.text().strip() and w.isVisibleTo(configure)]
    forms = configure.findChildren(QtWidgets.QFormLayout)
    form_labels = []
    for form in forms:
        for row in range(form.rowCount()):
            item = form.itemAt(row, QtWidgets.QFormLayout.LabelRole)
            if item is not None and item.widget() is not None and item.widget().text().strip():
                form_labels.append(item.widget())
    assert len(form_labels) >= 20
    missing = [w.text() for w in form_labels if not w.toolTip()]
    assert not missing, "labels without a tooltip: {}".format(missing)
    assert labels  # the tab has visible labels at all
    for section in configure.sections:
        assert section.header.toolTip()


def test_sections_fold_and_unfold(make_dialog, scene, ui):
    dialog = make_dialog(scene)
    general = ui.section(dialog, "General")
    assert general.body().isVisible()
    ui.click(general.header)
    assert not general.body().isVisible()
    ui.click(general.header)
    assert general.body().isVisible()


def test_open_dialog_reuses_the_open_dialog_of_the_same_scene(qtbot, scene, shot_path):
    # open_dialog's dialogs delete themselves on close, so qtbot must not own them.
    first = open_dialog(scene)
    other = None
    try:
        assert first.isVisible()
        assert open_dialog(scene) is first
        assert find_dialog(scene) is first
        other = open_dialog(FileScene(shot_path))
        assert other is not first
    finally:
        if other is not None:
            other.close()
        first.close()
    qtbot.waitUntil(lambda: find_dialog(scene) is None)
    again = open_dialog(scene)
    try:
        assert again is not first
    finally:
        again.close()


def test_close_button_closes_and_shuts_the_controller_down(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    with qtbot.waitSignal(dialog.closed):
        ui.click(dialog.close_button)
    assert dialog.is_closed
    assert dialog.controller.closed


def test_a_closed_dialog_is_deleted_by_qt_on_the_ui_thread(make_dialog, scene, qtbot):
    """A script that builds the dialog itself and drops it after closing: left to Python, its
    widgets sit in reference cycles that the garbage collector frees on whichever thread
    allocates, a worker's too, and PySide6 crashed. Closing hands the deletion to Qt instead."""
    from ciokatana.ui.compat import is_deleted

    dialog = make_dialog(scene)
    probe = dialog.tab("progress")
    dialog.close()
    qtbot.waitUntil(lambda: is_deleted(dialog) and is_deleted(probe), timeout=5000)


def test_long_tooltips_wrap_and_the_empty_title_hint_is_not_a_value(make_dialog, scene, mock_feature):
    dialog = make_dialog(scene)
    configure = dialog.tab("configure")
    tips = [w.toolTip() for w in dialog.findChildren(QtWidgets.QWidget) if w.toolTip()]
    long_plain = [t for t in tips if len(t) > 80 and not t.startswith("<qt>")]
    assert not long_plain, "tooltips shown on one long line: {}".format(long_plain[:3])
    assert sum(1 for t in tips if t.startswith("<qt>")) >= 10
    model = configure.section("Frames and tasks").model
    assert model.headerData(nodes.OVERRIDE, QtCore.Qt.Horizontal, QtCore.Qt.ToolTipRole).startswith("<qt>")
    title = configure.section("General").title_edit
    assert title.placeholderText().startswith("Required")
