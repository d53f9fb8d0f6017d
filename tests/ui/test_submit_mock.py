"""Submitting a mock replay (CIO_FEATURE_MOCK=1): progress, responses, cancel, raise an error."""

import os

import pytest

from ciokatana.core import events as ev

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# A per-job recording (ciocore's stock path): each job has uploads to watch, cancel and fail.
SHIPPED_MOCK = os.path.join(ROOT, "tests", "data", "mock_stock_path_0.2.json")
TITLES = ["Katana shot010_lighting_v003 {}".format(n) for n in ("beauty", "char_hero", "fx_smoke", "env_bg")]


@pytest.fixture
def mock_file():
    """The shipped mock, recorded from a real 4-job sandbox run (scripts/record_mock.py --uploader stock)."""
    assert os.path.isfile(SHIPPED_MOCK), "the shipped mock {} is missing; record it with scripts/record_mock.py --uploader stock --out FILE".format(
        SHIPPED_MOCK)
    return SHIPPED_MOCK


@pytest.fixture(autouse=True)
def dashboard(monkeypatch):
    monkeypatch.setenv("CONDUCTOR_URL", "https://dashboard.example.test")


def _start_replay(dialog, ui, qtbot, path, interval):
    ui.use_mock(dialog, path, interval)
    ui.submit(dialog)
    ui.answer(dialog, "submit")  # the example has warnings (Windows paths): submit anyway
    qtbot.waitUntil(lambda: dialog.current_tab().KEY == "progress")
    assert dialog.controller.is_running
    assert not dialog.submit_button.isEnabled()


def _cards(dialog):
    return dialog.tab("response").card_list()


def test_mock_replay_fills_progress_and_responses(make_dialog, scene, mock_feature, mock_file, ui, qtbot, opened):
    dialog = make_dialog(scene)
    _start_replay(dialog, ui, qtbot, mock_file, 0.05)
    progress = dialog.tab("progress")
    assert progress.cancel_button.isEnabled()
    assert progress.raise_button.isVisible()
    ui.wait_run_done(dialog)

    assert dialog.current_tab().KEY == "response"
    assert dialog.controller.last_runner.state == "succeeded"
    for bar in (progress.jobs_bar, progress.md5_bar, progress.upload_bar):
        assert bar.value() == bar.maximum()
    assert progress.jobs_bar.text().startswith("4 of 4")
    assert not progress.raise_button.isVisible()
    assert not progress.cancel_button.isEnabled()
    assert dialog.submit_button.isEnabled()

    # A replay is marked as one everywhere, and never linked to the real dashboard.
    cards = _cards(dialog)
    assert [c.level for c in cards] == ["mock"] * 4
    assert [c.title for c in cards] == ["{}  (mock)".format(t) for t in TITLES]
    assert [c.jobid for c in cards] == ["00001", "00002", "00003", "00004"]
    assert [c.url for c in cards] == [None] * 4
    assert not any(hasattr(c, "link_button") for c in cards)
    assert all("not a real job" in c.message for c in cards)
    summary = dialog.tab("response").summary_label.text()
    assert "Mock replay" in summary and "4 of 4 jobs replayed" in summary and "Nothing was submitted" in summary
    assert "submitted" not in summary.replace("Nothing was submitted", "")
    assert opened == []


def test_a_shared_upload_recording_shows_one_upload_then_the_jobs(make_dialog, scene, mock_feature, ui, qtbot):
    shared = os.path.join(ROOT, "scripts", "mock_submission.json")  # recorded on the shared path
    dialog = make_dialog(scene)
    _start_replay(dialog, ui, qtbot, shared, 0.05)
    progress = dialog.tab("progress")
    qtbot.waitUntil(lambda: progress.job_label.text().startswith("Creating job"), timeout=20000)
    ui.wait_run_done(dialog)
    assert [c.level for c in _cards(dialog)] == ["mock"] * 4  # a replay: its cards are marked as mock, never as real jobs
    assert progress.file_model.rowCount() == 49  # the shared upload's files stay listed
    assert progress.upload_bar.value() == progress.upload_bar.maximum()


def test_a_replay_cancelled_while_creating_never_points_at_the_dashboard(make_dialog, scene, mock_feature, ui,
                                                                          qtbot):
    shared = os.path.join(ROOT, "scripts", "mock_submission.json")  # recorded on the shared path
    dialog = make_dialog(scene)
    _start_replay(dialog, ui, qtbot, shared, 0.3)
    progress = dialog.tab("progress")
    qtbot.waitUntil(lambda: progress.job_label.text().startswith("Creating job 1"), timeout=20000)
    ui.click(progress.cancel_button)
    ui.wait_run_done(dialog)

    card = _cards(dialog)[0]
    assert card.level == "warning" and card.title == TITLES[0] + "  (mock)"
    assert "Nothing was sent to Conductor" in card.message
    assert "check the dashboard" not in card.message
    assert not hasattr(card, "link_button") and card.url is None
    assert dialog.status_level == "mock" and "nothing was submitted" in dialog.status_label.text()


def test_cancel_mid_replay_leaves_a_warning_and_no_later_jobs(make_dialog, scene, mock_feature, mock_file, ui, qtbot):
    dialog = make_dialog(scene)
    _start_replay(dialog, ui, qtbot, mock_file, 0.25)
    progress = dialog.tab("progress")
    qtbot.waitUntil(lambda: progress.job_label.text().startswith("Job 2 of 4"), timeout=20000)
    ui.click(progress.cancel_button)
    assert progress.cancel_button.text().startswith("Cancelling")
    ui.wait_run_done(dialog)

    cards = _cards(dialog)
    assert [c.level for c in cards] == ["mock", "warning", "notice", "notice"]
    assert cards[1].title == TITLES[1] + "  (mock)"  # every card of a replay is marked
    assert "cancel" in cards[1].message.lower()
    # the jobs that never started are listed as such
    assert all(c.message.startswith("Not started") for c in cards[2:])
    assert dialog.controller.last_runner.state == "cancelled"
    # a cancelled job is not "done", and a cancelled replay is not "finished"
    assert dialog.tab("progress").jobs_bar.text() == "1 of 4 done (1 cancelled, 2 not started)"
    assert dialog.status_label.text() == ("Mock replay cancelled: 1 of 4 jobs replayed, 1 cancelled, 2 not started; "
                                          "nothing was submitted to Conductor")


def test_raise_an_error_fails_one_job_and_later_jobs_succeed(make_dialog, scene, mock_feature, mock_file, ui, qtbot):
    dialog = make_dialog(scene)
    _start_replay(dialog, ui, qtbot, mock_file, 0.25)
    progress = dialog.tab("progress")
    qtbot.waitUntil(lambda: progress.job_label.text().startswith("Job 1 of 4"), timeout=20000)
    ui.click(progress.raise_button)
    ui.wait_run_done(dialog, timeout=40000)

    cards = _cards(dialog)
    assert [c.level for c in cards] == ["error", "mock", "mock", "mock"]
    error = cards[0]
    assert error.title == TITLES[0] + "  (mock)"
    assert "simulated by the mock player" in error.message
    assert not error.details_view.isVisible()
    ui.click(error.details_button)
    assert error.details_view.isVisible()
    assert "Traceback" in error.details
    assert error.details_button.text() == "Hide details"
    assert dialog.controller.last_runner.state == "failed"


def test_a_bad_mock_file_is_a_clear_error(make_dialog, scene, mock_feature, tmp_path, ui, qtbot):
    bad = tmp_path / "not_a_mock.json"
    bad.write_text('{"hello": 1}')
    dialog = make_dialog(scene)
    ui.use_mock(dialog, str(bad), 0.05)
    ui.submit(dialog)
    prompt = ui.answer(dialog, "ok")
    assert "not_a_mock.json" in prompt.informativeText()
    assert not dialog.controller.is_running
    assert "Not submitted" in dialog.status_label.text()
    assert dialog.submit_button.isEnabled()


def test_mock_controls_exist_only_with_the_feature_flag(make_dialog, scene, monkeypatch, mock_feature, shot_path):
    from ciokatana.core.filescene import FileScene

    with_flag = make_dialog(scene).tab("configure").section("Advanced")
    assert with_flag.mock_box is not None
    assert with_flag.mock_interval_spin.minimum() == pytest.approx(0.05)
    monkeypatch.delenv("CIO_FEATURE_MOCK")
    without = make_dialog(FileScene(shot_path)).tab("configure").section("Advanced")
    assert without.mock_box is None


def test_closing_during_a_replay_asks_then_cancels(make_dialog, scene, mock_feature, mock_file, ui, qtbot):
    dialog = make_dialog(scene)
    _start_replay(dialog, ui, qtbot, mock_file, 0.25)
    dialog.close()
    assert not dialog.is_closed
    question = dialog.prompt.informativeText()
    assert "sends nothing to Conductor" in question and "stay on Conductor" not in question  # nothing was sent
    ui.answer(dialog, "keep")
    assert dialog.controller.is_running and not dialog.is_closed
    dialog.close()
    with qtbot.waitSignal(dialog.closed, timeout=20000):
        ui.answer(dialog, "cancel_run")
    assert dialog.is_closed
    assert dialog.controller.last_runner.state == "cancelled"
    assert dialog.controller.closed


def test_a_run_that_ignores_cancel_still_lets_the_dialog_close(make_dialog, scene, ui, qtbot):
    import threading

    from ciokatana.core.runner import Source

    release = threading.Event()

    class Stuck(Source):
        def run(self, emit, control):
            emit(ev.start(1))
            emit(ev.job_start(0, "stuck"))
            release.wait(20)  # like a request with no timeout: deaf to cancel

    dialog = make_dialog(scene)
    dialog.close_fallback_ms = 300
    dialog.controller.start_source(Stuck())
    dialog.close()
    try:
        with qtbot.waitSignal(dialog.closed, timeout=5000):
            ui.answer(dialog, "cancel_run")
        assert dialog.is_closed and not dialog.isVisible()
    finally:
        release.set()


def test_a_mock_replay_is_marked_on_the_button_footer_progress_and_response(
        make_dialog, scene, mock_feature, mock_file, ui, qtbot):
    dialog = make_dialog(scene)
    assert dialog.submit_button.text() == "Submit"
    ui.use_mock(dialog, mock_file, 0.05)
    assert dialog.submit_button.text() == "Replay Mock"
    assert "nothing is sent" in dialog.submit_button.toolTip()
    qtbot.waitUntil(lambda: dialog.status_level == "mock")
    assert "Mock mode" in dialog.status_label.text() and "nothing is sent" in dialog.status_label.text()
    progress = dialog.tab("progress")
    assert not progress.mock_banner.isVisibleTo(progress)

    ui.submit(dialog)
    ui.answer(dialog, "submit")
    qtbot.waitUntil(lambda: dialog.current_tab().KEY == "progress")
    assert dialog.submit_button.text() == "Replaying\u2026"
    assert "Mock replay running" in dialog.status_label.text()
    assert progress.mock_banner.isVisible()
    assert "nothing is sent to Conductor" in progress.mock_banner.text()
    assert os.path.basename(mock_file) in progress.mock_banner.text()
    ui.wait_run_done(dialog)
    assert dialog.status_label.text().startswith("Mock replay finished")
    assert "nothing was submitted" in dialog.status_label.text()
    heading = dialog.tab("response").groups()[0].heading_label.text()
    assert "Mock replay of {}".format(os.path.basename(mock_file)) in heading
    rows = [progress.jobs_table.topLevelItem(i).text(1) for i in range(4)]
    assert rows == ["replayed (mock)"] * 4

    # Mock off again: a real run's banner is hidden and its button says Submit.
    ui.choose(ui.section(dialog, "Advanced").mock_mode_combo, "off")
    assert dialog.submit_button.text() == "Submit"
