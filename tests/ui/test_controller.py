"""The controller on its own, with no dialog: settings, planning, node edits, runs."""

import json

import pytest

from ciokatana.core import events as ev
from ciokatana.core.runner import Source
from ciokatana.ui.controller import Controller, SubmitError


def _stored(path):
    with open(path) as handle:
        return json.load(handle)


@pytest.fixture
def controller(scene, qtbot):
    made = Controller(scene, save_delay_ms=50)
    yield made
    made.shutdown()


def test_plans_off_the_ui_thread_and_reports_findings(controller, qtbot):
    with qtbot.waitSignal(controller.plan_ready, timeout=10000) as blocker:
        controller.request_plan()
    result = blocker.args[0]
    assert [job.name for job in result.jobs] == ["beauty", "char_hero", "fx_smoke", "env_bg"]
    assert result.file_count > 40 and result.total_size > 1000000
    assert any(f.rule == "windows_paths" for f in result.warnings)
    assert controller.plan_result is result


def test_settings_are_stored_after_the_debounce_and_unknown_names_refused(controller, shot_path, qtbot):
    controller.update_settings(project="Previs", autoretry=0)
    assert controller.save_pending
    qtbot.waitUntil(lambda: _stored(shot_path)["settings"]["project"] == "Previs")
    assert _stored(shot_path)["settings"]["autoretry"] == 0
    with pytest.raises(KeyError):
        controller.update_settings(projekt="x")
    assert controller.update_settings(project="Previs") is False  # no change, no store


def test_node_edits_go_through_the_scene(controller, shot_path, qtbot):
    with qtbot.waitSignal(controller.scene_changed):
        assert controller.set_node_farm("env_bg", overrides=True, chunk_size=10)
    node = controller.snapshot.node("env_bg")
    assert node.farm_settings.overrides and node.farm_settings.chunk_size == 10
    stored = [n for n in _stored(shot_path)["render_nodes"] if n["name"] == "env_bg"][0]
    assert stored["farm_settings"]["conductorChunkSize"] == 10
    problems = []
    controller.problem.connect(problems.append)
    assert not controller.set_node_farm("no_such_node", overrides=True)
    assert "no_such_node" in problems[0]


class ListSource(Source):
    def __init__(self, events):
        self.events = events

    def run(self, emit, control):
        for event in self.events:
            emit(event)


def test_runs_any_source_and_reports_the_end(controller, qtbot):
    got = []
    controller.run_event.connect(got.append)
    events = [ev.start(1), ev.job_start(0, "j"), ev.response({"jobid": "7"}, 201, "j")]
    with qtbot.waitSignal(controller.run_finished, timeout=10000) as blocker:
        controller.start_source(ListSource(events))
        with pytest.raises(SubmitError):
            controller.start_source(ListSource(events))  # one run at a time
    record = blocker.args[0]
    assert record.state == "succeeded" and record.outcome() == "succeeded"
    assert [e.type for e in got] == ["start", "job_start", "response", "done"]
    assert [(j.title, j.state, j.jobid) for j in record.jobs] == [("j", "submitted", "7")]
    assert controller.runs == [record] and controller.last_run is record
    assert not controller.is_running
    assert controller.job_link("7").endswith("/job/7")


def test_the_run_is_over_when_done_arrives_with_its_recording_closed(controller, qtbot, tmp_path):
    """'done' reaches the dialog after the runner finished: no polling, the run ends in the same delivery."""
    from ciokatana.core.mock import MockRecorder, check_mock_file

    recorded = str(tmp_path / "run.json")
    seen = []

    def at_done(event):
        if event.type == ev.DONE:  # the tabs hear 'done' first, the run ends right after, in this call
            runner = controller.runner or controller.last_runner
            seen.append((runner.finished, check_mock_file(recorded)))

    controller.run_event.connect(at_done)
    ended = []

    def after_the_controller(event):  # connected after the controller's own slot: runs right after it
        if event.type == ev.DONE:
            ended.append(controller.is_running)

    controller.bridge.run_event.connect(after_the_controller)
    events = [ev.start(1), ev.job_start(0, "j"), ev.response({"jobid": "7"}, 201, "j")]
    runner = controller.start_source(ListSource(events), MockRecorder(recorded))
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert seen == [(True, 1)]  # finished, and the recording already closed and readable (1 job)
    assert ended == [False]  # over in the same delivery as 'done', with no timer to wait for
    assert controller.last_runner is runner and controller.runner is None


def test_mock_mode_is_off_without_the_feature_flag(scene, monkeypatch, qtbot):
    monkeypatch.delenv("CIO_FEATURE_MOCK", raising=False)
    controller = Controller(scene)
    controller.update_settings(mock_mode="use", mock_file="/nope.json")
    assert controller.effective_mock_mode() == "off"
    controller.shutdown()
    assert controller.closed
    with pytest.raises(SubmitError):
        controller.start_source(ListSource([]))


def test_opening_and_closing_without_changes_writes_nothing(scene, shot_path, qtbot):
    import os

    before = os.stat(shot_path).st_mtime_ns
    with open(shot_path) as handle:
        text = handle.read()
    controller = Controller(scene)
    controller.request_plan()
    qtbot.waitUntil(lambda: controller.plan_result is not None)
    controller.shutdown()
    with open(shot_path) as handle:
        assert handle.read() == text
    assert os.stat(shot_path).st_mtime_ns == before
