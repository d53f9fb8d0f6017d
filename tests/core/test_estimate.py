"""The upload estimate against the sandbox: before and after a submit, changed files, no side effects.

The submits go through the shared upload path (``SharedUploadSource``),
which keeps the upload record the estimate reads; ciocore's md5 cache is
the sandbox home's (``database_filepath``).
"""

import json
import os
import time

import pytest

from ciokatana.core import estimate as est
from ciokatana.core import hashing, upload_record
from ciokatana.core.runner import SUCCEEDED, Runner
from ciokatana.core.shared_upload import SharedUploadSource

from shots import make_files, payloads


@pytest.fixture
def shot(tmp_path):
    """Four files, one a copy of another (one content, sent once)."""
    paths = make_files(tmp_path / "show", {"scene.katana": 3000, "tex/a.tx": 50000, "cache/big.abc": 300000})
    twin = str(tmp_path / "show" / "tex" / "a_copy.tx")
    with open(paths[2], "rb") as src, open(twin, "wb") as dst:
        dst.write(src.read())
    return paths + [twin]


def submit(sandbox, jobs):
    source = SharedUploadSource(jobs, database_filepath=sandbox.ciocore_config.database_filepath, url=sandbox.url)
    runner = Runner(source, lambda e: None)
    runner.start()
    assert runner.wait(60) and runner.state == SUCCEEDED, [e.data for e in runner.errors]


def estimate(sandbox, jobs, **kw):
    return est.estimate(jobs, database_filepath=sandbox.ciocore_config.database_filepath, **kw)


def sizes(paths):
    return sum(os.path.getsize(p) for p in paths)


def test_before_a_first_submit_everything_is_to_upload_and_after_it_nothing(ciocore_sandbox, shot):
    sandbox = ciocore_sandbox
    jobs = payloads(2, files=shot)
    before = estimate(sandbox, jobs)
    assert (before.files, before.bytes) == (4, sizes(shot))
    assert (before.held_files, before.held_bytes) == (0, 0)
    assert before.upload_files == 4
    assert before.upload_bytes == sizes(shot[:3])  # the copy is sent once
    assert before.rate is None and before.seconds is None
    assert "no upload measured" in before.summary()

    submit(sandbox, jobs)
    after = estimate(sandbox, jobs)
    assert (after.files, after.bytes) == (4, sizes(shot))
    assert (after.held_files, after.held_bytes) == (4, sizes(shot))
    assert (after.upload_files, after.upload_bytes) == (0, 0)
    assert after.seconds == 0.0 and "nothing left to upload" in after.summary()
    # the submit measured its rate; the estimate reports it
    assert after.rate is not None and after.rate.bytes == sizes(shot[:3]) and after.rate.seconds > 0


def test_a_changed_file_is_counted_again_and_timed_at_the_last_rate(ciocore_sandbox, shot):
    sandbox = ciocore_sandbox
    jobs = payloads(1, files=shot)
    submit(sandbox, jobs)
    with open(shot[1], "r+b") as handle:  # scene.katana (make_files sorts its paths)
        handle.write(b"changed!")
    os.utime(shot[1], (time.time() + 5, time.time() + 5))
    result = estimate(sandbox, jobs)
    assert result.hashed_files == 1 and result.cached_files == 3
    assert (result.held_files, result.upload_files) == (3, 1)
    assert result.upload_bytes == os.path.getsize(shot[1])
    assert result.seconds == pytest.approx(result.upload_bytes / result.rate.bytes_per_second)
    assert "/s (last measured upload)" in result.summary() and "no upload measured" not in result.summary()
    # after submitting the change, nothing is left again
    submit(sandbox, jobs)
    assert estimate(sandbox, jobs).upload_bytes == 0


def test_a_file_the_md5_cache_vouches_for_is_not_hashed_again(ciocore_sandbox, shot, monkeypatch):
    sandbox = ciocore_sandbox
    jobs = payloads(1, files=shot)
    first = estimate(sandbox, jobs)
    assert first.hashed_files == 4 and first.cached_files == 0
    # the first estimate stored its md5s in ciocore's own cache
    infos = [hashing.file_info(p) for p in shot]
    assert set(hashing.cached_md5s(infos, sandbox.ciocore_config.database_filepath)) == set(shot)
    read = []
    real = hashing.hash_file
    monkeypatch.setattr(hashing, "hash_file", lambda path, on_block=None: read.append(path) or real(path, on_block))
    second = estimate(sandbox, jobs)
    assert read == [] and second.hashed_files == 0 and second.cached_files == 4
    # the submit that follows does not hash them either
    submit(sandbox, jobs)
    assert read == []


def test_estimating_starts_no_upload_and_leaves_nothing_on_conductor(ciocore_sandbox, shot):
    sandbox = ciocore_sandbox
    sandbox.multipart_threshold = 100 * 1024  # big.abc would open a multipart upload if asked about
    sandbox.part_size = 100 * 1024
    jobs = payloads(2, files=shot)
    state = sandbox.state()
    seen = len(sandbox.requests)
    estimate(sandbox, jobs)
    assert sandbox.requests[seen:] == []  # not one request: no token, no upload URLs
    assert sandbox.state() == state and sandbox.upload_log == [] and sandbox.jobs == []
    assert not sandbox._sessions  # no upload session (signed URL or multipart) was opened


def test_the_record_holds_md5s_and_sizes_and_no_credential(ciocore_sandbox, shot):
    sandbox = ciocore_sandbox
    submit(sandbox, payloads(1, files=shot))
    path = upload_record.default_path()
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    data = json.loads(text)
    (service,) = data["services"]
    assert service == upload_record.service_key(sandbox.url)
    files = data["services"][service]["files"]
    assert len(files) == 3 and sorted(v[0] for v in files.values()) == sorted(map(os.path.getsize, shot[:3]))
    for secret in [v for v in sandbox.api_key.values() if isinstance(v, str) and len(v) > 8]:
        assert secret not in text
    assert "show" not in text  # no paths either
    # another Conductor (URL) knows nothing of these files
    assert estimate(sandbox, payloads(1, files=shot), url="https://other.example.com").held_files == 0


def test_a_cancelled_estimate_stops_between_blocks_and_keeps_what_it_hashed(ciocore_sandbox, tmp_path):
    sandbox = ciocore_sandbox
    paths = make_files(tmp_path / "big", {"a.bin": 3 << 20, "b.bin": 3 << 20})
    progress = est.Progress()
    calls = []

    def cancelled():
        calls.append(progress.bytes_hashed)
        return progress.bytes_hashed > (1 << 20)

    with pytest.raises(est.Cancelled):
        estimate(sandbox, payloads(1, files=paths), cancelled=cancelled, progress=progress, hash_threads=1)
    assert progress.hashed < 2


def test_missing_paths_are_named_not_counted(ciocore_sandbox, shot, tmp_path):
    gone = str(tmp_path / "nowhere" / "gone.tx")
    result = estimate(ciocore_sandbox, payloads(1, files=shot + [gone]))
    assert result.missing == [gone] and result.files == 4
    assert "1 path(s) missing" in result.summary()
    assert any(line.strip().startswith("Missing:") and gone in line for line in result.lines())


def test_human_duration():
    assert est.human_duration(0.2) == "under 1 s"
    assert est.human_duration(45) == "45 s"
    assert est.human_duration(120) == "2 min"
    assert est.human_duration(75) == "1 min 15 s"
    assert est.human_duration(7300) == "2 h 1 min"


def test_a_corrupt_record_is_replaced_not_fatal(tmp_path):
    path = str(tmp_path / "rec.json")
    with open(path, "w") as handle:
        handle.write("{not json")
    assert len(upload_record.load("https://x.example.com", path)) == 0
    assert upload_record.note([("bWQ1", 10)], 1000, 2.0, url="https://u:pw@x.example.com/?k=1", path=path)
    record = upload_record.load("https://x.example.com", path)
    assert record.holds("bWQ1", 10) and not record.holds("bWQ1", 11)
    assert record.rate.bytes_per_second == 500.0
    with open(path) as handle:
        text = handle.read()
    assert "pw" not in text and "k=1" not in text and "x.example.com" in text
    assert [n for n in os.listdir(str(tmp_path)) if n.startswith(".tmp")] == []


@pytest.mark.parametrize("entry", [
    {"files": ["bWQ1", 10]},  # a list where an object belongs
    {"files": {"bWQ1": {"size": 10}}},  # an object where [size, when] belongs
    {"files": {"bWQ1": None, "b3Rh": [10, 1.0]}},
    {"files": "bWQ1", "rate": {"bytes": "x"}},
])
def test_a_record_of_the_wrong_shape_is_read_as_empty_never_a_crash(tmp_path, entry, shot, capsys):
    """Valid JSON but not the record's shape (hand-edited, another version): the estimate still comes."""
    path = str(tmp_path / "rec.json")
    url = "https://x.example.com"
    with open(path, "w") as handle:
        json.dump({"version": upload_record.VERSION, "services": {upload_record.service_key(url): entry}}, handle)
    record = upload_record.load(url, path)
    assert not record.holds("bWQ1", 10)
    result = est.estimate(payloads(1, files=shot), url=url, record_path=path)
    assert (result.files, result.held_files) == (4, 0)
    # and the next submission can still note what it saw
    assert upload_record.note([("bWQ1", 10)], url=url, path=path)
    assert upload_record.load(url, path).holds("bWQ1", 10)


def test_a_small_upload_does_not_replace_the_rate_a_large_one_measured(tmp_path):
    """A 3 KB upload takes a round trip whatever the link: its 'rate' would time the next 10 GB at days."""
    path = str(tmp_path / "rec.json")
    url = "https://x.example.com"
    assert upload_record.note([("Ymln", 100 << 20)], 100 << 20, 10.0, url=url, path=path, now=1000.0)
    assert upload_record.note([("c21hbGw=", 3000)], 3000, 0.3, url=url, path=path, now=2000.0)
    rate = upload_record.load(url, path).rate
    assert rate.bytes_per_second == pytest.approx((100 << 20) / 10.0) and rate.at == 1000.0
    result = est.Estimate(upload_bytes=10 << 30, upload_files=1, rate=rate)
    assert "about 17 min" in result.time_text()
    # an upload large enough to measure the link replaces it, even when slower (the link changed)
    assert upload_record.note([("bmV3", 32 << 20)], 32 << 20, 16.0, url=url, path=path, now=3000.0)
    assert upload_record.load(url, path).rate.bytes_per_second == pytest.approx(2 << 20)
    # and with no rate yet, any measurement is better than none
    other = "https://y.example.com"
    assert upload_record.note([("c21hbGw=", 3000)], 3000, 0.3, url=other, path=path)
    assert upload_record.load(other, path).rate.bytes == 3000


def test_hashing_progress_never_counts_more_bytes_than_the_files_hold(ciocore_sandbox, tmp_path):
    """ciocore reports whole 64 KB blocks: the last one of a 100,000-byte file reads as 131,072."""
    paths = make_files(tmp_path / "odd", {"a.bin": 100000, "b.bin": 70000})
    progress = est.Progress()
    estimate(ciocore_sandbox, payloads(1, files=paths), progress=progress, hash_threads=1)
    assert progress.hashed == 2 and progress.bytes_hashed == progress.bytes_to_hash == 170000


def test_the_estimate_counts_what_the_submission_then_uploads(ciocore_sandbox, tmp_path):
    """A plan with a folder, a #### sequence, <UDIM> tiles, extra assets (one a copy of a texture) and two
    jobs that share most files and differ in one: the estimate's files, bytes and bytes to send are the
    submission's own start figures and what reached the sandbox."""
    from ciokatana.core.filescene import FileScene
    from ciokatana.core.plan import plan_submission
    from ciokatana.core.settings import Settings

    from conftest_paths import EXAMPLES

    sandbox = ciocore_sandbox
    show = tmp_path / "show"
    make_files(show, {"tex/wood.1001.tx": 30000, "tex/wood.1002.tx": 20000, "cache/sim.0001.abc": 5000,
                      "cache/sim.0002.abc": 6000, "lookdev/a.xml": 700, "lookdev/sub/b.xml": 800,
                      "renders/A/prev.exr": 900, "shot.katana": 1500})
    make_files(tmp_path / "extra", {"notes.txt": 400})
    with open(str(show / "tex" / "wood.1001.tx"), "rb") as src, open(str(tmp_path / "extra" / "copy.tx"), "wb") as dst:
        dst.write(src.read())  # same content under another path: sent once
    settings = FileScene(os.path.join(EXAMPLES, "shot010.json")).load_settings()
    settings.update(extra_assets=[str(tmp_path / "extra")], scout_spec="")

    def node(name):
        return {"name": name, "renderer": "prman", "outputs": [
            {"name": "primary", "enabled": True, "outputLocation": str(show / "renders" / name / "x.####.exr")}]}

    scene = {"katana_file": "shot.katana", "frame_range": {"start": 1, "end": 2},
             "render_nodes": [node("A"), node("B")],
             "assets": ["tex/wood.<UDIM>.tx", "cache/sim.####.abc", "lookdev", "renders/A/prev.exr"],
             "settings": settings}
    path = show / "scene.json"
    path.write_text(json.dumps(scene))
    shot = FileScene(str(path))
    plan = plan_submission(shot.snapshot(), Settings.from_dict(shot.load_settings()))
    assert plan.problem_lines() == [] and len(plan.payloads) == 2
    a, b = (set(p["upload_paths"]) for p in plan.payloads)
    assert b - a == {str(show / "renders" / "A" / "prev.exr")}  # A renders there; B reads it

    before = estimate(sandbox, plan.payloads)
    seen = []
    source = SharedUploadSource(plan.payloads, database_filepath=sandbox.ciocore_config.database_filepath,
                                url=sandbox.url)
    runner = Runner(source, seen.append)
    runner.start()
    assert runner.wait(60) and runner.state == SUCCEEDED, [e.data for e in runner.errors]
    start = seen[0].data
    assert (before.files, before.bytes) == (start["upload_files"], start["upload_bytes"]) == (10, 95300)
    sent = [e for e in sandbox.upload_log if e["stored"]]
    assert (before.upload_bytes, before.upload_files) == (sum(e["size"] for e in sent), 10)
    assert before.upload_bytes == 95300 - 30000  # the copy is not sent again
    after = estimate(sandbox, plan.payloads)
    assert (after.held_files, after.held_bytes, after.upload_bytes) == (10, 95300, 0)


def test_an_unreadable_or_unwritable_record_says_so_and_how_to_fix_it(tmp_path, caplog):
    url = "https://x.example.com"
    folder = tmp_path / "a_folder"  # a folder where the record file should be: neither read nor written
    folder.mkdir()
    with caplog.at_level("WARNING", logger="ciokatana.core.upload_record"):
        assert len(upload_record.load(url, str(folder))) == 0
        assert upload_record.note([("bWQ1", 10)], url=url, path=str(folder)) is False
    messages = [r.getMessage() for r in caplog.records]
    read, write = messages[0], messages[-1]
    assert str(folder) in read and "cannot be read" in read and upload_record.ENV_VAR in read
    assert str(folder) in write and "counts these files as to upload" in write and upload_record.ENV_VAR in write
    assert "Traceback" not in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="ciokatana.core.upload_record"):
        assert len(upload_record.load(url, str(tmp_path / "none_yet.json"))) == 0  # no record yet: no noise
    assert caplog.records == []


def test_with_md5_caching_off_a_stale_cache_entry_is_not_trusted_nor_rewritten_as_the_upload_does(
        ciocore_sandbox, shot):
    """A file rewritten with its size and time kept: ciocore's cache still vouches for its old md5.

    With ``md5_caching`` on, the estimate (like the upload) trusts the cache and says nothing is left to
    upload. With it off, the submission hashes every file and sends the new content: the estimate must
    hash every file too, count that file as to upload, and leave the cache as it was.
    """
    sandbox = ciocore_sandbox
    database = sandbox.ciocore_config.database_filepath
    submit(sandbox, payloads(1, files=shot))
    stat = os.stat(shot[1])  # scene.katana (make_files sorts its paths)
    with open(shot[1], "r+b") as handle:
        handle.write(b"changed!")
    os.utime(shot[1], ns=(stat.st_atime_ns, stat.st_mtime_ns))
    stale = hashing.cached_md5s([hashing.file_info(shot[1])], database)[shot[1]]

    trusting = estimate(sandbox, payloads(1, files=shot))
    assert (trusting.cached_files, trusting.hashed_files, trusting.upload_bytes) == (4, 0, 0)

    jobs = payloads(1, files=shot, md5_caching=False)
    result = estimate(sandbox, jobs)
    assert (result.cached_files, result.hashed_files) == (0, 4)
    assert (result.held_files, result.upload_files) == (3, 1)
    assert result.upload_bytes == os.path.getsize(shot[1])
    assert "0 from ciocore's md5 cache, 4 hashed now" in "\n".join(result.lines())
    # the cache was not written: it still holds the stale md5
    assert hashing.cached_md5s([hashing.file_info(shot[1])], database)[shot[1]] == stale

    # and the submission with caching off sends exactly what the estimate said was left
    seen = len(sandbox.upload_log)
    submit(sandbox, jobs)
    sent = [e for e in sandbox.upload_log[seen:] if e["stored"]]
    assert (len(sent), sum(e["size"] for e in sent)) == (result.upload_files, result.upload_bytes)


def test_a_daemon_job_s_md5_caching_does_not_turn_the_cache_off():
    """Only jobs that upload their own files hash them: the shared upload and the estimate read it alike."""
    assert hashing.md5_caching([{}, {"md5_caching": True}])
    assert not hashing.md5_caching([{}, {"md5_caching": False}])
    assert hashing.md5_caching([{}, {"md5_caching": False, "local_upload": False}])
    assert hashing.md5_caching([])
