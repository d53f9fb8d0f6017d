"""Batch submission from ``katana --script``: refusal on errors, a fake run, the sandbox.

Layer: tests/katana (no Qt). The sandbox job uploads two small files (on
ciocore's per-job path it takes about 10 s: its uploader polls every 5 s);
the other tests submit nothing or through a fake ``Submit``.
"""

import io
import json
import os
import subprocess
import sys

import pytest

from ciokatana.core.settings import Settings
from ciokatana.katana import batch
from ciokatana.katana.scene import KatanaScene

import katana_scenes as ks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STANDIN = os.path.join(ROOT, "tests", "katana_standin")


def shot_settings(**changes):
    with open(os.path.join(ROOT, "examples", "shot010.json")) as handle:
        data = json.load(handle)["settings"]
    data.update(extra_assets=[], frame_spec="1-2", chunk_size=2, scout_spec="")
    data.update(changes)
    return data


def small_scene(folder, settings):
    ks.touch(folder, "caches/hero.abc", size=64)
    geo = ks.alembic(str(folder / "caches/hero.abc"))
    ks.render_node("beauty", location=str(folder / "renders/beauty.####.exr"), upstream=geo)
    KatanaScene().store_settings(settings)
    return ks.save(folder / "shot.katana")


class FakeSubmit(object):
    made = []

    def __init__(self, payload):
        self.payload = payload
        self.progress_handler = None
        FakeSubmit.made.append(payload)

    def main(self):
        return {"jobid": "0000{}".format(len(FakeSubmit.made)), "status": "success", "uri": "/jobs/x"}, 201

    def stop_work(self):
        pass


@pytest.fixture(autouse=True)
def fresh_fake():
    FakeSubmit.made = []


def test_batch_submits_through_the_runner_and_returns_results(plugin, tmp_path):
    small_scene(tmp_path, shot_settings())
    out, err = io.StringIO(), io.StringIO()
    result = batch.submit(stream=out, err=err, submit_factory=FakeSubmit, check_credentials=False)
    assert result.ok and result.state == "succeeded"
    assert [(r.title, r.jobid) for r in result.results] == [("Katana shot beauty", "00001")]
    [payload] = FakeSubmit.made
    assert payload["project"] == "Episode 104"
    assert [t["frames"] for t in payload["tasks_data"]] == ["1-2"]
    assert str(tmp_path / "caches/hero.abc") in payload["upload_paths"]
    text = out.getvalue()
    assert "Submitting 1 job(s) to Conductor" in text
    assert "OK        Katana shot beauty" in text


def test_batch_submits_the_named_render_nodes(plugin, tmp_path):
    small_scene(tmp_path, shot_settings())
    ks.render_node("shadow", location=str(tmp_path / "renders/shadow.####.exr"))
    ks.save(tmp_path / "shot.katana")
    result = batch.submit(nodes=["shadow"], stream=io.StringIO(), err=io.StringIO(), submit_factory=FakeSubmit,
                          check_credentials=False)
    assert [r.title for r in result.results] == ["Katana shot shadow"]


def test_batch_refuses_validation_errors_and_lists_them(plugin, tmp_path):
    small_scene(tmp_path, shot_settings(project="", instance_type=""))
    with pytest.raises(batch.BatchSubmitError) as caught:
        batch.submit(stream=io.StringIO(), err=io.StringIO(), submit_factory=FakeSubmit, check_credentials=False)
    message = str(caught.value)
    assert message.startswith("Conductor: not submitted, 2 error(s):")
    assert "Setting 'Project': is empty" in message
    assert "Instance" in message
    assert {f.rule for f in caught.value.findings} >= {"no_project"}
    assert FakeSubmit.made == []


def test_batch_refuses_an_unsaved_scene(plugin):
    ks.render_node("beauty", location="/renders/b.####.exr")
    KatanaScene().store_settings(shot_settings())
    with pytest.raises(batch.BatchSubmitError, match="never been saved"):
        batch.submit(stream=io.StringIO(), err=io.StringIO(), submit_factory=FakeSubmit, check_credentials=False)


def test_batch_warnings_are_printed_not_fatal(plugin, tmp_path):
    small_scene(tmp_path, shot_settings())
    ks.alembic(str(tmp_path / "caches/gone.abc"), name="gone")  # missing file, and the scene is now dirty
    err = io.StringIO()
    result = batch.submit(stream=io.StringIO(), err=err, submit_factory=FakeSubmit, check_credentials=False)
    assert result.ok
    assert "warning: Scene: has unsaved changes" in err.getvalue()
    assert "warning: Assets: 1 path(s) name no file on disk" in err.getvalue()


def test_batch_needs_settings(plugin, tmp_path):
    ks.render_node("beauty", location="/renders/b.####.exr")
    ks.save(tmp_path / "shot.katana")
    with pytest.raises(batch.BatchSubmitError, match="no ConductorRender node"):
        batch.submit(stream=io.StringIO(), err=io.StringIO(), submit_factory=FakeSubmit, check_credentials=False)
    # ... unless the pipeline passes them.
    result = batch.submit(settings=Settings.from_dict(shot_settings()), stream=io.StringIO(), err=io.StringIO(),
                          submit_factory=FakeSubmit, check_credentials=False)
    assert result.ok


def test_batch_without_credentials_refuses_early(plugin, tmp_path, monkeypatch):
    from ciokatana.core import conductor

    def no_creds():
        raise conductor.ConductorError("no Conductor credentials: set CONDUCTOR_API_KEY")

    monkeypatch.setattr(conductor, "check_credentials", no_creds)
    small_scene(tmp_path, shot_settings())
    with pytest.raises(batch.BatchSubmitError, match="no Conductor credentials"):
        batch.submit(stream=io.StringIO(), err=io.StringIO(), submit_factory=FakeSubmit)
    assert FakeSubmit.made == []


@pytest.mark.parametrize("uploader", ["shared", pytest.param("stock", marks=pytest.mark.slow)])
def test_batch_submits_one_job_to_the_sandbox(plugin, tmp_path, ciocore_sandbox, uploader):
    sandbox = ciocore_sandbox
    scene_path = small_scene(tmp_path, shot_settings())
    out = io.StringIO()
    result = batch.submit(stream=out, err=io.StringIO(), uploader=uploader, timeout=30,
                          database_filepath=sandbox.ciocore_config.database_filepath)
    assert result.ok, (result.errors, out.getvalue())
    [job] = sandbox.jobs
    assert result.results[0].jobid == job["jobid"]
    uploaded = sorted(f["destination"] for f in job["payload"]["upload_files"])
    assert uploaded == sorted([scene_path, str(tmp_path / "caches/hero.abc")])
    assert job["payload"]["output_path"] == str(tmp_path / "renders")
    assert "submitted as job {}".format(job["jobid"]) in out.getvalue()


def test_batch_gives_up_on_a_silent_service_after_its_timeout(plugin, tmp_path, ciocore_sandbox):
    """An unattended katana --script step never blocks for ever."""
    import time

    ciocore_sandbox.faults.add("jobs", hang=True, times=None)
    small_scene(tmp_path, shot_settings())
    started = time.monotonic()
    result = batch.submit(stream=io.StringIO(), err=io.StringIO(), timeout=1,
                          database_filepath=ciocore_sandbox.ciocore_config.database_filepath)
    assert time.monotonic() - started < 6.0
    assert not result.ok and result.results[0].status == "may_exist"
    assert result.errors[0]["may_exist"] is True
    ciocore_sandbox.release()


@pytest.mark.parametrize("kwargs, message", [({"timeout": 0}, "timeout=0"), ({"timeout": "soon"}, "timeout='soon'"),
                                             ({"uploader": "fast"}, "uploader='fast'")])
def test_batch_refuses_a_bad_timeout_or_uploader(plugin, tmp_path, kwargs, message):
    small_scene(tmp_path, shot_settings())
    with pytest.raises(batch.BatchSubmitError, match=message):
        batch.submit(stream=io.StringIO(), err=io.StringIO(), check_credentials=False, **kwargs)


def test_batch_imports_no_qt(tmp_path):
    """The whole batch path, in script mode, in a fresh process: no binding, no ciokatana.qt."""
    code = (
        "import io, sys\n"
        "sys.path.insert(0, {standin!r}); sys.path.insert(0, {tests!r})\n"
        "import katana_standin_control as ksc\n"
        "from ciokatana import post_install\n"
        "ksc.set_launch_mode('script')\n"
        "post_install.install({res!r})\n"
        "assert ksc.load_superTools({res!r}) == ['ConductorRender']\n"
        "ksc.fire_startup()\n"
        "import katana_scenes as ks\n"
        "from ciokatana.katana import batch\n"
        "from ciokatana.katana.scene import KatanaScene\n"
        "ks.render_node('beauty', location='/renders/b.####.exr')\n"
        "KatanaScene().store_settings({{}})\n"
        "ks.save({scene!r})\n"
        "try:\n"
        "    batch.submit(stream=io.StringIO(), err=io.StringIO(), check_credentials=False)\n"
        "except batch.BatchSubmitError as err:\n"
        "    assert 'not submitted' in str(err), err\n"
        "else:\n"
        "    raise AssertionError('expected a refusal')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PyQt5', 'PySide2', 'PySide6', 'qtpy') "
        "or m == 'ciokatana.qt']\n"
        "assert not bad, bad\n"
    ).format(standin=STANDIN, tests=os.path.dirname(os.path.abspath(__file__)), res=str(tmp_path / "res"),
             scene=str(tmp_path / "shot.katana"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
