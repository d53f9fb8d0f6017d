"""A newer plan supersedes an older one; anything not re-checked reads "updating", never "ready"."""

import threading

from ciokatana.ui import controller as controller_mod
from ciokatana.ui.models import nodes


def test_a_slow_stale_plan_is_superseded_and_marked_updating(make_dialog, scene, ui, qtbot, monkeypatch):
    gate = threading.Event()
    slow_started = threading.Event()
    real_prepare = controller_mod._prepare

    def prepare(generation, snapshot, settings, data, check_mock=None):
        if settings.frame_spec == "1001-100000":  # a mistyped range that takes long to plan
            slow_started.set()
            gate.wait(20)
            settings.frame_spec = "1001-1500"  # (planned quickly here: a result that would show 500 tasks)
        return real_prepare(generation, snapshot, settings, data, check_mock=check_mock)

    monkeypatch.setattr(controller_mod, "_prepare", prepare)
    dialog = make_dialog(scene)
    controller = dialog.controller
    frames = ui.section(dialog, "Frames and tasks")
    model = frames.model
    validation = dialog.tab("validation")
    assert model.index(0, nodes.TASKS).data() == "100"
    assert "Ready to submit" in validation.summary_label.text()
    try:
        ui.type_into(frames.frames_edit, "1001-100000")
        qtbot.waitUntil(slow_started.is_set, timeout=5000)
        # Nothing claims to be ready while the change is being checked.
        assert controller.plan_is_stale
        assert model.index(0, nodes.TASKS).data() == nodes.UPDATING
        assert validation.summary_label.text().startswith("Updating")
        assert not validation.cards.isEnabled()
        assert dialog.status_label.text().startswith("Checking")
        dialog.show_tab("preview")
        assert dialog.tab("preview").status_label.text().startswith("Updating")
        dialog.show_tab("configure")

        # The correction does not wait behind the stale plan.
        ui.type_into(frames.frames_edit, "1001-1020")
        qtbot.waitUntil(lambda: model.index(0, nodes.TASKS).data() == "20", timeout=10000)
        assert not controller.plan_is_stale
        assert controller.plan_result.jobs[0].frame_spec == "1001-1020"
        assert "Ready to submit" in validation.summary_label.text()
        assert dialog.status_label.text().startswith("Ready to submit")
    finally:
        gate.set()
    # The stale plan finishes late: it is dropped, not shown.
    qtbot.waitUntil(lambda: not controller.worker_threads(), timeout=20000)
    qtbot.wait(50)
    assert controller.plan_result.jobs[0].frame_spec == "1001-1020"
    assert model.index(0, nodes.TASKS).data() == "20"
    assert not controller.plan_is_stale


def test_the_footer_follows_the_plan_after_a_refused_submit(make_dialog, scene, ui, qtbot):
    dialog = make_dialog(scene)
    frames = ui.section(dialog, "Frames and tasks")
    ui.type_into(frames.frames_edit, "abc")
    ui.submit(dialog)
    qtbot.waitUntil(lambda: dialog.current_tab().KEY == "validation")
    assert dialog.status_label.text().startswith("Not submitted: 2 errors to fix")
    ui.type_into(frames.frames_edit, "1001-1010")  # fixed
    qtbot.waitUntil(lambda: dialog.status_label.text().startswith("Ready to submit"), timeout=10000)
    assert "error" not in dialog.status_label.text()
