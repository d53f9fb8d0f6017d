"""Upload figures tell the truth while ciocore uploads files before every checksum is done."""


from sources import Steps
from ciokatana.core import events as ev
from ciokatana.ui import runs, theme

FILES = 3052
SIZE = 100000  # bytes per file
CACHED = 30
PATHS = ["/show/assets/f{:04d}.tx".format(i) for i in range(FILES)]
TITLE = "Katana shot beauty"


class Clock(object):
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _file(path, uploaded=0, hashed=False, cached=False):
    # ciocore reports 0 bytes to upload for a file already on Conductor
    return {"bytes_to_upload": 0 if cached else SIZE, "bytes_uploaded": uploaded, "already_uploaded": cached,
            "md5": "m" if (hashed or cached) else None, "md5_was_cached": False}


def _progress(hashed, uploaded, partly=0, md5=None):
    """ciocore's view: ``hashed`` files checked, the first ``uploaded`` of them up, CACHED found on Conductor."""
    files = {}
    for i, path in enumerate(PATHS[:hashed]):
        if i < CACHED:
            files[path] = _file(path, cached=True)
        elif i < CACHED + uploaded:
            files[path] = _file(path, SIZE, hashed=True)
        elif i < CACHED + uploaded + partly:
            files[path] = _file(path, SIZE // 2, hashed=True)
        else:
            files[path] = _file(path, hashed=True)
    percent = 100.0 * hashed / FILES if md5 is None else md5
    return ev.Event(ev.PROGRESS, {"job_index": 0, "job_title": TITLE, "files_to_analyze": FILES,
                                  "files_to_upload": 0, "bytes_to_upload": 0.0, "bytes_uploaded": 0.0,
                                  "transfer_rate": 0.0, "percent_complete": 0.0, "elapsed_time": 0.0,
                                  "processed_md5s": hashed, "md5_percent": percent, "file_progress": files})


def _record(clock=None):
    planned = [("beauty", TITLE, {"job_title": TITLE, "upload_paths": PATHS})]
    record = runs.RunRecord(1, runs.SUBMIT, planned, known_files=FILES + 12, known_bytes=(FILES + 12) * SIZE,
                            clock=clock or Clock())
    record.file_sizes = {path: SIZE for path in PATHS}
    return record


def test_files_and_bytes_count_from_the_first_upload_against_the_jobs_own_totals():
    clock = Clock()
    record = _record(clock)
    record.apply(ev.start(1))
    record.apply(ev.job_start(0, TITLE))
    record.apply(_progress(hashed=1000, uploaded=600, partly=4))
    scope = record.scope
    assert scope.hashing and scope.md5_percent < 50
    # the job's own files and bytes, not the run's 3,064 (another job's files are not this upload's)
    assert (scope.file_total, scope.byte_total) == (FILES, FILES * SIZE)
    assert scope.started_uploading
    assert scope.files_done == CACHED + 600
    assert scope.bytes_done == (CACHED + 600) * SIZE + 4 * SIZE // 2  # cached files count at their real size
    assert scope.remaining() is None  # one sample: no rate yet
    clock.now += 10.0
    record.apply(_progress(hashed=1800, uploaded=1200))
    left = scope.remaining()
    assert left is not None and left > 0  # an estimate while MD5 is not at 100 %
    # the longest of bytes, files and checksums left at their rates (here the bytes: 598 files' worth in 10 s)
    by_bytes = (FILES - 1230) * SIZE / ((1230 - 632) * SIZE / 10.0)
    by_files = (FILES - 1230) / 60.0
    by_checksums = (FILES - 1800) / 80.0
    assert abs(left - max(by_bytes, by_files, by_checksums)) < 0.01 and by_checksums < left

    clock.now += 30.0
    record.apply(_progress(hashed=FILES, uploaded=FILES - CACHED))
    assert scope.complete and (scope.files_done, scope.bytes_done) == (FILES, FILES * SIZE)
    record.apply(ev.response({"jobid": "00001"}, 201, TITLE))
    assert record.jobs[0].upload.files == FILES and record.jobs[0].upload.cached == CACHED



def test_the_progress_tab_shows_uploads_before_the_checksums_are_done(make_dialog, scene, qtbot):
    source = Steps([
        [ev.start(1), ev.job_start(0, TITLE)],
        [_progress(hashed=0, uploaded=0)],
        [_progress(hashed=1000, uploaded=600)],
        [_progress(hashed=1800, uploaded=1200)],
        [_progress(hashed=FILES, uploaded=FILES - CACHED)],
        [ev.response({"jobid": "00001"}, 201, TITLE)],
    ])
    dialog = make_dialog(scene)
    progress = dialog.tab("progress")
    dialog.controller.start_source(source, record=_record(clock=runs.time.monotonic))
    dialog.show_tab("progress")
    try:
        source.step()  # the job starts; ciocore has not reported anything yet
        qtbot.waitUntil(lambda: progress.md5_bar.text().startswith("Waiting for the uploader's first report"),
                        timeout=5000)
        assert progress.upload_bar.text() == progress.md5_bar.text() and progress.md5_bar.value() == 0
        source.step()  # ciocore's first report names no file yet: still nothing known
        qtbot.waitUntil(lambda: dialog.controller.current_run.scope.started is not None, timeout=5000)
        qtbot.wait(50)
        assert progress.md5_bar.text().startswith("Waiting for the uploader's first report")
        assert progress.upload_bar.value() == 0  # nothing done yet: that is the truth

        source.step()
        qtbot.waitUntil(lambda: progress.upload_bar.text().startswith("Files "), timeout=5000)
        assert progress.md5_bar.text() == "1,000 of 3,052 files checked"
        text = progress.upload_bar.text()
        assert text.startswith("Files 630 of 3,052")
        assert "{} of {}".format(theme.human_bytes(630 * SIZE), theme.human_bytes(FILES * SIZE)) in text
        assert "(30 already on Conductor)" in text
        assert progress.upload_bar.value() > 0
        rows_done = sum(1 for p in progress.file_model.paths() if progress.file_model.file_state(p)[1] == "done")
        assert rows_done == 600  # the file list and the bar agree

        # the elapsed clock is live: it moves with no new report, and old figures say how old they are
        first = progress.stats_label.text()
        qtbot.waitUntil(lambda: progress.stats_label.text() != first, timeout=3000)
        assert "elapsed" in progress.stats_label.text()
        qtbot.waitUntil(lambda: "figures from 0:0" in progress.stats_label.text(), timeout=4000)

        source.step()
        qtbot.waitUntil(lambda: "left" in progress.stats_label.text() and "up to about" in
                        progress.stats_label.text(), timeout=5000)
        assert "still checking files" in progress.stats_label.text()

        source.step()
        qtbot.waitUntil(lambda: progress.upload_bar.text().startswith("Files 3,052 of 3,052"), timeout=5000)
        total = theme.human_bytes(FILES * SIZE)
        assert "{} of {}".format(total, total) in progress.upload_bar.text()
        assert progress.upload_bar.value() == progress.upload_bar.maximum()
        source.step()
        qtbot.waitUntil(lambda: not dialog.controller.is_running, timeout=5000)
    finally:
        dialog.controller.cancel_run()
        for _ in range(5):
            source.step()
    qtbot.waitUntil(lambda: not dialog.controller.is_running, timeout=10000)
