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
