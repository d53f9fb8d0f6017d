"""Events: the fields of the existing plugin's format, built from ciocore stats."""

import datetime
import json

import pytest

from ciokatana.core import events as ev


class Stat:
    def __init__(self, value):
        self.value = value


class FakeStats:
    """Shaped like ciocore's UploadStats (values wrapped in .value objects)."""

    files_to_analyze = 3
    files_to_upload = 2
    bytes_to_upload = Stat(2048 * 1024.0)
    bytes_uploaded = Stat(1024 * 1024.0)
    transfer_rate = Stat(512 * 1024.0)
    percent_complete = Stat(0.5)
    elapsed_time = datetime.timedelta(seconds=4.5)
    time_remaining = Stat(4.5)
    file_progress = Stat(
        {
            "/a.tx": {"bytes_to_upload": 1024, "bytes_uploaded": 1024, "already_uploaded": False, "md5": "x==", "md5_was_cached": True},
            "/b.tx": {"bytes_to_upload": 1024, "bytes_uploaded": 0, "md5": "y==", "md5_was_cached": None},
            "/c.tx": {"bytes_uploaded": 0, "bytes_to_upload": 0, "md5": None, "md5_was_cached": None},
        }
    )


def test_progress_from_ciocore_stats_has_every_field():
    event = ev.progress_from_stats(FakeStats(), 1, "job b")
    assert event.type == ev.PROGRESS
    assert set(ev.FIELDS[ev.PROGRESS]) | {"time_remaining"} == set(event.data)
    assert event.data["percent_complete"] == 50.0
    assert event.data["processed_md5s"] == 2 and round(event.data["md5_percent"], 1) == 66.7
    assert event.data["elapsed_time"] == 4.5 and event.data["job_index"] == 1
    assert event.data["file_progress"]["/b.tx"]["already_uploaded"] is False
    assert ev.true_bytes(event.data["bytes_uploaded"]) == 1024.0
    assert ev.Event.from_data(json.loads(json.dumps(event.to_data()))) == event  # what a mock file holds
    assert ev.Event.from_json(event.to_json()) == event  # the 0.2 names still work


def test_nothing_to_upload_is_not_a_crash():
    stats = FakeStats()
    stats.percent_complete = Stat(None)
    stats.time_remaining = Stat(None)
    event = ev.progress_from_stats(stats, 0, "t")
    assert event.data["percent_complete"] == 0.0 and event.data["time_remaining"] is None


def test_response_and_error_fields():
    response = ev.response({"body": "job submitted.", "jobid": "00042", "status": "success", "uri": "/jobs/00042"}, 201, "t")
    assert response.data == {"body": "job submitted.", "jobid": "00042", "status": "success", "uri": "/jobs/00042", "response_code": 201, "job_title": "t"}
    try:
        raise ConnectionError("Authorization: Bearer eyJabc.eyJdef.sig failed")
    except ConnectionError as err:
        error = ev.error_from_exception(err, "t")
    assert set(error.data) == set(ev.FIELDS[ev.ERROR])
    assert error.data["exception_type"] == "ConnectionError" and error.data["status"] == "error"
    assert "eyJabc" not in error.data["exception"] + error.data["traceback"] + error.data["body"]
    assert ev.cancelled("t").is_cancel and not error.is_cancel
    assert ev.cancelled("t").data["exception_type"] == "UserCanceledError"  # what ciocore and older files say


@pytest.mark.parametrize("kind", ["UserCanceledError", "UserCanceled", "UserCancelledError"])
def test_every_recorded_cancel_spelling_still_reads_as_a_cancel(kind):
    raw = {"event": "error", "data": {"exception_type": kind, "exception": "cancelled", "traceback": "",
                                      "body": "", "status": "error", "response_code": None, "job_title": "t"}}
    assert ev.Event.from_data(raw).is_cancel


@pytest.mark.parametrize(
    "raw,message",
    [
        ([], "not an object"),
        ({"event": "bogus", "data": {}}, "unknown type 'bogus'"),
        ({"event": "start", "data": []}, "not an object"),
        ({"event": "job_start", "data": {"job_index": 0}}, "lacks job_title"),
    ],
)
def test_from_data_rejects_what_is_not_an_event(raw, message):
    with pytest.raises(ev.EventFormatError, match=message):
        ev.Event.from_data(raw)


def test_seconds_reads_numbers_and_timedelta_text():
    assert ev.seconds("0:01:02.5") == 62.5 and ev.seconds(3) == 3.0 and ev.seconds(None) is None


CIOCORE_UPLOAD_FAILURE = (
    "\n\nCould not upload files, encountered 1 errors:\n\nError 1:\nTraceback (most recent call last):\n"
    '  File "ciocore/worker.py", line 228, in target\n    output = self.do_work(job, thread_int)\n'
    "ciocore.exceptions.UploadError: Upload of /show/tex/a.tx failed with a response code 400 (Bad Request) "
    "(expected 'x==', got 'y==')\n\n"
)
CIOCORE_JOB_FAILURE = 'Job Submission failed: Error 400 ...\n{"error": "Project \'No Such Project\' does not exist or is not active."}'


@pytest.mark.parametrize(
    "text,cause",
    [
        (CIOCORE_JOB_FAILURE, "Project 'No Such Project' does not exist or is not active. (HTTP 400)"),
        (CIOCORE_UPLOAD_FAILURE, "ciocore.exceptions.UploadError: Upload of /show/tex/a.tx failed with a response "
                                 "code 400 (Bad Request) (expected 'x==', got 'y==')"),
        ("Connection refused\nmore", "Connection refused"),
        ("", ""),
    ],
)
def test_cause_line_is_the_line_that_says_why(text, cause):
    assert ev.cause_line(text) == cause


def test_cause_line_is_capped_and_scrubbed():
    line = ev.cause_line("failed: Authorization: Bearer eyJabc.eyJdef.sig " + "x" * 1000)
    assert len(line) == ev.CAUSE_LIMIT and line.endswith("...") and "eyJabc" not in line


def test_an_error_event_leads_with_its_cause():
    error = ev.error_from_exception(Exception(CIOCORE_JOB_FAILURE), "job1")
    assert error.data["exception"].splitlines()[0] == "Project 'No Such Project' does not exist or is not active. (HTTP 400)"
    assert CIOCORE_JOB_FAILURE in error.data["exception"]  # the whole message is kept below it


def test_optional_fields_of_the_shared_path_leave_old_readers_working():
    start = ev.start(4, upload_files=120, upload_bytes=240000000)
    assert start.data == {"job_count": 4, "upload_files": 120, "upload_bytes": 240000000}
    assert ev.start(4).data == {"job_count": 4}  # the stock path and old files: no upload fields
    job = ev.job_start(0, "beauty", phase=ev.CREATE_PHASE)
    assert job.data == {"job_index": 0, "job_title": "beauty", "phase": "create"}
    assert ev.Event.from_data(job.to_data()) == job
    maybe = ev.may_exist("beauty", "cancelled while its creation request was in flight", "http://127.0.0.1:9")
    assert maybe.may_exist and not maybe.is_cancel and maybe.data["may_exist"] is True
    assert maybe.data["exception_type"] == ev.MAY_EXIST_TYPE and maybe.data["status"] == "error"
    assert maybe.data["exception"].startswith("beauty may have been created - check http://127.0.0.1:9/jobs")
    assert set(ev.FIELDS[ev.ERROR]) <= set(maybe.data)
    stall = ev.stalled("beauty", "upload of /a.tx", 120)
    assert stall.data["exception_type"] == ev.STALLED_TYPE and not stall.may_exist and not stall.is_cancel
    assert stall.data["exception"] == "stalled: no answer and no progress for 120 s during upload of /a.tx"
