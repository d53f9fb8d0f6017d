"""Presets never block the dialog and never replace someone's preset without asking."""

import json
import os
import threading
import time

import pytest

from ciokatana.core import presets as presets_mod
from ciokatana.qt import QtCore, QtWidgets
from ciokatana.ui.widgets.presets import PresetNameDialog


def _items(bar):
    return [bar.combo.itemText(i) for i in range(bar.combo.count())]


def _settled(bar, qtbot):
    qtbot.waitUntil(lambda: not bar.reading and not bar.busy, timeout=5000)


@pytest.fixture
def show_folder(tmp_path, monkeypatch):
    folder = tmp_path / "show_presets"
    folder.mkdir()
    monkeypatch.setenv("CIOKATANA_SHOW_PRESETS", str(folder))
    return folder


def test_a_fifo_in_the_show_folder_neither_blocks_showing_nor_is_listed(make_dialog, scene, show_folder, qtbot):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(str(show_folder / "shared.json"))  # a read would wait for a writer forever
    (show_folder / "lighting.json").write_text(json.dumps({"name": "Lighting", "settings": {"chunk_size": 2}}))
    started = time.monotonic()
    dialog = make_dialog(scene, wait_plan=False)
    assert time.monotonic() - started < 2.0
    bar = dialog.tab("configure").preset_bar
    _settled(bar, qtbot)
    assert _items(bar)[1:] == ["Lighting (show)"]


def test_a_hung_preset_folder_leaves_the_dialog_usable_and_says_so(make_dialog, scene, show_folder, qtbot,
                                                                    monkeypatch):
    release = threading.Event()
    real = presets_mod.PresetStore._list_folder

    def hung(scope, folder):
        if scope == "show":
            release.wait(10)  # a network folder that does not answer
        return real(scope, folder)

    monkeypatch.setattr(presets_mod.PresetStore, "_list_folder", staticmethod(hung))
    monkeypatch.setattr("ciokatana.ui.widgets.presets.SLOW_FOLDER_MS", 100)
    started = time.monotonic()
    dialog = make_dialog(scene)
    assert time.monotonic() - started < 5.0
    bar = dialog.tab("configure").preset_bar
    assert bar.reading and _items(bar) == ["Reading presets\u2026"]
    qtbot.waitUntil(lambda: "slow to answer" in bar.note_label.text(), timeout=3000)
    general = dialog.tab("configure").section("General")
    general.title_edit.setText("still {node}")  # the dialog answers meanwhile
    assert dialog.controller.settings.title_template == "still {node}"
    release.set()
    _settled(bar, qtbot)
    assert bar.note_label.text() == ""


def test_saving_over_a_show_preset_asks_and_defaults_to_keeping_it(make_dialog, scene, show_folder, ui, qtbot):
    theirs = show_folder / "Lighting_4K.json"
    theirs.write_text(json.dumps({"name": "Lighting 4K", "saved_by": "kim", "saved_at": "2024-05-02T14:05:12",
                                  "settings": {"instance_type": "n2-highmem-32"}}))
    dialog = make_dialog(scene)
    bar = dialog.tab("configure").preset_bar
    _settled(bar, qtbot)
    bar.ask_name = lambda parent, scopes, answer: answer("Lighting 4K", "show")
    ui.click(bar.save_button)
    qtbot.waitUntil(lambda: bar.prompt is not None, timeout=5000)
    prompt = bar.prompt
    assert "already exists for everyone on the show" in prompt.text()
    assert "Saved by kim on 2024-05-02 at 14:05:12" in prompt.informativeText()
    assert prompt.defaultButton() is prompt.button("cancel")
    qtbot.keyClick(prompt, QtCore.Qt.Key_Return)  # Enter keeps theirs
    _settled(bar, qtbot)
    assert json.loads(theirs.read_text())["saved_by"] == "kim"
    assert "was kept" in bar.note_label.text()

    ui.click(bar.save_button)
    qtbot.waitUntil(lambda: bar.prompt is not None, timeout=5000)
    ui.click(bar.prompt.button("replace"))
    _settled(bar, qtbot)
    replaced = json.loads(theirs.read_text())
    assert replaced["settings"]["title_template"] == dialog.controller.settings.title_template
    assert bar.chosen().label == "Lighting 4K (show)"
    assert [n for n in os.listdir(str(show_folder))] == ["Lighting_4K.json"]


def test_a_read_only_preset_is_not_offered_for_replacing(make_dialog, scene, show_folder, ui, qtbot, monkeypatch):
    locked = show_folder / "Final.json"
    locked.write_text(json.dumps({"name": "Final", "settings": {"chunk_size": 2}}))
    os.chmod(str(locked), 0o444)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if str(path) == str(locked) else real_access(path, mode))
    dialog = make_dialog(scene)
    bar = dialog.tab("configure").preset_bar
    _settled(bar, qtbot)
    bar.ask_name = lambda parent, scopes, answer: answer("Final", "show")
    ui.click(bar.save_button)
    qtbot.waitUntil(lambda: bar.prompt is not None, timeout=5000)
    assert bar.prompt.keys() == ["ok"]
    assert "read-only" in bar.prompt.informativeText()
    ui.click(bar.prompt.button("ok"))
    assert json.loads(locked.read_text())["settings"] == {"chunk_size": 2}


def test_the_name_dialog_does_not_run_an_event_loop_of_its_own(make_dialog, scene, private_presets, qtbot):
    dialog = make_dialog(scene)
    bar = dialog.tab("configure").preset_bar
    _settled(bar, qtbot)
    bar.save_button.click()  # returns at once: the name dialog is open, nobody waits in a loop for it
    name_dialog = bar.findChild(PresetNameDialog)
    assert name_dialog is not None and name_dialog.isVisible()
    assert name_dialog.windowModality() == QtCore.Qt.WindowModal
    save = name_dialog.buttons.button(QtWidgets.QDialogButtonBox.Save)
    assert not save.isEnabled()  # no name yet
    qtbot.keyClicks(name_dialog.name_edit, "Night")
    qtbot.mouseClick(save, QtCore.Qt.LeftButton)
    _settled(bar, qtbot)
    assert (private_presets / "Night.json").exists()
    assert bar.chosen().label == "Night (user)"
