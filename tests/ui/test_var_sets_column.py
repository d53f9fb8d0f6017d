"""The node table's Variable sets column writes the node's GSV sets."""

from ciokatana.qt import QtCore
from ciokatana.ui.compat import has_flag
from ciokatana.ui.models.nodes import VARSETS, NodeTableModel


def test_typing_var_sets_writes_them_and_fans_out_the_jobs(make_dialog, scene, qtbot):
    dialog = make_dialog(scene)
    controller = dialog.controller
    model = dialog.findChildren(NodeTableModel)[0]
    row = [n.name for n in controller.snapshot.nodes].index("beauty")
    index = model.index(row, VARSETS)
    assert has_flag(model.flags(index), QtCore.Qt.ItemIsEditable)  # (& fails on PySide2 5.13 + Python 3.11)
    assert model.setData(index, "shot=010,variant=a; shot=010,variant=b", QtCore.Qt.EditRole)
    assert scene.render_nodes()[row].farm_settings.var_sets == ((("shot", "010"), ("variant", "a")),
                                                               (("shot", "010"), ("variant", "b")))
    qtbot.waitUntil(lambda: len([j for j in controller.plan_result.plan.jobs if j.name == "beauty"]) == 2, timeout=5000)
    assert model.data(index) == "shot=010,variant=a; shot=010,variant=b"


def test_a_bad_var_set_is_refused_with_a_reason(make_dialog, scene, qtbot):
    dialog = make_dialog(scene)
    model = dialog.findChildren(NodeTableModel)[0]
    problems = []
    dialog.controller.problem.connect(problems.append)
    assert not model.setData(model.index(0, VARSETS), "my-var=1", QtCore.Qt.EditRole)
    assert problems and "not a valid GSV name" in problems[-1]
