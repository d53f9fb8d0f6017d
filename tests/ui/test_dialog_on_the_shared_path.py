"""The dialog on the default (shared-upload) submission path, against the sandbox.

What Preview shows is what Conductor receives; and a job whose creation
request reached Conductor with no answer, as the artist sees it: the ``jobs/`` request
is held (a ``hang`` fault), the artist presses Cancel, the run times out,
or the dialog is closed. The job is never called "cancelled": its card is
amber, names its title, says "may have been created" and points to the
dashboard; the Progress tab and the footer say the same; and when
Conductor's answer does come within the grace, the job id replaces it.
"""

import inspect
import time

import pytest

from ciokatana.core import events as ev
from ciokatana.core.shared_upload import SharedUploadSource
from ciokatana.ui import runs as runs_mod
from ciokatana.ui import session
from ciokatana.ui.tabs.progress import STATE_TEXT

CREATE_GRACE = inspect.signature(SharedUploadSource).parameters["create_grace"].default
ANSWER_DELAY = 1.5  # Conductor's answer to a held creation request: within the grace
TITLES = ["Katana shot010_lighting_v003 {}".format(n) for n in ("beauty", "char_hero", "fx_smoke", "env_bg")]


@pytest.fixture
def connected(make_dialog, scene, ciocore_sandbox, ui, qtbot):
    """A dialog on shot010 connected to the sandbox (so links point at the sandbox's dashboard).

    Held requests are let go at the end, even when a test fails half way.
    """
    dialog = make_dialog(scene)
    ui.connect(dialog)
    yield dialog
    ciocore_sandbox.faults.clear()
    ciocore_sandbox.release()
    if dialog.controller.is_running:
        dialog.controller.cancel_run()
        qtbot.waitUntil(lambda: not dialog.controller.is_running, timeout=15000)


def _submit(dialog, ui, qtbot):
    before = len(dialog.controller.runs)
    ui.submit(dialog)
    ui.wait_asked_or_started(dialog, before)
    while dialog.prompt is not None:
        ui.answer(dialog, "submit")
        ui.wait_asked_or_started(dialog, before)


def _wait_creating(dialog, sandbox, qtbot):
    """Wait until the first job's creation request is with Conductor, held by a fault, unanswered."""
    progress = dialog.tab("progress")
    qtbot.waitUntil(lambda: progress.job_label.text().startswith("Creating job 1 of 4"), timeout=30000)
    qtbot.waitUntil(lambda: sandbox.faults.held_count > 0, timeout=10000)
    return progress


def _events(dialog):
    seen = []
    dialog.controller.run_event.connect(seen.append)
    return seen


def _watch_first_job(dialog):
    """``[(event, what the jobs table says of job 1 once the dialog has shown that event)]``."""
    progress = dialog.tab("progress")
    shown = []
    dialog.controller.run_event.connect(lambda event: shown.append((event, progress.job_state_text(0))))
    return shown


def _assert_may_exist_everywhere(dialog, sandbox, title):
    """The first job reads 'may have been created' on every surface, never 'cancelled'."""
    record = dialog.controller.last_run
    assert record.jobs[0].state == runs_mod.MAY_EXIST
    response = dialog.tab("response")
    card = response.card_list()[0]
    assert card.level == "warning"
    assert card.title == title
    assert "May have been created" in card.message and "check the dashboard" in card.message
    assert "ancel" not in card.message.split("(")[0]  # the lead words never say cancelled
    assert card.link_button.url == sandbox.url  # the dashboard itself
    assert "/job/" not in card.link_button.url  # the dashboard, not a job that may not exist
    assert card.jobid is None
    progress = dialog.tab("progress")
    assert progress.job_state_text(0) == "may have been created"
    assert "may have been created" in dialog.status_label.text()
    assert "may have been created" in response.groups()[0].summary_label.text()
    assert dialog.status_level == "warning"


def test_cancel_while_conductor_creates_a_job(connected, ciocore_sandbox, ui, qtbot):
    dialog, sandbox = connected, ciocore_sandbox
    sandbox.faults.add("jobs", hang=True, times=None)
    seen = _events(dialog)
    _submit(dialog, ui, qtbot)
    progress = _wait_creating(dialog, sandbox, qtbot)
    ui.click(progress.cancel_button)
    ui.wait_run_done(dialog, timeout=15000)

    may = [e for e in seen if e.type == ev.ERROR and e.may_exist]
    assert [e.job_title for e in may] == [TITLES[0]]  # the source said so, the dialog did not guess
    _assert_may_exist_everywhere(dialog, sandbox, TITLES[0])
    states = [j.state for j in dialog.controller.last_run.jobs]
    assert states == ["may_exist", "not_started", "not_started", "not_started"]
    assert dialog.status_label.text() == "Check the dashboard: 0 of 4 jobs submitted, 1 may have been created, 3 not started"
    sandbox.release()


def test_an_answer_within_the_grace_replaces_may_have_been_created(connected, ciocore_sandbox, ui, qtbot):
    """Cancel while Conductor holds the creation request; it answers after the Cancel, within the grace.

    The job is submitted, with its id, where "may have been created" would
    otherwise be: the jobs table said "creating" until the answer came, and
    then "submitted"; the card is green and links to the job, not the dashboard.
    """
    dialog, sandbox = connected, ciocore_sandbox
    sandbox.faults.add("jobs", delay=ANSWER_DELAY, times=1)
    shown = _watch_first_job(dialog)
    _submit(dialog, ui, qtbot)
    progress = _wait_creating(dialog, sandbox, qtbot)
    cancelled_at = time.time()
    ui.click(progress.cancel_button)
    ui.wait_run_done(dialog, timeout=15000)

    # Conductor answered the held request after the Cancel, within the grace
    (answer,) = [r for r in sandbox.requests if r["endpoint"] == "jobs"]
    assert answer["status"] == 201 and answer["fault"] == "delay:{:g}".format(ANSWER_DELAY)
    assert cancelled_at < answer["time"] < cancelled_at + CREATE_GRACE
    assert [j["payload"]["job_title"] for j in sandbox.jobs] == [TITLES[0]]  # the cancel sent no other job
    jobid = sandbox.jobs[0]["jobid"]

    # what the dialog showed of the first job, event by event: creating until the answer, then submitted
    states = [state for event, state in shown if event.job_title == TITLES[0]]
    assert not [e for e, _s in shown if e.may_exist]
    answered = [i for i, (e, _s) in enumerate(shown) if e.type == ev.RESPONSE]
    assert len(answered) == 1 and shown[answered[0]][0].data["jobid"] == jobid
    assert states[-1] == "submitted" and "may have been created" not in states
    assert shown[answered[0] - 1][1] == STATE_TEXT[runs_mod.CREATING]

    record = dialog.controller.last_run
    assert [j.state for j in record.jobs] == ["submitted", "not_started", "not_started", "not_started"]
    response = dialog.tab("response")
    card = response.card_list()[0]
    assert card.level == "success" and card.jobid == jobid
    assert card.message.startswith("Submitted as job {}.".format(jobid))
    assert "ay have been created" not in card.message
    assert card.url == card.link_button.url == "{}/job/{}".format(sandbox.url, jobid)
    assert "may have been created" not in response.groups()[0].summary_label.text()
    assert progress.job_state_text(0) == "submitted"
    assert "may have been created" not in dialog.status_label.text()
    assert "1 of 4 jobs submitted" in dialog.status_label.text()


def test_a_stalled_job_creation_may_have_been_created(connected, ciocore_sandbox, ui, qtbot):
    """No answer for the run's timeout: the same amber card, naming the stall; later jobs were not sent."""
    dialog, sandbox = connected, ciocore_sandbox
    dialog.controller.update_settings(timeout=1.0)
    sandbox.faults.add("jobs", hang=True, times=None)
    _submit(dialog, ui, qtbot)
    _wait_creating(dialog, sandbox, qtbot)
    ui.wait_run_done(dialog, timeout=20000)  # no click: the timeout ends it

    _assert_may_exist_everywhere(dialog, sandbox, TITLES[0])
    record = dialog.controller.last_run
    assert "1 s" in record.jobs[0].message
    later = dialog.tab("response").card_list()[1:]
    assert [c.level for c in later] == ["error"] * 3
    assert all(c.message.startswith("Stalled: ") or "not sent" in c.message for c in later)
    sandbox.release()


def test_closing_the_dialog_while_a_job_is_created(connected, ciocore_sandbox, ui, qtbot, scene, make_dialog):
    """Close mid-creation: the dialog closes at once (no hang), and the job is kept as may-have-been-created."""
    dialog, sandbox = connected, ciocore_sandbox
    sandbox.faults.add("jobs", hang=True, times=None)
    _submit(dialog, ui, qtbot)
    _wait_creating(dialog, sandbox, qtbot)
    dialog.close()
    qtbot.waitUntil(lambda: dialog.prompt is not None, timeout=5000)
    assert dialog.prompt.default_key == "keep"
    # the question says what cancelling means for the job being created
    assert "Conductor is creating \u201c{}\u201d now: it may still be created".format(TITLES[0]) \
        in dialog.prompt.informativeText()
    ui.answer(dialog, "cancel_run")
    qtbot.waitUntil(lambda: dialog.is_closed, timeout=8000)  # the grace (2 s) and no more

    (record,) = session.runs_for(scene)
    assert record.finished and record.jobs[0].state == runs_mod.MAY_EXIST
    sandbox.release()

    # Reopened on the same scene: the run is listed as it ended, and Submit warns about that job.
    again = make_dialog(scene)
    card = again.tab("response").card_list()[0]
    assert card.level == "warning" and "May have been created" in card.message
    assert again.controller.previous_submissions(again.controller.plan_result)


def test_the_service_going_away_mid_creation_ends_the_run_at_once(connected, ciocore_sandbox, ui, qtbot):
    """The held request's connection drops (the service stops): Cancel still returns at once."""
    dialog, sandbox = connected, ciocore_sandbox
    sandbox.faults.add("jobs", hang=True, times=None)
    _submit(dialog, ui, qtbot)
    _wait_creating(dialog, sandbox, qtbot)
    sandbox.stop()
    asked = time.monotonic()
    ui.click(dialog.tab("progress").cancel_button)
    ui.wait_run_done(dialog, timeout=10000)
    assert time.monotonic() - asked < 3.0  # the 2 s grace at most
    jobs = dialog.controller.last_run.jobs
    assert jobs[0].state == runs_mod.MAY_EXIST  # its request was with Conductor when the line dropped
    assert all(j.state in runs_mod.ENDED for j in jobs)


def test_what_preview_shows_is_what_conductor_receives(connected, ciocore_sandbox, ui, qtbot):
    """The shared path sends each job as the Preview tab showed it, once Preview no longer says "Updating".

    Every key Preview shows reaches Conductor with the same value; the
    upload paths arrive as ciocore's ``upload_files`` entries, one per path.
    """
    import json

    dialog, sandbox = connected, ciocore_sandbox
    preview = dialog.tab("preview")
    dialog.show_tab("preview")
    qtbot.waitUntil(lambda: not dialog.controller.plan_is_stale, timeout=10000)  # what an artist reads
    shown = {}
    for index in range(preview.job_combo.count()):
        preview.job_combo.setCurrentIndex(index)
        qtbot.waitUntil(lambda: "job_title" in preview.text.toPlainText(), timeout=10000)
        qtbot.waitUntil(lambda: preview.text.isEnabled() and not dialog.controller.plan_is_stale, timeout=10000)
        payload = json.loads(preview.text.toPlainText())
        shown[payload["job_title"]] = payload
    assert sorted(shown) == sorted(TITLES)
    _submit(dialog, ui, qtbot)
    ui.wait_run_done(dialog, timeout=60000)
    # the one upload stays listed after the run: the job table's first row, and the run's summary
    progress = dialog.tab("progress")
    first = progress.jobs_table.topLevelItem(0)
    assert [first.text(c) for c in range(4)] == ["Files of every job (uploaded once)", "done", "49",
                                               "49 (4.8 MB)"]
    summary = dialog.tab("response").groups()[0].summary_label.text()
    assert summary == "4 of 4 jobs submitted. Files of every job, sent once: uploaded 49 of 49 files (4.8 MB)."
    received = {job["payload"]["job_title"]: job["payload"] for job in sandbox.jobs}
    assert sorted(received) == sorted(TITLES)
    for title, payload in shown.items():
        differing = {key for key, value in payload.items() if received[title].get(key) != value}
        assert differing <= {"upload_paths"}, (title, differing)  # ciocore sends them as upload_files
        sent = {entry["destination"] for entry in received[title]["upload_files"]}
        assert sent == set(payload["upload_paths"])
