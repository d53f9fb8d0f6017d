"""The Progress tab: known totals, files N of M, checksums before time left, the creating phase."""


from sources import Steps
from ciokatana.core import events as ev
from ciokatana.ui import runs


def _file(size, uploaded=0, md5="m", cached=False):
    return {"bytes_to_upload": size, "bytes_uploaded": uploaded, "already_uploaded": cached, "md5": md5,
            "md5_was_cached": False}


def _progress(index, files, md5):
    return ev.Event(ev.PROGRESS, {"job_index": index, "job_title": "", "files_to_analyze": 3005, "files_to_upload": 0,
                                  "bytes_to_upload": 0.0, "bytes_uploaded": 0.0, "transfer_rate": 0.0,
                                  "percent_complete": 100.0, "elapsed_time": 4.0, "processed_md5s": 0,
                                  "md5_percent": md5, "file_progress": files})



def test_shared_upload_hashing_then_files_n_of_m_then_creating_with_a_clock(make_dialog, scene, qtbot):
    start = ev.start(2)
    start.data.update(upload_files=3005, upload_bytes=3005 * 1000)
    hashing = {"/f{}".format(i): _file(1000, md5="m" if i < 1262 else None) for i in range(3005)}
    uploaded = {"/f{}".format(i): _file(1000, 1000 if i < 105 else 0) for i in range(3005)}
    create = ev.job_start(0, "Katana shot beauty")
    create.data["phase"] = "create"
    source = Steps([
        [start, _progress(runs.SHARED_UPLOAD_INDEX, hashing, 42.0)],
        [_progress(runs.SHARED_UPLOAD_INDEX, uploaded, 100.0)],
        [create],
        [ev.response({"jobid": "00009"}, 201, "Katana shot beauty")],
        [],
    ])
    dialog = make_dialog(scene)
    progress = dialog.tab("progress")
    dialog.controller.start_source(source)
    dialog.show_tab("progress")
    try:
        source.step()
        qtbot.waitUntil(lambda: "files checked" in progress.md5_bar.text(), timeout=5000)
        # hashing: no "100 %, 0:00 left" - the time left is not known yet
        assert progress.md5_bar.text() == "1,262 of 3,005 files checked"
        assert progress.upload_bar.text().startswith("Waiting for the checksums")
        assert progress.upload_bar.value() == 0
        assert "time left not known yet" in progress.stats_label.text()
        assert progress.job_label.text() == "Uploading the files of both jobs (once, for all of them)\u2026"

        source.step()
        qtbot.waitUntil(lambda: progress.upload_bar.text().startswith("Files 105 of 3,005"), timeout=5000)
        assert "102.5 KB of 2.9 MB" in progress.upload_bar.text()
        assert progress.upload_bar.value() < progress.upload_bar.maximum() * 0.05  # by files, not bytes alone
        assert progress.files_label.text().startswith("Files: 3,005")
        assert progress.file_model.uploaded_bytes == 105 * 1000  # the list and the stats line: one source

        source.step()
        qtbot.waitUntil(lambda: progress.job_label.text().startswith("Creating job 1 of 2"), timeout=5000)
        first = progress.job_label.text()
        assert "Katana shot beauty" in first and first.endswith("0:00")
        qtbot.waitUntil(lambda: progress.job_label.text().endswith("0:01"), timeout=3000)  # the clock runs
        source.step()
        qtbot.waitUntil(lambda: progress.jobs_bar.text().startswith("1 of 2 done"), timeout=5000)
    finally:
        source.step()
        dialog.controller.cancel_run()
    qtbot.waitUntil(lambda: not dialog.controller.is_running, timeout=10000)
    record = dialog.controller.last_run
    assert [j.state for j in record.jobs] == [runs.SUBMITTED, runs.NOT_STARTED]
    assert record.shared_summary.files == 3005
