"""Events: the fields of the existing plugin's format, built from ciocore stats."""

import datetime

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
    ev.Event.from_json(event.to_json())


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
    assert ev.canceled("t").is_cancel and not error.is_cancel


@pytest.mark.parametrize(
    "raw,message",
    [
        ([], "not an object"),
        ({"event": "bogus", "data": {}}, "unknown type 'bogus'"),
        ({"event": "start", "data": []}, "not an object"),
        ({"event": "job_start", "data": {"job_index": 0}}, "lacks job_title"),
    ],
)
def test_from_json_rejects_what_is_not_an_event(raw, message):
    with pytest.raises(ev.EventFormatError, match=message):
        ev.Event.from_json(raw)


def test_seconds_reads_numbers_and_timedelta_text():
    assert ev.seconds("0:01:02.5") == 62.5 and ev.seconds(3) == 3.0 and ev.seconds(None) is None
