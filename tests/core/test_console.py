"""The terminal presentation: the shared upload, then the jobs being created; may-exist and stalls."""

import io

from ciokatana.core import events as ev
from ciokatana.core.console import TerminalReporter


def shared_progress(uploaded, cached=False):
    files = {
        "/show/a.tx": {"bytes_to_upload": 0 if cached else 1000, "bytes_uploaded": 0 if cached else uploaded,
                       "already_uploaded": cached, "md5": "a==", "md5_was_cached": cached},
        "/show/b.tx": {"bytes_to_upload": 0, "bytes_uploaded": 0, "already_uploaded": True, "md5": "b==",
                       "md5_was_cached": True},
    }
    data = dict(files_to_analyze=2, files_to_upload=0 if cached else 1, bytes_to_upload=1024000.0,
                bytes_uploaded=uploaded * 1024.0, transfer_rate=0.0, percent_complete=uploaded / 10.0,
                elapsed_time=1.0, time_remaining=None, processed_md5s=2, md5_percent=100.0,
                job_index=ev.SHARED_UPLOAD_INDEX, job_title="", file_progress=files)
    return ev.Event(ev.PROGRESS, data)


def report(events, tty=False):
    out = io.StringIO()
    reporter = TerminalReporter(out, url="http://127.0.0.1:9", tty=tty)
    for event in events:
        reporter(event)
    return reporter, out.getvalue() + reporter.summary()


def squeeze(text):
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def test_one_upload_then_the_jobs_being_created():
    reporter, text = report([
        ev.start(2, upload_files=2, upload_bytes=2000),
        shared_progress(500),
        shared_progress(1000),
        ev.job_start(0, "beauty", phase=ev.CREATE_PHASE),
        ev.response({"jobid": "00001", "body": "job submitted.", "status": "success"}, 201, "beauty"),
        ev.job_start(1, "shadow", phase=ev.CREATE_PHASE),
        ev.response({"jobid": "00002", "body": "job submitted.", "status": "success"}, 201, "shadow"),
        ev.done(),
    ])
    assert "Upload for all 2 job(s) at once: 2 file(s), 2.0 KB" in text
    assert "      upload: uploaded 1 of 1 file(s), 1000 B; 1 already on Conductor (cached); md5: 1 hashed, 1 from the cache" in text
    assert text.index("upload:") < text.index("[1/2] beauty  (creating the job)")
    assert "OK beauty job 00001 http://127.0.0.1:9/job/00001" in squeeze(text)
    assert "Upload (once for every job): uploaded 1 of 1 file(s)" in text
    assert reporter.all_ok


def test_nothing_to_upload_is_said_once():
    _reporter, text = report([ev.start(1, upload_files=2, upload_bytes=2000), shared_progress(0, cached=True),
                              ev.job_start(0, "beauty", phase=ev.CREATE_PHASE),
                              ev.response({"jobid": "00001"}, 201, "beauty"), ev.done()])
    assert "Nothing was uploaded: every file was already on Conductor (cached)." in text
    assert "md5: 0 hashed, 2 from the cache" in text


def test_may_have_been_created_is_its_own_status_with_the_dashboard():
    reporter, text = report([
        ev.start(2), ev.job_start(0, "beauty"),
        ev.may_exist("beauty", "cancelled while its creation request was in flight", "http://127.0.0.1:9"),
        ev.done(),
    ], tty=True)
    assert "\033[33mMAY EXIST" in text and "beauty may have been created - check http://127.0.0.1:9/jobs" in text
    assert "not started: 1 of 2 job(s)" in text
    assert "look for it on http://127.0.0.1:9/jobs before submitting it again" in text
    assert reporter.results[0].status == "may_exist" and not reporter.all_ok


def test_a_cancel_during_the_upload_says_no_job_was_created():
    _reporter, text = report([ev.start(2, upload_files=2, upload_bytes=2000), shared_progress(500),
                              ev.cancelled("", body="cancelled before any job was created"), ev.done()])
    assert "CANCELLED (upload)" in squeeze(text) and "cancelled during the upload; no job was created" in text
    assert "not started: 2 of 2 job(s)" in text


def test_the_failure_line_carries_the_cause():
    error = ev.error_from_exception(Exception(
        'Job Submission failed: Error 400 ...\n{"error": "Project \'No Such Project\' does not exist or is not active."}'),
        "beauty")
    _reporter, text = report([ev.start(1), ev.job_start(0, "beauty"), error, ev.done()])
    assert "FAILED beauty Exception: Project 'No Such Project' does not exist or is not active. (HTTP 400)" in squeeze(text)
