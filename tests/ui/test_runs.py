"""The run record (Qt-free): how a run's events become job states, upload figures and an outcome."""

from ciokatana.core import events as ev
from ciokatana.ui import runs


class Clock(object):
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _progress(index, files, md5=100.0, percent=0.0):
    return ev.Event(ev.PROGRESS, {"job_index": index, "job_title": "", "md5_percent": md5, "percent_complete": percent,
                                  "files_to_analyze": 0, "elapsed_time": 1.0, "file_progress": files})


def _f(size, uploaded=0, cached=False, md5="m"):
    return {"bytes_to_upload": size, "bytes_uploaded": uploaded, "already_uploaded": cached, "md5": md5}


def _planned(*names):
    return [(n, "T " + n, {"job_title": "T " + n, "n": n}) for n in names]


def test_the_shared_upload_then_creating_phases_and_the_contract_errors():
    clock = Clock()
    record = runs.RunRecord(1, runs.SUBMIT, _planned("a", "b", "c", "d"), link_for="https://x/job/{}".format,
                            clock=clock)
    start = ev.start(4)
    start.data.update(upload_files=3, upload_bytes=3000)
    record.apply(start)
    record.apply(_progress(runs.SHARED_UPLOAD_INDEX, {"/1": _f(1000), "/2": _f(1000)}, md5=50.0))
    scope = record.scope
    assert scope.shared and scope.file_total == 3 and scope.hashing and scope.remaining() is None
    created = ev.job_start(0, "T a")
    created.data["phase"] = "create"
    record.apply(created)
    assert record.jobs[0].state == runs.CREATING and record.jobs[0].creating_since == 100.0
    record.apply(ev.response({"jobid": "00007"}, 201, "T a"))
    assert (record.jobs[0].state, record.jobs[0].link) == (runs.SUBMITTED, "https://x/job/00007")
    for index, kind, extra in ((1, runs.MAY_EXIST_TYPE, {"may_exist": True}), (2, runs.STALLED_TYPE, {})):
        record.apply(ev.job_start(index, "T " + "abcd"[index]))
        error = ev.error(kind, "no answer from jobs/", "T " + "abcd"[index])
        error.data.update(extra)
        record.apply(error)
        assert not error.is_cancel
    record.apply(ev.job_start(3, "T d"))
    record.apply(ev.cancelled("T d"))
    record.apply(ev.done())
    record.finish("cancelled")
    assert [j.state for j in record.jobs] == [runs.SUBMITTED, runs.MAY_EXIST, runs.FAILED, runs.CANCELLED]
    assert record.done_count == 3  # the cancelled job is not done
    assert record.outcome() == runs.PARTIAL
    assert record.summary_text() == "1 of 4 jobs submitted, 1 failed, 1 may have been created, 1 cancelled"
    assert [j.node for j in record.unfinished_jobs()] == ["c", "d"]  # "may exist" is not offered again


def test_jobs_never_started_after_a_cancel_are_listed():
    record = runs.RunRecord(1, runs.SUBMIT, _planned("a", "b", "c"))
    record.apply(ev.start(3))
    record.apply(ev.job_start(0, "T a"))
    record.apply(ev.cancelled("T a"))
    record.apply(ev.done())
    record.finish("cancelled")
    assert [j.state for j in record.jobs] == [runs.CANCELLED, runs.NOT_STARTED, runs.NOT_STARTED]
    assert record.outcome() == runs.CANCELLED_RUN
    assert record.done_count == 0


def test_time_left_counts_files_as_well_as_bytes():
    """2 big files done and 2,900 small ones to go: the bytes alone would say "a few seconds"."""
    clock = Clock()
    record = runs.RunRecord(1, runs.SUBMIT, _planned("a"), clock=clock)
    record.apply(ev.start(1))
    record.apply(ev.job_start(0, "T a"))
    small = {"/s{}".format(i): _f(1000) for i in range(2900)}
    files = dict(small, **{"/big1": _f(50000000), "/big2": _f(50000000)})
    record.apply(_progress(0, files))
    clock.now += 10
    record.apply(_progress(0, {"/big1": _f(50000000, 50000000), "/big2": _f(50000000, 50000000),
                               "/s0": _f(1000, 1000), "/s1": _f(1000, 1000)}))
    scope = record.scope
    tally = scope.tally
    assert (tally.finished, len(tally)) == (4, 2902)
    bytes_left = tally.total_bytes - tally.uploaded_bytes
    by_bytes = bytes_left / scope.byte_rate()
    assert by_bytes < 1.0
    assert scope.remaining() > 60 * 60  # 2,898 files at 4 files per 10 s
    assert not scope.complete


def test_tally_totals_and_the_upload_summary():
    tally = runs.FileTally()
    tally.update({"/a": _f(100, 100), "/b": _f(0, cached=True), "/c": _f(300, 150)})
    tally.update({"/c": _f(300, 300)})
    summary = tally.summary()
    assert (summary.files, summary.cached, summary.uploaded_files, summary.uploaded_bytes) == (3, 1, 2, 400)
    assert summary.text(lambda n: "{} B".format(n)) == "uploaded 2 of 2 files (400 B), 1 already on Conductor"
    assert runs.id_range(["00012", "00013", "00014"]) == "00012\u201300014"
    assert runs.id_range(["00012", "00019"]) == "00012, 00019"


def test_a_cancel_while_conductor_creates_the_job_says_it_may_exist():
    """ciocore's own uploader: files up, the job request sent, then Cancel."""
    record = runs.RunRecord(1, runs.SUBMIT, _planned("a", "b"))
    record.apply(ev.start(2))
    record.apply(ev.job_start(0, "T a"))
    record.apply(_progress(0, {"/1": _f(10, 10), "/2": _f(5, 0, cached=True)}, md5=100.0))
    assert record.jobs[0].state == runs.CREATING  # every file is up: only the creation is left
    record.apply(ev.cancelled("T a"))
    record.apply(ev.done())
    record.finish("cancelled")
    job = record.jobs[0]
    assert job.state == runs.MAY_EXIST
    assert job.message == "Cancelled while Conductor was creating it: its creation request may have arrived."
    assert "Cancelled before Conductor created" not in job.message
    assert [j.state for j in record.jobs] == [runs.MAY_EXIST, runs.NOT_STARTED]
    assert record.unfinished_jobs() == [record.jobs[1]]  # not offered again: it may be on Conductor
    assert record.summary_text() == "0 of 2 jobs submitted, 1 may have been created, 1 not started"


def test_a_run_that_ends_while_a_job_is_being_created_leaves_it_may_exist():
    record = runs.RunRecord(1, runs.SUBMIT, _planned("a"))
    record.apply(ev.start(1))
    created = ev.job_start(0, "T a")
    created.data["phase"] = "create"
    record.apply(created)
    record.finish("cancelled")  # closed before 'done' arrived
    assert record.jobs[0].state == runs.MAY_EXIST


def test_an_answer_after_may_have_been_created_gives_that_job_its_id():
    """Conductor's answer arrives after the job was ended as "may have been created": same job, now submitted."""
    record = runs.RunRecord(1, runs.SUBMIT, _planned("a", "b"), link_for="https://x/job/{}".format)
    record.apply(ev.start(2))
    created = ev.job_start(0, "T a")
    created.data["phase"] = "create"
    record.apply(created)
    record.apply(ev.may_exist("T a", "cancelled while its creation request was in flight"))
    assert record.jobs[0].state == runs.MAY_EXIST
    record.apply(ev.response({"jobid": "00042", "body": "job submitted."}, 201, "T a"))
    record.apply(ev.done())
    record.finish("cancelled")
    assert len(record.jobs) == 2  # not a third job
    assert (record.jobs[0].state, record.jobs[0].jobid) == (runs.SUBMITTED, "00042")
    assert record.jobs[0].link == "https://x/job/00042"
    assert record.summary_text() == "1 of 2 jobs submitted, 1 not started"


def test_a_cancel_during_the_shared_upload_adds_no_job_and_lists_every_one_as_not_started():
    record = runs.RunRecord(1, runs.SUBMIT, _planned("a", "b", "c", "d"))
    start = ev.start(4)
    start.data.update(upload_files=3, upload_bytes=3000)
    record.apply(start)
    record.apply(_progress(runs.SHARED_UPLOAD_INDEX, {"/1": _f(1000, 500)}, md5=100.0))
    record.apply(ev.cancelled(""))  # the shared path's one cancel: no job is named
    record.apply(ev.done())
    record.finish("cancelled")
    assert len(record.jobs) == 4 and record.cancelled_before_jobs
    assert [j.state for j in record.jobs] == [runs.NOT_STARTED] * 4
    assert record.outcome() == runs.CANCELLED_RUN
    assert record.summary_text() == "0 of 4 jobs submitted, 4 not started"


def test_the_pipelines_may_exist_message_gives_its_reason_once():
    """The card names the job and says "may have been created"; the record keeps only the why."""
    record = runs.RunRecord(1, runs.SUBMIT, _planned("a"))
    record.apply(ev.start(1))
    record.apply(ev.job_start(0, "T a"))
    record.apply(ev.may_exist("T a", "stalled: no answer for 2 s", "https://c.test"))
    job = record.jobs[0]
    assert job.state == runs.MAY_EXIST
    assert job.message == "Its creation request was sent but no answer came (stalled: no answer for 2 s)."
    assert "https://c.test/jobs" in job.details  # the whole message stays in the details
    assert record.partial_lead() == "Check the dashboard"


def test_a_cancel_the_shared_path_sends_while_creating_is_a_plain_cancel():
    """With ``phase: create`` the source knows its request never went out (a refused connection): no job."""
    record = runs.RunRecord(1, runs.SUBMIT, _planned("a", "b"))
    record.apply(ev.start(2))
    created = ev.job_start(0, "T a")
    created.data["phase"] = "create"
    record.apply(created)
    record.apply(ev.canceled("T a"))
    record.apply(ev.done())
    record.finish("cancelled")
    assert [j.state for j in record.jobs] == [runs.CANCELLED, runs.NOT_STARTED]
    assert record.jobs[0].message == "Cancelled before its creation request reached Conductor: no job was created."
    assert [j.node for j in record.unfinished_jobs()] == ["a", "b"]  # both can be sent again


def test_a_replayed_http_failure_still_says_it_was_simulated():
    """Plain words for a 503 must not hide that the mock player made it up."""
    record = runs.RunRecord(1, runs.REPLAY)
    record.apply(ev.start(1))
    record.apply(ev.job_start(0, "T a"))
    record.apply(ev.error("HTTPError", "503 Server Error: Service Unavailable for url: /jobs/ "
                                       "(simulated by the mock player)", "T a"))
    message = record.jobs[0].message
    assert message.startswith("Conductor did not create the job: it is unavailable (HTTP 503")
    assert message.endswith("(simulated by the mock player)")
