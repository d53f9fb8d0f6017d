"""Validation cards: one card per problem, plain words, and a way to the field at fault."""

from ciokatana.qt import QtWidgets
from ciokatana.ui.models import nodes


def _cards(dialog, rule=None):
    cards = dialog.tab("validation").cards.cards()
    return [c for c in cards if rule is None or rule in c.toolTip()]


def test_one_problem_for_several_nodes_is_one_card(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    ui.type_into(ui.section(dialog, "Frames and tasks").chunk_edit, "0")
    qtbot.waitUntil(lambda: bool(_cards(dialog, "bad_chunk_size")), timeout=10000)
    cards = _cards(dialog, "bad_chunk_size")
    assert [c.title for c in cards] == ["Render nodes 'beauty', 'env_bg' (submitter default)"]
    frames = ui.section(dialog, "Frames and tasks")
    assert frames.defaults_problem_label.text().startswith("Chunk size: 0 ")  # said once, not "chunk size chunk size"
    assert "chunk size chunk size" not in frames.defaults_problem_label.text().lower()


def test_go_to_setting_opens_the_field_at_fault(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    general = ui.section(dialog, "General")
    ui.type_into(general.title_edit, "")
    qtbot.waitUntil(lambda: bool(_cards(dialog, "empty_title")), timeout=10000)
    card = _cards(dialog, "empty_title")[0]
    assert "every job would reach the dashboard with no title" in card.message
    general.set_expanded(False)
    dialog.show_tab("validation")
    dialog.activateWindow()  # (hiding the focused field made the offscreen window inactive)
    qtbot.waitUntil(dialog.isActiveWindow)
    ui.click(card.go_button)
    assert dialog.current_tab().KEY == "configure"
    assert general.is_expanded()
    qtbot.waitUntil(general.title_edit.hasFocus)


def test_go_to_setting_selects_the_node_of_an_override(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    frames = ui.section(dialog, "Frames and tasks")
    model = frames.model
    row = model.node_names().index("fx_smoke")
    model.setData(model.index(row, nodes.FRAMES), "1100-1001")
    qtbot.waitUntil(lambda: bool(_cards(dialog, "descending_range")), timeout=10000)
    card = _cards(dialog, "descending_range")[0]
    assert card.title == "Render node 'fx_smoke' (node override)"
    assert "counts down, and is read as 1001-1100" in card.message
    dialog.show_tab("validation")
    ui.click(card.go_button)
    assert dialog.current_tab().KEY == "configure"
    assert frames.table.currentIndex().row() == row


def test_an_environment_name_with_a_space_is_refused(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    env = ui.section(dialog, "Environment").editor
    ui.click(env.add_button)
    ui.type_into(env.rows()[-1].key_edit, "MY VAR")
    ui.type_into(env.rows()[-1].value_edit, "1")
    qtbot.waitUntil(lambda: bool(_cards(dialog, "environment_name")), timeout=10000)
    card = _cards(dialog, "environment_name")[0]
    assert card.level == "error" and "has a space in it" in card.message and "MY_VAR" in card.message
    assert isinstance(card.go_button, QtWidgets.QPushButton)
