"""The parts of the Katana adapter that need Qt: editor, real dialog, binding, background scan.

Layer: tests/katana/ui (pytest-qt, any binding). The plugin is loaded the
way Katana loads it; ``GetEditor`` is called as Katana does when a
Parameters tab shows the node.
"""

import os

import pytest

from ciokatana.core.settings import Settings
from ciokatana.katana import constants as C
from ciokatana.katana import qtbinding, settings_node, shelf
from ciokatana.katana.scene import KatanaScene

import katana_scenes as ks


def test_get_editor_gives_a_working_editor(plugin, ksc, qtbot, opened):
    from Katana import NodegraphAPI, Utils

    from ciokatana.qt import QtWidgets

    ks.render_node("beauty")
    ks.render_node("shadow")
    node = NodegraphAPI.CreateNode(C.NODE_TYPE)
    settings_node.write_settings(node, Settings(project="Episode 104", instance_type="n2-standard-8").to_dict())
    editor_class = ksc.get_editor_class(C.NODE_TYPE)
    assert ksc.editor_requests(C.NODE_TYPE) == 1
    editor = editor_class(None, node)
    qtbot.addWidget(editor)
    assert isinstance(editor, QtWidgets.QWidget)
    editor.show()
    rows = dict(editor.rows())
    assert rows["Project"] == "Episode 104"
    assert rows["Render nodes"] == "2 in this scene"
    assert "Episode 104" in editor.summary_label.text()
    assert editor.parameters_widget is not None  # Katana's own parameter widgets are embedded

    # State lives on the node: a change there shows up once Katana's events run.
    node.getParameter("general.project").setValue("Episode 105", 0)
    Utils.EventModule.ProcessAllEvents()
    assert "Episode 105" in editor.summary_label.text()

    # The Open button opens the dialog for every Render node, with this node's settings.
    qtbot.mouseClick(editor.open_button, ks_left_button())
    [scene] = opened
    assert [n.getName() for n in scene.scope()] == ["beauty", "shadow"]
    assert scene.settings_node() is node

    # A new editor on the same node shows the same thing (nothing kept on the editor).
    again = editor_class(None, node)
    qtbot.addWidget(again)
    assert again.rows() == editor.rows()

    node.delete()
    Utils.EventModule.ProcessAllEvents()
    assert "was deleted" in editor.note_label.text()
    assert not editor.open_button.isEnabled()


def ks_left_button():
    from ciokatana.qt import QtCore

    return QtCore.Qt.LeftButton


def test_the_util_menu_opens_the_real_dialog(plugin, ksc, qtbot, tmp_path):
    from ciokatana.qt import QtWidgets
    from ciokatana.ui.dialog import ConductorDialog

    window = QtWidgets.QMainWindow()
    qtbot.addWidget(window)
    ksc.set_main_window(window)
    ks.render_node("beauty", location=str(tmp_path / "renders/beauty.####.exr"))
    ks.render_node("shadow", location=str(tmp_path / "renders/shadow.####.exr"))
    ks.save(tmp_path / "shot010.katana")
    dialog = ksc.invoke_menu(C.MENU_CONDUCTOR, scope="all", menu="util")
    try:
        assert isinstance(dialog, ConductorDialog)
        assert dialog.parent() is window
        assert isinstance(dialog.scene, KatanaScene)
        assert [n.name for n in dialog.controller.snapshot.nodes] == ["beauty", "shadow"]
        assert dialog.windowTitle().endswith("shot010")
        qtbot.waitUntil(lambda: dialog.controller.plan_result is not None, timeout=10000)
        assert [j.name for j in dialog.controller.plan_result.jobs] == ["beauty", "shadow"]
    finally:
        dialog.close()
        qtbot.waitUntil(lambda: dialog.is_closed, timeout=10000)
    # Closing stored the settings on the ConductorRender node of the scene.
    assert len(settings_node.settings_nodes()) == 1


def test_binding_choice_follows_the_katana_version(ksc, monkeypatch):
    from ciokatana import qt

    assert qt.katana_binding("7.5v3") == "pyqt5"
    assert qt.katana_binding("4.0v1") == "pyqt5"
    assert qt.katana_binding("8.0v2") == "pyside6"
    assert qt.katana_binding("10.0v1") == "pyside6"
    if qt.API not in ("pyqt5", "pyside6"):
        pytest.skip("no Katana ships {}".format(qt.API_NAME))
    monkeypatch.delenv("CIOKATANA_QT_API", raising=False)
    version = "8.0v2" if qt.API == "pyside6" else "7.5v3"
    ksc.set_version(version)
    assert qtbinding.pin_katana_binding() == qt.API
    assert os.environ["CIOKATANA_QT_API"] == qt.API
    # The other Katana generation needs the other binding, which this process cannot load.
    other = "7.5v3" if qt.API == "pyside6" else "8.0v2"
    monkeypatch.delenv("CIOKATANA_QT_API", raising=False)
    with pytest.raises(qtbinding.BindingError) as caught:
        qtbinding.pin_katana_binding(version=other)
    assert ("PyQt5" if qt.API == "pyside6" else "PySide6") in str(caught.value)


def test_no_binding_is_pinned_without_katana_ui(ksc, monkeypatch):
    monkeypatch.delenv("CIOKATANA_QT_API", raising=False)
    ksc.set_launch_mode("batch")
    assert qtbinding.pin_katana_binding() is None
    assert "CIOKATANA_QT_API" not in os.environ


def test_scan_assets_resolves_in_the_background_and_reports_on_the_ui_thread(plugin, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(shelf, "PROGRESS_EVERY_S", 0.0)
    names = ["caches/hero.{:04d}.abc".format(i) for i in range(1, 40)]
    ks.touch(tmp_path, *names, size=100)
    ks.alembic(str(tmp_path / "caches/hero.####.abc"))
    ks.save(tmp_path / "shot.katana")
    lines = []
    scan = shelf.scan_assets(printer=lines.append)  # background by default with a UI
    assert lines[-1].startswith("Resolving 2 path(s)")
    qtbot.waitUntil(lambda: "To upload: 40 file(s)" in "\n".join(lines), timeout=10000)
    assert scan.finished and scan.error is None

