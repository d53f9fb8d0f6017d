"""Mock files: record, replay, cancel, raise, cut-off and foreign files."""

import json
import os
import random
import subprocess
import sys
import threading
import time

import pytest

from ciokatana.core import events as ev
from ciokatana.core.mock import MockFileError, MockRecorder, MockReplay, check_mock_file
from ciokatana.core.runner import CANCELLED, FAILED, SUCCEEDED, Runner

from conftest_paths import ROOT

SHIPPED = os.path.join(ROOT, "scripts", "mock_submission.json")  # recorded on the shared path
STOCK_PATH_MOCK = os.path.join(ROOT, "tests", "data", "mock_stock_path_0.2.json")  # ciocore's per-job path


def synthetic(jobs=3, progress=2, files=3):
    out = [ev.start(jobs)]
    for j in range(jobs):
        title = "job{}".format(j + 1)
        out.append(ev.job_start(j, title))
        for p in range(progress):
            fp = {"/f{}.tx".format(i): {"bytes_to_upload": 10, "bytes_uploaded": 10 * p // max(progress - 1, 1), "already_uploaded": j > 0, "md5": "m==", "md5_was_cached": False} for i in range(files)}
            out.append(ev.Event(ev.PROGRESS, dict(files_to_analyze=files, files_to_upload=files, bytes_to_upload=30.0, bytes_uploaded=0.0, transfer_rate=0.0, percent_complete=50.0, elapsed_time=1.0, time_remaining=1.0, processed_md5s=files, md5_percent=100.0, job_index=j, job_title=title, file_progress=fp)))
        out.append(ev.response({"body": "job submitted.", "jobid": "0000{}".format(j + 1), "status": "success", "uri": "/jobs/0000{}".format(j + 1)}, 201, title))
    out.append(ev.done())
    return out


def write(path, events):
    with open(str(path), "w", encoding="utf-8") as handle:
        json.dump([e.to_data() for e in events], handle)
    return str(path)


def replay(path, interval=0.0, rng=None):
    seen = []
    runner = Runner(MockReplay(path, interval, rng), seen.append)
    runner.run()
    return runner, seen


def test_record_then_replay_gives_the_same_sequence(tmp_path):
    original = synthetic()
    path = str(tmp_path / "rec.json")
    recorder = MockRecorder(path)
    source_file = write(tmp_path / "src.json", original)
    runner = Runner(MockReplay(source_file, 0), recorder=recorder)
    runner.run()
    with open(path, encoding="utf-8") as handle:
        recorded = json.load(handle)
    assert recorded == [e.to_data() for e in original]
    _runner, seen = replay(path)
    assert [e.to_data() for e in seen] == [e.to_data() for e in original]


def test_recording_is_replayable_while_it_is_written(tmp_path):
    path = str(tmp_path / "partial.json")
    recorder = MockRecorder(path)
    for event in synthetic()[:4]:
        recorder.write(event)
    runner, seen = replay(path)  # the recorder has not closed the array yet
    assert [e.type for e in seen][:4] == ["start", "job_start", "progress", "progress"]
    assert seen[-2].data["exception_type"] == "MockFileTruncated"
    recorder.close()


def test_recorded_files_hold_no_credentials(tmp_path):
    path = str(tmp_path / "rec.json")
    recorder = MockRecorder(path)
    token = "eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.c2ln"
    recorder.write(ev.error("HTTPError", "401 for url with Authorization: Bearer " + token, "t", trace="client_secret=abc123&x"))
    recorder.write(ev.Event(ev.RESPONSE, {"body": token, "jobid": "1", "status": "success", "uri": "", "response_code": 201, "job_title": "t"}))
    recorder.close()
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    assert token not in text and "abc123" not in text


def test_truncated_file_replays_complete_events_then_reports_the_cut(tmp_path):
    full = json.dumps([e.to_data() for e in synthetic()])
    cut = full[: full.index('"job_title": "job2"') + 5]
    path = tmp_path / "cut.json"
    path.write_text(cut)
    runner, seen = replay(str(path))
    types = [e.type for e in seen]
    assert types[:5] == ["start", "job_start", "progress", "progress", "response"]
    error = seen[-2]
    assert error.type == "error" and error.data["exception_type"] == "MockFileTruncated"
    assert str(path) in error.data["exception"] and "after 5 complete event(s)" in error.data["exception"]
    assert types[-1] == "done" and runner.state == FAILED


@pytest.mark.parametrize(
    "content,message",
    [
        ("", "is empty"),
        ('{"event": "start"}', "does not start with a JSON array"),
        ("[1, 2]", "is not a mock"),
        ('[{"event": "job_start", "data": {"job_index": 0, "job_title": "x"}}]', "not 'start'"),
        ('[{"event": "start", "data": {}}]', "lacks job_count"),
        ("[]", "holds no events"),
        ("not json", "does not start with a JSON array"),
    ],
)
def test_files_that_are_not_mocks_are_refused_clearly(tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_text(content)
    with pytest.raises(MockFileError, match=message) as err:
        check_mock_file(str(path))
    assert str(path) in str(err.value)


def test_a_bad_event_midway_stops_the_replay_with_an_error(tmp_path):
    events = [e.to_data() for e in synthetic()]
    events[3] = {"event": "progress", "data": {"percent_complete": 1}}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(events))
    runner, seen = replay(str(path))
    assert seen[-2].data["exception_type"] == "MockFileError" and "event #4" in seen[-2].data["exception"]
    assert seen[-1].type == "done"


def test_missing_mock_file():
    with pytest.raises(MockFileError, match="does not exist"):
        check_mock_file("/nope/mock.json")


def test_cancel_mid_replay_stops_with_a_user_cancel(tmp_path):
    path = write(tmp_path / "m.json", synthetic(jobs=4, progress=5))
    seen = []
    runner = Runner(MockReplay(path, 0.02), seen.append)

    def watch(event):
        seen.append(event)
        if event.type == ev.PROGRESS and event.job_title == "job2":
            runner.cancel()

    runner.on_event = watch
    assert runner.run() == CANCELLED
    assert seen[-2].is_cancel and seen[-2].job_title == "job2" and seen[-1].type == "done"
    assert not [e for e in seen if e.job_title in ("job3", "job4")]
    assert [e.type for e in seen].count("response") == 1


def test_raise_error_fails_the_current_job_and_the_rest_go_on(tmp_path):
    path = write(tmp_path / "m.json", synthetic(jobs=4, progress=5))
    seen = []
    runner = Runner(MockReplay(path, 0.0, random.Random(7)), seen.append)

    def watch(event):
        seen.append(event)
        if event.type == ev.PROGRESS and event.job_title == "job2" and not runner.errors:
            runner.raise_error()

    runner.on_event = watch
    assert runner.run() == FAILED
    errors = [e for e in seen if e.type == "error"]
    assert len(errors) == 1 and errors[0].job_title == "job2" and errors[0].data["traceback"]
    assert errors[0].data["exception_type"] != "UserCanceledError"
    assert [e.job_title for e in seen if e.type == "response"] == ["job1", "job3", "job4"]
    assert not [e for e in seen if e.job_title == "job2" and e.type in ("progress", "response") and seen.index(e) > seen.index(errors[0])]


def test_interval_paces_the_replay(tmp_path):
    path = write(tmp_path / "m.json", synthetic(jobs=1, progress=1))
    stamps = []
    runner = Runner(MockReplay(path, 0.05), lambda e: stamps.append(e.type))
    timer = threading.Timer(10, runner.cancel)
    timer.start()
    started = time.monotonic()
    runner.run()
    elapsed = time.monotonic() - started
    timer.cancel()
    timer.join()
    assert stamps == ["start", "job_start", "progress", "response", "done"]
    # three gaps of 0.05 s between four replayed events (a wait never ends early)
    assert elapsed >= 0.15


def test_shipped_mock_replays_one_upload_then_four_jobs():
    assert check_mock_file(SHIPPED) >= 4
    runner, seen = replay(SHIPPED)
    assert runner.state == SUCCEEDED
    assert len([e for e in seen if e.type == "response"]) >= 4
    first_job = [e.type for e in seen].index("job_start")
    assert all(e.is_shared_upload for e in seen if e.type == "progress")
    assert seen[first_job - 1].data["percent_complete"] == 100.0
    assert all(e.data.get("phase") == "create" for e in seen if e.type == "job_start")


def test_a_recording_of_ciocores_per_job_path_replays_unchanged():
    assert check_mock_file(STOCK_PATH_MOCK) == 4
    runner, seen = replay(STOCK_PATH_MOCK)
    assert runner.state == SUCCEEDED and len(runner.responses) == 4
    assert any(f["already_uploaded"] for e in seen if e.type == "progress" for f in e.data["file_progress"].values())


def test_files_in_the_existing_plugins_format_replay_unchanged(tmp_path):
    # Field order, extra keys and number types as the existing plugin writes them.
    raw = [
        {"event": "start", "data": {"job_count": 1}},
        {"event": "job_start", "data": {"job_title": "Katana demo Render", "job_index": 0}},
        {"event": "progress", "data": {"files_to_analyze": 1, "files_to_upload": 1, "bytes_to_upload": 1024000, "bytes_uploaded": 512000, "transfer_rate": 1024, "percent_complete": 50.0, "elapsed_time": "0:00:05.000123", "time_remaining": 5.0, "processed_md5s": 1, "md5_percent": 100, "job_index": 0, "job_title": "Katana demo Render", "file_progress": {"/a.tx": {"bytes_to_upload": 1000, "bytes_uploaded": 500, "already_uploaded": False, "md5": "abc==", "md5_was_cached": False}}}},
        {"event": "response", "data": {"body": "job submitted.", "jobid": "01234", "status": "success", "uri": "/jobs/01234", "response_code": 201, "job_title": "Katana demo Render"}},
        {"event": "done", "data": None},
    ]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(raw, indent=4))
    runner, seen = replay(str(path))
    assert [e.to_data() for e in seen[:-1]] == raw[:-1] and seen[-1].type == "done"
    assert ev.seconds(seen[2].data["elapsed_time"]) == pytest.approx(5.000123)


_MEASURE = r"""
import resource, sys
sys.path.insert(0, sys.argv[3])
from bigmock import write_big_mock
from ciokatana.core.mock import MockReplay
from ciokatana.core.runner import Runner
write_big_mock(sys.argv[1], int(sys.argv[2]), files=1)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
count = [0]
def on_event(event):
    count[0] += 1
Runner(MockReplay(sys.argv[1], 0.0), on_event).run()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(count[0], after - before)
"""


def _replay_growth(path, count):
    """(events seen, KiB of peak memory growth while replaying), measured in a
    fresh interpreter so earlier tests cannot hide growth."""
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), str(count), os.path.join(ROOT, "tests", "helpers")],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    seen, growth = proc.stdout.split()
    return int(seen), int(growth)


def test_a_200000_event_mock_replays_in_flat_memory(tmp_path):
    """Figures for realistic mocks are printed by bench/bench_mock_replay.py."""
    seen_small, growth_small = _replay_growth(tmp_path / "small.json", 2000)
    seen_big, growth_big = _replay_growth(tmp_path / "big.json", 200000)
    assert (seen_small, seen_big) == (2000, 200000)
    assert os.path.getsize(str(tmp_path / "big.json")) > 30 * 1024 * 1024
    # 100x the events (tens of MB of file), yet the peak barely moves.
    assert growth_big < growth_small + 8 * 1024, (growth_small, growth_big)


def _recorded(path, events):
    recorder = MockRecorder(str(path))
    for event in events:
        recorder.write(event)
    recorder.close()
    return str(path)


def test_every_layout_replays_the_same(tmp_path):
    events = synthetic(jobs=2, progress=3)
    one_line = write(tmp_path / "one.json", events)
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps([e.to_data() for e in events], indent=2))
    per_line = _recorded(tmp_path / "lines.json", events)
    replays = [[e.to_data() for e in replay(str(p))[1]] for p in (one_line, pretty, per_line)]
    assert replays[0] == replays[1] == replays[2] == [e.to_data() for e in events]


def test_a_recorded_file_cut_mid_line(tmp_path):
    path = _recorded(tmp_path / "lines.json", synthetic(jobs=2, progress=3))
    with open(path, "rb") as handle:
        data = handle.read()
    cut = data[: data.index(b'"job_title":"job2"') + 3]
    with open(path, "wb") as handle:
        handle.write(cut)
    runner, seen = replay(path)
    assert [e.type for e in seen][:6] == ["start", "job_start", "progress", "progress", "progress", "response"]
    assert seen[-2].data["exception_type"] == "MockFileTruncated" and "after 6 complete event(s)" in seen[-2].data["exception"]


def test_a_broken_line_in_the_middle_stops_with_an_error(tmp_path):
    path = _recorded(tmp_path / "lines.json", synthetic(jobs=2, progress=3))
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    lines[4] = lines[4][:20] + "#garbage#" + lines[4][20:]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    runner, seen = replay(path)
    assert seen[-2].data["exception_type"] == "MockFileError" and "event #4 is not valid JSON" in seen[-2].data["exception"]


@pytest.mark.parametrize("kind", ["UserCanceledError", "UserCanceled", "UserCancelledError"])
def test_an_old_mock_file_that_recorded_a_cancel_replays_as_cancelled(tmp_path, kind):
    """Each spelling older files carry: the replayed run ends cancelled, not failed, and job2 never answers."""
    events = synthetic(jobs=3, progress=1)
    events = events[:4] + [ev.job_start(1, "job2"), ev.error(kind, "cancelled", "job2"), ev.done()]
    runner, seen = replay(write(tmp_path / "old.json", events))
    assert runner.state == CANCELLED
    assert [e.is_cancel for e in seen if e.type == ev.ERROR] == [True]
    assert [e.job_title for e in seen if e.type == ev.RESPONSE] == ["job1"]
