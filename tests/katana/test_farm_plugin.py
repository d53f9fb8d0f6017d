"""Conductor in Katana's render menus: the farm plug-in driven as Katana's FarmPluginManager drives it.

Layer: tests/katana (no Qt). The plug-in is loaded the way Katana loads it
(``Plugins/ConductorFarmPlugin.py`` of a resource root) and called only
through the stand-in's ``FarmAPI.FarmPluginManager`` functions, whose names
and signatures are those of the ``types-katana==5.0.5.0`` stubs. Jobs go to
the local Conductor sandbox through ciocore's real code; the sandbox runs
them by its clock (waiting, running with a growing log, done or failed).

A job with files to upload costs about 10 s (ciocore's uploader polls every
5 s); the tests that submit are grouped so that few do.
"""

import json
import os
import sys
import time

import pytest

from ciokatana import post_install
from ciokatana.core.render_log import wait_for
from ciokatana.core.runner import conductor_submit_factory

import katana_scenes as ks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOCAL_KATANA_ROOT = "/opt/local/Katana5.0v5"


def fpm():
    from Katana import FarmAPI

    return FarmAPI.FarmPluginManager


def State():
    from Katana import FarmAPI

    return FarmAPI.Job.State


def shot_settings(**changes):
    with open(os.path.join(ROOT, "examples", "shot010.json")) as handle:
        data = json.load(handle)["settings"]
    data.update(extra_assets=[], frame_spec="", chunk_size=2, scout_spec="")
    data.update(changes)
    return data


@pytest.fixture
def farm(plugin, ksc, tmp_path, monkeypatch):
    """The Conductor farm plug-in loaded from the package's resources (the KATANA_RESOURCES route)."""
    monkeypatch.setenv("CIOKATANA_FARM_DIR", str(tmp_path / "farm"))
    monkeypatch.setenv("KATANA_ROOT", LOCAL_KATANA_ROOT)
    ksc.load_plugins(post_install.resources_dir())
    assert ksc.plugin_load_errors() == [], ksc.plugin_load_errors()
    assert fpm().GetFarmPluginNames() == ["Conductor"]
    from _katana_standin import farmplugins

    instance = farmplugins.instance("Conductor")
    instance.log_interval = 0.1
    instance.state_ttl = 0.05
    yield instance
    if instance._renders is not None:
        instance.renders.close()
    sys.modules.pop("ConductorFarmPlugin", None)


@pytest.fixture
def to_sandbox(farm, ciocore_sandbox):
    """The farm plug-in with ciocore pointed at the sandbox (md5 cache in the test's folder)."""
    farm.submit_factory = conductor_submit_factory(ciocore_sandbox.ciocore_config.database_filepath)
    farm.submit_wait = 60
    return ciocore_sandbox


def shot(folder, ksc, node="beauty", **settings):
    """A saved scene: one Render node writing EXRs, an Alembic cache, Conductor settings, frames 1-4."""
    from ciokatana.katana.scene import KatanaScene

    ks.touch(folder, "caches/hero.abc", size=64)
    geo = ks.alembic(str(folder / "caches/hero.abc"))
    ks.render_node(node, location=str(folder / "renders" / (node + ".####.exr")), upstream=geo)
    KatanaScene().store_settings(shot_settings(**settings))
    ksc.set_scene_frame_range(1, 4)
    return ks.save(folder / "shot.katana")


def disk_render(node, kind="diskRender", files=("op_tree.optree", "render_settings.xml")):
    """What Katana does for Conductor > Disk Render, one renderboot command per frame of the node.

    Returns (job id, context, remote render dir, remote render files, commands).
    """
    manager = fpm()
    context = manager.CreateRenderContextName()
    remote_dir = manager.CreateTemporaryDirectory(context)
    from _katana_standin import state

    local_tmp = state.ensure_temp_dir()
    local_files = []
    for name in files:
        path = os.path.join(local_tmp, name)
        with open(path, "w") as handle:
            handle.write("katana render file {} for {}\n".format(name, context))
        local_files.append(path)
    remote_files = manager.CopyRenderFiles(local_files, context)
    from _katana_standin import farmplugins

    frames = farmplugins.frames_of(node)  # what the stand-in's SubmitJob puts in the JobRequest
    local_commands = [
        "{}/bin/renderboot -renderMethodType {} -renderer prman -frame {} -geolib3OpTree {}".format(
            LOCAL_KATANA_ROOT, kind, frame, local_files[0])
        for frame in frames
    ]
    commands = [manager.PrepareRemoteCommand(c, context, remote_dir) for c in local_commands]
    jobid = manager.SubmitJob(node, context, remote_dir, commands)
    return jobid, context, remote_dir, remote_files, commands


def states_until_finished(jobid, timeout=20):
    seen = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        state = fpm().GetJobState(jobid)
        if not seen or seen[-1] != state:
            seen.append(state)
        if state in (State().kCompleted, State().kFailed, State().kCancelled):
            break
        time.sleep(0.05)
    return seen


def read(path):
    with open(path) as handle:
        return handle.read()


# -- the whole flow -------------------------------------------------------------------------------


def test_disk_render_on_conductor_from_request_to_restart(to_sandbox, ksc, tmp_path):
    sandbox = to_sandbox
    scene = shot(tmp_path, ksc)
    sandbox.run_jobs(wait=1.0, run=2.5, lines_per_second=8)

    jobid, context, remote_dir, remote_files, commands = disk_render("beauty")

    # The temporary directory and the copied files are what Conductor uploads,
    # under the paths the render node sees.
    assert os.path.isdir(remote_dir) and remote_dir.startswith(str(tmp_path / "farm"))
    assert remote_files == [remote_dir + "/op_tree.optree", remote_dir + "/render_settings.xml"]
    assert all(os.path.isfile(f) for f in remote_files)
    assert jobid == "00001"
    payload = sandbox.jobs[0]["payload"]
    uploaded = {f["destination"] for f in payload["upload_files"]}
    assert set(remote_files) <= uploaded
    assert str(tmp_path / "caches/hero.abc") in uploaded and scene in uploaded
    # Katana's commands, with the remote temp dir and Katana root, chunked by the node's chunk size (2).
    assert [t["frames"] for t in payload["tasks_data"]] == ["1-2", "3-4"]
    assert payload["tasks_data"][0]["command"] == " && ".join(commands[:2])
    assert "/opt/foundry/katana/katana7.0v4/bin/renderboot" in payload["tasks_data"][1]["command"]
    assert remote_dir + "/op_tree.optree" in payload["tasks_data"][1]["command"]
    # Settings, packages and environment are the ConductorRender node's, as in the dialog.
    assert payload["project"] == "Episode 104" and payload["instance_type"] == "n2-standard-8"
    assert payload["job_title"] == "Katana shot beauty"
    assert payload["environment"]["KATANA_ROOT"] == "/opt/foundry/katana/katana7.0v4"
    assert payload["environment"]["SHOT"] == "shot010"
    assert payload["metadata"]["katana_render_context"] == context
    assert payload["output_path"] == str(tmp_path / "renders")

    # The job is in Katana's job list, then waits, runs and completes.
    listed = {job.jobId: job for job in fpm().GetJobs()}
    assert listed[jobid].name == "Katana shot beauty [Conductor 00001]"
    assert listed[jobid].state == State().kWaiting
    log_path = fpm().GetRenderLogFilename(jobid)
    assert os.path.isfile(log_path)
    sizes = []
    seen = []
    deadline = time.time() + 20
    while time.time() < deadline:
        state = fpm().GetJobState(jobid)
        sizes.append(os.path.getsize(log_path))
        if not seen or seen[-1] != state:
            seen.append(state)
        if state == State().kCompleted:
            break
        time.sleep(0.1)
    assert seen == [State().kWaiting, State().kRunning, State().kCompleted]
    # The render log exists from the start and grows while the job runs.
    assert len(set(sizes)) >= 4 and sizes == sorted(sizes)
    assert wait_for(lambda: "=== Conductor job 00001 completed" in read(log_path), 10)
    text = read(log_path)
    assert "Katana node: beauty   frames: 1-4" in text
    assert "[task 001] Task complete." in text
    job = {j.jobId: j for j in fpm().GetJobs()}[jobid]
    assert job.state == State().kCompleted and job.endTime >= job.startTime > 0
    assert job.renderLogFilename == log_path

    # Restart: a new Conductor job with the same tasks, under the same Katana id.
    sandbox.run_jobs(wait=0.3, run=30, lines_per_second=4)
    fpm().StartJob(jobid)
    assert fpm().GetJobState(jobid) == State().kWaiting
    assert wait_for(lambda: fpm().GetJobState(jobid) == State().kRunning, 30)
    assert [j["jobid"] for j in sandbox.jobs] == ["00001", "00002"]
    assert sandbox.jobs[1]["payload"]["tasks_data"] == payload["tasks_data"]
    # Nothing was uploaded twice.
    assert all(e["stored"] for e in sandbox.upload_log)
    assert len(sandbox.upload_log) == len({e["md5"] for e in sandbox.upload_log})

    # Stop: Conductor kills it; the log says so.
    fpm().StopJob(jobid)
    assert wait_for(lambda: fpm().GetJobState(jobid) == State().kCancelled, 10)
    assert sandbox.jobs[1]["status"] == "killed"
    assert wait_for(lambda: "=== Conductor job 00002 cancelled" in read(log_path), 10)
    text = read(log_path)
    assert "=== restart: run 2" in text and "Conductor was told to kill job 00002" in text
    assert [j.jobId for j in fpm().GetJobs()] == [jobid], "listed once, under the id Katana keeps"
    assert fpm().GetJobs([State().kCancelled])[0].jobId == jobid
    assert fpm().GetJobs([State().kRunning]) == []

    # No credential anywhere Katana shows.
    key = sandbox.api_key["private_key"]
    assert key not in text and "Bearer" not in text


def test_failed_job(to_sandbox, ksc, tmp_path):
    shot(tmp_path, ksc, node="broken")
    ksc.set_scene_frame_range(1, 1)
    to_sandbox.run_jobs(wait=0.2, run=0.5, fail_titles=["broken"])
    jobid, _context, _dir, _files, _commands = disk_render("broken")
    assert to_sandbox.jobs[0]["payload"]["tasks_data"][0]["frames"] == "1"
    seen = states_until_finished(jobid)
    assert seen[-1] == State().kFailed
    log_path = fpm().GetRenderLogFilename(jobid)
    assert wait_for(lambda: "[task 000] Exit code 1" in read(log_path), 10)
    assert "failed (status: failed)" in read(log_path)


# -- refusals and bad input -----------------------------------------------------------------------


def test_preview_and_live_renders_are_refused_with_the_reason(farm, ksc, tmp_path):
    from Katana import FarmAPI

    shot(tmp_path, ksc)
    for kind, label in (("previewRender", "Preview Render"), ("liveRender", "Live Render")):
        with pytest.raises(FarmAPI.FarmPluginException) as err:
            disk_render("beauty", kind=kind)
        message = str(err.value)
        assert label in message and "Catalog Server" in message and "Disk Render" in message
    assert os.listdir(str(tmp_path / "farm" / "renders")) == [], "the render files were discarded"


def test_unknown_job_ids(to_sandbox, farm):
    from Katana import FarmAPI

    for call in (fpm().GetJobState, fpm().GetRenderLogFilename, fpm().StopJob, fpm().StartJob):
        with pytest.raises(FarmAPI.JobNotFoundException) as err:
            call("00077")
        assert err.value.jobId == "00077"
        with pytest.raises(FarmAPI.JobNotFoundException):
            call("render_12")


def test_a_hung_service_gives_an_error_within_the_time_limit(to_sandbox, farm, ksc, tmp_path):
    from Katana import FarmAPI
    from ciokatana.core.jobs import JobService

    shot(tmp_path, ksc)
    farm.service = JobService(timeout=0.5)
    to_sandbox.faults.add("job_list", hang=True, times=None)
    for call, args in ((fpm().GetJobs, ()), (fpm().GetJobState, ("00001",)),
                       (fpm().GetRenderLogFilename, ("00001",))):
        started = time.time()
        with pytest.raises(FarmAPI.FarmPluginException) as err:
            call(*args)
        assert time.time() - started < 2.0
        assert "did not answer within 0.5 s" in str(err.value) or "has not answered" in str(err.value)
    to_sandbox.faults.clear()
    to_sandbox.release()


def test_a_hung_upload_never_holds_katana_and_can_be_stopped(to_sandbox, farm, ksc, tmp_path):
    shot(tmp_path, ksc)
    farm.submit_wait = 0.5
    to_sandbox.faults.add("upload_urls", hang=True, times=None)
    started = time.time()
    jobid, _context, _dir, _files, _commands = disk_render("beauty")
    assert time.time() - started < 3.0
    assert jobid.startswith("conductor-upload-")
    assert fpm().GetJobState(jobid) == State().kWaiting
    assert [j.name for j in fpm().GetJobs()] == ["Katana shot beauty [uploading to Conductor]"]
    log_path = fpm().GetRenderLogFilename(jobid)
    assert "still uploading after 0.5 s" in read(log_path)
    fpm().StopJob(jobid)
    assert wait_for(lambda: fpm().GetJobState(jobid) == State().kCancelled, 5)
    assert "stopped before Conductor created the job" in read(log_path)
    assert to_sandbox.jobs == []
    to_sandbox.faults.clear()
    to_sandbox.release()


def test_settings_problems_are_refused_before_anything_is_sent(to_sandbox, farm, ksc, tmp_path):
    from Katana import FarmAPI

    shot(tmp_path, ksc, project="", chunk_size="two")
    with pytest.raises(FarmAPI.FarmPluginException) as err:
        disk_render("beauty")
    message = str(err.value)
    assert "beauty was not submitted" in message and "Project" in message and "chunk" in message.lower()
    assert to_sandbox.jobs == []


def test_no_conductor_settings_in_the_scene(farm, ksc, tmp_path):
    from Katana import FarmAPI

    ks.render_node("beauty", location=str(tmp_path / "renders/beauty.####.exr"))
    with pytest.raises(FarmAPI.FarmPluginException, match="no ConductorRender node"):
        disk_render("beauty")
    with pytest.raises(FarmAPI.FarmPluginException, match="Util > Conductor"):
        fpm().PrepareRemoteCommand("renderboot", "render_1", "/tmp/x")


def test_only_render_nodes_and_only_with_credentials(farm, ksc, tmp_path, monkeypatch):
    from Katana import FarmAPI

    shot(tmp_path, ksc)
    with pytest.raises(FarmAPI.FarmPluginException, match="geo is of type Alembic_In; Conductor submits Render nodes"):
        fpm().SubmitJob("geo", "render_1", "/tmp/x", ["renderboot -frame 1"])
    for name in ("CONDUCTOR_API_KEY", "CONDUCTOR_API_KEY_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with pytest.raises(FarmAPI.FarmPluginException) as err:
        disk_render("beauty")
    assert "no Conductor credentials" in str(err.value) and "CONDUCTOR_API_KEY" in str(err.value)


def test_installation_metadata_and_environment_come_from_the_chosen_packages(farm, ksc, tmp_path):
    shot(tmp_path, ksc)
    meta = farm.getRemoteInstallationMetadata()
    assert meta.katanaRoot == "/opt/foundry/katana/katana7.0v4"
    assert meta.renderPluginDsoPaths == ["/opt/pixar/RenderManForKatana-26.3/plugins/katana7/Libs"]
    assert meta.renderbootCommand is None
    env = farm.getEnvironmentForJob("render_1")
    assert env["KATANA_ROOT"] == "/opt/foundry/katana/katana7.0v4"
    assert env["SHOW"] == "demo"
    assert "/opt/pixar/RenderManProServer-26.3/bin" in env["PATH"]

    from Katana import FarmAPI
    from ciokatana.katana.scene import KatanaScene

    KatanaScene().store_settings(shot_settings(software=[]))
    with pytest.raises(FarmAPI.FarmPluginException, match="no Katana version is chosen"):
        farm.getRemoteInstallationMetadata()


# -- frames and commands --------------------------------------------------------------------------


def test_commands_become_tasks_chunked_by_the_node():
    from ciokatana.core.frames import chunks as chunked, parse_frames
    from ciokatana.katana.farm_plugin import katana_tasks

    chunks = chunked(parse_frames("1-5"), 2)
    per_frame = ["render -frame %d" % f for f in range(1, 6)]
    tasks, note = katana_tasks([1, 2, 3, 4, 5], per_frame, chunks)
    assert [t["frames"] for t in tasks] == ["1-2", "3-4", "5"]
    assert tasks[1]["command"] == "render -frame 3 && render -frame 4" and note == ""

    spelled = ["prepare -t 1-5", "render -t 1-5 --out x"]
    tasks, note = katana_tasks([1, 2, 3, 4, 5], spelled, chunks)
    assert [t["command"] for t in tasks] == [
        "prepare -t 1-2 && render -t 1-2 --out x",
        "prepare -t 3-4 && render -t 3-4 --out x",
        "prepare -t 5 && render -t 5 --out x",
    ]

    opaque = ["prepare", "render everything"]
    tasks, note = katana_tasks([1, 2, 3, 4, 5], opaque, chunks)
    assert tasks == [{"command": "prepare && render everything", "frames": "1-5"}]
    assert "chunk size could not be applied" in note

    tasks, note = katana_tasks([7], ["render -frame 7"], chunked(parse_frames("7"), 2))
    assert tasks == [{"command": "render -frame 7", "frames": "7"}] and note == ""


# -- installation ---------------------------------------------------------------------------------


def test_install_writes_the_farm_plugin_and_uninstall_removes_it(tmp_path, ksc):
    target = tmp_path / "res"
    post_install.install(str(target))
    path = target / "Plugins" / "ConductorFarmPlugin.py"
    text = path.read_text()
    assert post_install.MARKER in text and "CIOKATANA_PARENT = {!r}".format(ROOT) in text
    ksc.load_plugins(str(target))
    try:
        assert ksc.plugin_load_errors() == []
        assert fpm().GetFarmPluginNames() == ["Conductor"]
    finally:
        sys.modules.pop("ConductorFarmPlugin", None)
    actions = post_install.uninstall(str(target))
    assert ("removed", "Plugins/ConductorFarmPlugin.py", "") in actions
    assert not (target / "Plugins").exists()


def test_the_shipped_plugin_file_registers_conductor(ksc):
    path = os.path.join(post_install.resources_dir(), "Plugins", "ConductorFarmPlugin.py")
    assert post_install.is_ours(path)
    ksc.load_plugins(post_install.resources_dir())
    try:
        from ciokatana.katana.farm_plugin import ConductorFarmPlugin

        assert fpm().GetFarmPluginNames() == ["Conductor"]
        from Katana import FarmAPI

        assert issubclass(ConductorFarmPlugin, FarmAPI.BaseFarmPlugin)
    finally:
        sys.modules.pop("ConductorFarmPlugin", None)
