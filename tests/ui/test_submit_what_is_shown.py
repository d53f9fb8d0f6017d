"""What is submitted is exactly what the dialog shows when the artist confirms.

A check works from the settings and scene of the moment Submit was pressed;
an edit that arrives while it runs (or while its question is open) must not
be lost: the submission is checked again, and asked about again, before
anything is sent.
"""

import threading

import pytest

from ciokatana.core.scene import FarmSettings
from ciokatana.ui import controller as controller_mod


@pytest.fixture
def held_checks(monkeypatch):
    """A Submit's checks wait on their worker until released, like a slow check of a big scene.

    ``held_checks.started`` lists the frames each check began with;
    ``held_checks.release()`` lets the newest one finish.
    """
    gates = []
    started = []
    original = controller_mod._prepare

    def held(generation, snapshot, settings, data, **kwargs):
        if "check_mock" in kwargs:  # a Submit's check (background replans are not held)
            gate = threading.Event()
            gates.append(gate)
            started.append(settings.frame_spec)
            gate.wait(10)
        return original(generation, snapshot, settings, data, **kwargs)

    monkeypatch.setattr(controller_mod, "_prepare", held)
    held.started = started
    held.release = lambda: gates[-1].set()
    yield held
    for gate in gates:
        gate.set()


class Recorder(object):
    """A submit_factory that records the payloads sent (around the fake Conductor)."""

    def __init__(self, fake):
        self.fake = fake
        self.payloads = []

    def __call__(self, payload):
        self.payloads.append(payload)
        return self.fake(payload)


def _tasks(payload):
    return [task["frames"] for task in payload["tasks_data"]]


def _beauty(payloads):
    return next(p for p in payloads if p["job_title"].endswith("beauty"))


def test_an_edit_during_the_check_is_checked_again_and_submitted(
        make_dialog, scene, fake_conductor, held_checks, ui, qtbot):
    sent = Recorder(fake_conductor)
    dialog = make_dialog(scene, submit_factory=sent)
    frames = ui.section(dialog, "Frames and tasks").frames_edit
    ui.type_into(frames, "1001-1010")
    qtbot.waitUntil(lambda: not dialog.controller.plan_is_stale)
    ui.submit(dialog)
    qtbot.waitUntil(lambda: len(held_checks.started) == 1)
    assert dialog.status_label.text() == "Checking the submission\u2026"
    ui.type_into(frames, "1001-1002")  # typed while the check runs
    held_checks.release()
    qtbot.waitUntil(lambda: len(held_checks.started) == 2)  # checked again, with the new frames
    assert held_checks.started == ["1001-1010", "1001-1002"]
    assert "checking the submission again" in dialog.status_label.text()
    held_checks.release()
    prompt = ui.answer(dialog, "submit")  # the warnings of the new check
    assert prompt.text().startswith("Validation found")
    ui.wait_run_done(dialog)
    assert _tasks(_beauty(sent.payloads)) == ["1001", "1002"]
    assert frames.text() == "1001-1002"


def test_a_scene_change_while_the_question_is_open_asks_again(make_dialog, scene, fake_conductor, ui, qtbot):
    sent = Recorder(fake_conductor)
    dialog = make_dialog(scene, submit_factory=sent)
    ui.submit(dialog)
    qtbot.waitUntil(lambda: dialog.prompt is not None and "submit" in dialog.prompt.keys())
    # Meanwhile the node changes in the scene (in Katana: the artist edits its farm settings).
    scene.set_farm_settings("beauty", FarmSettings(overrides=True, frame_spec="1-3", scout_spec="", chunk_size=1))
    first = dialog.prompt
    ui.click(first.button("submit"))
    assert not sent.payloads  # nothing sent: what was confirmed is not what there is now
    assert "checking the submission again" in dialog.status_label.text()
    qtbot.waitUntil(lambda: dialog.prompt is not None and dialog.prompt is not first)
    ui.answer(dialog, "submit")
    ui.wait_run_done(dialog)
    assert _tasks(_beauty(sent.payloads)) == ["1", "2", "3"]


def test_changes_during_every_check_end_in_a_refusal_that_says_why(
        make_dialog, scene, fake_conductor, held_checks, ui, qtbot):
    sent = Recorder(fake_conductor)
    dialog = make_dialog(scene, submit_factory=sent)
    frames = ui.section(dialog, "Frames and tasks").frames_edit
    ui.submit(dialog)
    for attempt in range(4):  # the first check and three more, each overtaken by an edit
        qtbot.waitUntil(lambda n=attempt: len(held_checks.started) == n + 1)
        ui.type_into(frames, "1001-10{:02d}".format(attempt + 10))
        held_checks.release()
    qtbot.waitUntil(lambda: dialog.flow.state == "idle")
    assert "kept changing while they were being checked" in dialog.status_label.text()
    assert dialog.prompt is None
    assert not sent.payloads
