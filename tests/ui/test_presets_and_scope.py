"""Presets per user and per show, choosing the Render nodes to submit, and editing during a run."""

import json
import threading

from ciokatana.core import events as ev
from ciokatana.core.runner import Source
from ciokatana.qt import QtCore
from ciokatana.ui.models import nodes


def test_save_load_and_delete_presets_for_the_user_and_the_show(
        make_dialog, scene, ui, qtbot, private_presets, tmp_path, monkeypatch):
    show = tmp_path / "show_presets"
    monkeypatch.setenv("CIOKATANA_SHOW_PRESETS", str(show))
    pipeline = tmp_path / "pipeline_presets"
    pipeline.mkdir()
    (pipeline / "farm_cpu.json").write_text(json.dumps({"name": "Farm CPU", "settings": {"instance_type": "n2-highcpu-32",
                                                                                         "chunk_size": 4}}))
    monkeypatch.setenv("CIOKATANA_PRESET_PATH", str(pipeline))
    dialog = make_dialog(scene, mock_feature=True)
    bar = dialog.tab("configure").preset_bar
    bar.refresh()
    assert [bar.combo.itemText(i) for i in range(1, bar.combo.count())] == ["Farm CPU (pipeline)"]
    assert dialog.controller.preset_scopes() == ["user", "show"]

    general = ui.section(dialog, "General")
    ui.type_into(general.title_edit, "{node} lighting")
    dialog.controller.update_settings(mock_mode="use", mock_file="/tmp/m.json")
    bar.ask_name = lambda parent, scopes: ("Lighting 4K", "show")
    ui.click(bar.save_button)
    saved = json.loads((show / "Lighting_4K.json").read_text())
    assert saved["name"] == "Lighting 4K" and saved["settings"]["title_template"] == "{node} lighting"
    assert "mock_mode" not in saved["settings"]  # mock settings are never part of a preset
    assert bar.chosen().label == "Lighting 4K (show)"
    assert not (private_presets / "Lighting_4K.json").exists()

    ui.type_into(general.title_edit, "something else")
    ui.click(bar.load_button)
    assert general.title_edit.text() == "{node} lighting"
    assert dialog.controller.settings.mock_mode == "use"  # untouched by the preset

    # a pipeline preset changes only what it holds, and cannot be deleted here
    bar.combo.setCurrentIndex([bar.combo.itemText(i) for i in range(bar.combo.count())].index("Farm CPU (pipeline)"))
    assert not bar.delete_button.isEnabled()
    ui.click(bar.load_button)
    settings = dialog.controller.settings
    assert (settings.instance_type, settings.chunk_size, settings.title_template) == ("n2-highcpu-32", 4, "{node} lighting")

    # deleting asks, and the question defaults to keeping it
    bar.combo.setCurrentIndex([bar.combo.itemText(i) for i in range(bar.combo.count())].index("Lighting 4K (show)"))
    ui.click(bar.delete_button)
    prompt = bar.prompt
    assert prompt.defaultButton() is prompt.button("keep")
    ui.click(prompt.button("keep"))
    assert (show / "Lighting_4K.json").exists()
    ui.click(bar.delete_button)
    ui.click(bar.prompt.button("delete"))
    assert not (show / "Lighting_4K.json").exists()


def test_unticked_render_nodes_are_left_out(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    table = ui.section(dialog, "Frames and tasks").table
    model = table.model()
    row = model.node_names().index("fx_smoke")
    index = model.index(row, nodes.SUBMIT)
    table.setFocus()
    table.setCurrentIndex(index)
    qtbot.keyClick(table, QtCore.Qt.Key_Space)
    assert dialog.controller.excluded_nodes == {"fx_smoke"}
    assert model.index(row, nodes.TASKS).data() in ("not submitted",)
    qtbot.waitUntil(lambda: [j.name for j in dialog.controller.plan_result.jobs] == ["beauty", "char_hero", "env_bg"],
                    timeout=10000)
    assert "3 jobs" in dialog.status_label.text()
    dialog.show_tab("preview")
    preview = dialog.tab("preview")
    assert [preview.job_combo.itemText(i) for i in range(preview.job_combo.count())] == ["beauty", "char_hero", "env_bg"]


def test_settings_stay_editable_during_a_run_with_a_hint(make_dialog, scene, ui, qtbot):
    release = threading.Event()

    class Waiting(Source):
        def run(self, emit, control):
            emit(ev.start(1))
            emit(ev.job_start(0, "waiting"))
            release.wait(10)
            emit(ev.response({"jobid": "1"}, 201, "waiting"))

    dialog = make_dialog(scene)
    configure = dialog.tab("configure")
    assert not configure.running_banner.isVisibleTo(configure)
    dialog.controller.start_source(Waiting())
    try:
        assert configure.running_banner.isVisibleTo(configure)
        assert "apply to the next submission" in configure.running_banner.text()
        ui.type_into(ui.section(dialog, "General").title_edit, "{node} next")
        assert dialog.controller.settings.title_template == "{node} next"
    finally:
        release.set()
    qtbot.waitUntil(lambda: not dialog.controller.is_running, timeout=10000)
    assert not configure.running_banner.isVisibleTo(configure)
