"""Conductor in Katana's render menus: the farm plug-in driven as Katana's FarmPluginManager drives it.

Layer: tests/katana (no Qt). The plug-in is loaded the way Katana loads it
(``Plugins/ConductorFarmPlugin.py`` of a resource root) and called only
through the stand-in's ``FarmAPI.FarmPluginManager`` functions, whose names
and signatures are those of the ``types-katana==5.0.5.0`` stubs. Jobs go to
the local Conductor sandbox through ciocore's real code; the sandbox runs
them by its clock (waiting, running with a growing log, done or failed).

The shared upload (the default) sends files at once; the tests that submit
are still grouped so that few do. The second half checks the plug-in on the
one submission pipeline: variable sets, the node's timeout, jobs that may
have been created, failed uploads, and how long Katana's UI thread is held.
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


# == on the one submission pipeline: variable sets, timeouts, "may have been created", faults ==


def define_variables(**values):
    """The project's Graph State Variables with their current values (root ``variables`` parameter)."""
    from Katana import NodegraphAPI

    root = NodegraphAPI.GetRootNode().getParameters()
    group = root.getChild("variables") or root.createChildGroup("variables")
    for name, value in values.items():
        variable = group.getChild(name) or group.createChildGroup(name)
        (variable.getChild("value") or variable.createChildString("value", "")).setValue(value, 0)


def with_sets(name, *sets):
    from ciokatana.core.scene import FarmSettings
    from ciokatana.katana.scene import KatanaScene

    KatanaScene(nodes=[name]).set_farm_settings(name, FarmSettings(var_sets=tuple(sets)))


SETS = ((("shot", "010"),), (("shot", "020"),))


# -- variable sets -------------------------------------------------------------------------------


def test_a_node_with_variable_sets_submits_the_set_of_the_current_graph_state(to_sandbox, farm, ksc, tmp_path):
    shot(tmp_path, ksc)
    with_sets("beauty", *SETS)
    define_variables(shot="020")
    jobid, _context, _dir, _files, _commands = disk_render("beauty")
    assert jobid == "00001"
    (job,) = to_sandbox.jobs
    assert job["payload"]["job_title"] == "Katana shot beauty [shot=020]"
    assert [j.name for j in fpm().GetJobs()] == ["Katana shot beauty [shot=020] [Conductor 00001]"]
    assert "Graph State Variables: shot=020" in read(fpm().GetRenderLogFilename(jobid))


def test_commands_naming_the_variables_decide_the_set():
    from ciokatana.katana.farm_plugin import choose_var_set

    assert choose_var_set("beauty", SETS, ["renderboot -frame 1 --var shot=010"], {"shot": "020"}) == SETS[0]
    assert choose_var_set("beauty", SETS, ["renderboot '--var=shot=020'"], None) == SETS[1]
    assert choose_var_set("beauty", (), ["renderboot"], None) == ()
    assert choose_var_set("beauty", SETS[:1], ["renderboot"], None) == SETS[0], "one set, nothing against it"


@pytest.mark.parametrize("state, why", [
    (None, "cannot be read here"),
    ({"shot": "030"}, "(shot=030) match none of them"),
    ({}, "(shot unset) match none of them"),
])
def test_a_set_that_cannot_be_told_is_refused_naming_the_choices(farm, ksc, tmp_path, state, why):
    from Katana import FarmAPI

    shot(tmp_path, ksc)
    with_sets("beauty", *SETS)
    if state is not None:
        define_variables(**state)
    with pytest.raises(FarmAPI.FarmPluginException) as err:
        disk_render("beauty")
    message = str(err.value)
    assert "beauty has 2 Conductor variable sets (shot=010; shot=020)" in message
    assert why in message and "Graph State Variables" in message and "Conductor dialog" in message


def test_two_matching_sets_are_refused_too():
    from Katana import FarmAPI
    from ciokatana.katana.farm_plugin import choose_var_set

    sets = ((("shot", "010"),), (("shot", "010"), ("variant", "a")))
    with pytest.raises(FarmAPI.FarmPluginException, match=r"several of them \(shot=010; shot=010,variant=a\)"):
        choose_var_set("beauty", sets, [], {"shot": "010", "variant": "a"})


# -- the settings' timeout, and a job that may have been created ---------------------------------


def test_a_job_creation_with_no_answer_is_may_have_been_created_never_resubmitted(to_sandbox, farm, ksc, tmp_path):
    """Job creation hangs: the settings' timeout (2 s) ends it as 'may have been created'; a restart
    is refused (it would make a second job); when the job appears on Conductor, it is adopted."""
    from Katana import FarmAPI

    shot(tmp_path, ksc, timeout=2.0)
    farm.submit_wait = 0.5
    to_sandbox.run_jobs(wait=30, run=30)
    to_sandbox.faults.add("jobs", hang=True, times=1)
    started = time.time()
    jobid = disk_render("beauty")[0]
    assert time.time() - started < 3.0, "Katana is held no longer than the submit wait"
    assert jobid.startswith("conductor-upload-")
    # The settings' timeout (2 s), not the default 120 s, ends the wait for Conductor's answer.
    assert wait_for(lambda: fpm().GetJobState(jobid) == State().kFailed, 8)
    log_path = fpm().GetRenderLogFilename(jobid)
    assert "Conductor may have created it" in read(log_path)
    assert [j.name for j in fpm().GetJobs()] == ["Katana shot beauty [may have been created: check the dashboard]"]
    with pytest.raises(FarmAPI.FarmPluginException) as err:
        fpm().StartJob(jobid)
    assert "restarting would send it a second time" in str(err.value)
    fpm().StopJob(jobid)  # nothing known to stop: said in the log, no error
    assert "does not show this job" in read(log_path)
    to_sandbox.faults.add("job_list", hang=True, times=1)  # the job list cannot be read: the state stays known
    time.sleep(0.1)
    started = time.time()
    assert fpm().GetJobState(jobid) == State().kFailed
    assert time.time() - started < 3.0

    to_sandbox.release()  # Conductor answers the held request: the job exists after all
    assert wait_for(lambda: len(to_sandbox.jobs) == 1, 5)
    assert wait_for(lambda: fpm().GetJobState(jobid) == State().kWaiting, 5)
    assert [j.name for j in fpm().GetJobs()] == ["Katana shot beauty [Conductor 00001]"]
    assert "the job was created after all" in read(log_path)
    with pytest.raises(FarmAPI.FarmPluginException, match="still waiting; stop it first"):
        fpm().StartJob(jobid)
    assert len(to_sandbox.jobs) == 1, "never a second job"
    fpm().StopJob(jobid)
    assert wait_for(lambda: fpm().GetJobState(jobid) == State().kCancelled, 5)
    to_sandbox.faults.clear()


def test_a_lost_answer_within_the_wait_is_said_at_once_and_the_job_kept(to_sandbox, farm, ksc, tmp_path):
    from Katana import FarmAPI

    shot(tmp_path, ksc)
    to_sandbox.run_jobs(wait=30, run=30)
    to_sandbox.faults.add("jobs", lose_answer=True, times=1)
    with pytest.raises(FarmAPI.FarmPluginException) as err:
        disk_render("beauty")
    message = str(err.value)
    assert "Conductor may have created it" in message and "dashboard" in message
    (job,) = fpm().GetJobs()
    assert job.name == "Katana shot beauty [Conductor 00001]"
    assert job.jobId.startswith("conductor-upload-"), "this session's render, found on Conductor"
    assert "Katana node: beauty" in read(job.renderLogFilename)
    assert len(to_sandbox.jobs) == 1


# -- credentials ---------------------------------------------------------------------------------


def test_service_errors_quoting_the_key_reach_katana_masked(to_sandbox, farm):
    from Katana import FarmAPI

    key = to_sandbox.api_key["private_key"]
    to_sandbox.faults.add("job_list", status=500, message="internal error for key " + key, times=None)
    for call, args in ((fpm().GetJobs, ()), (fpm().GetJobState, ("00001",))):
        with pytest.raises(FarmAPI.FarmPluginException) as err:
            call(*args)
        assert "500" in str(err.value) and key not in str(err.value)
    to_sandbox.faults.clear()


def test_constructing_the_plugin_installs_log_masking(tmp_path):
    """Katana may construct the farm plug-in in a session where nothing else of ciokatana ran."""
    import subprocess

    from test_log_masking import CHECK, HERE, KEY, ROOT, SETUP, STANDIN

    body = (
        "from ciokatana import post_install\n"
        "ksc.load_plugins(post_install.resources_dir())\n"
        "from Katana import FarmAPI\n"
        "assert FarmAPI.FarmPluginManager.GetFarmPluginNames() == ['Conductor']\n"
        "from _katana_standin import farmplugins\n"
        "farmplugins.instance('Conductor')\n"
    )
    env = dict(os.environ, CONDUCTOR_API_KEY=json.dumps(KEY), CIOKATANA_FARM_DIR=str(tmp_path / "farm"))
    done = subprocess.run([sys.executable, "-c", SETUP.format(standin=STANDIN, tests=HERE) + body + CHECK],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr


# -- Katana's UI thread is held at most a short while ----------------------------------------------


def test_a_hung_job_list_holds_katana_about_two_seconds_not_the_farm_timeout(to_sandbox, farm, monkeypatch):
    from Katana import FarmAPI

    monkeypatch.delenv("CIOKATANA_FARM_WAIT", raising=False)
    monkeypatch.delenv("CIOKATANA_FARM_TIMEOUT", raising=False)  # 10 s: a request's own limit
    to_sandbox.faults.add("job_list", hang=True, times=None)
    to_sandbox.faults.add("kill_jobs", hang=True, times=None)
    for call, args in ((fpm().GetJobs, ()), (fpm().GetJobState, ("00001",)), (fpm().StopJob, ("00001",))):
        started = time.time()
        with pytest.raises(FarmAPI.FarmPluginException) as err:
            call(*args)
        assert time.time() - started < 3.0
        assert "has not answered in 2 s" in str(err.value) and "still asking in the background" in str(err.value)
    started = time.time()
    with pytest.raises(FarmAPI.FarmPluginException, match="still asking in the background"):
        fpm().GetJobs()
    assert time.time() - started < 0.5, "a request already waited for is not waited for again"
    to_sandbox.faults.clear()
    to_sandbox.release()


def test_a_slow_answer_serves_the_next_call(to_sandbox, farm):
    """Conductor answers in 1.5 s, Katana waits 0.5 s: the first call is told to try again, the next
    one gets that answer instead of asking again (and waiting again) for ever."""
    from Katana import FarmAPI

    to_sandbox.faults.add("job_list", delay=1.5, times=None)
    os.environ["CIOKATANA_FARM_WAIT"] = "0.5"
    try:
        with pytest.raises(FarmAPI.FarmPluginException, match="still asking in the background"):
            fpm().GetJobs()
    finally:
        del os.environ["CIOKATANA_FARM_WAIT"]
    time.sleep(1.5)
    started = time.time()
    assert fpm().GetJobs() == []
    assert time.time() - started < 0.3
    to_sandbox.faults.clear()


# -- faults during the send ----------------------------------------------------------------------


def test_a_failed_upload_is_refused_with_the_reason_and_nothing_is_created(to_sandbox, farm, ksc, tmp_path):
    from Katana import FarmAPI

    shot(tmp_path, ksc)
    to_sandbox.faults.add("upload", status=500, times=None)
    with pytest.raises(FarmAPI.FarmPluginException) as err:
        disk_render("beauty")
    message = str(err.value)
    assert message.startswith("Conductor: beauty was not submitted:") and "500" in message
    assert to_sandbox.jobs == []
    assert fpm().GetJobs() == [], "a refused render is not listed"
    to_sandbox.faults.clear()


def test_a_failed_upload_after_the_wait_is_a_failed_job_that_can_be_restarted(to_sandbox, farm, ksc, tmp_path):
    shot(tmp_path, ksc)
    farm.submit_wait = 0.0
    to_sandbox.run_jobs(wait=30, run=30)
    to_sandbox.faults.add("upload", status=500, times=None)
    jobid = disk_render("beauty")[0]
    assert jobid.startswith("conductor-upload-")
    assert wait_for(lambda: fpm().GetJobState(jobid) == State().kFailed, 30)
    log_path = fpm().GetRenderLogFilename(jobid)
    assert "Conductor did not create the job" in read(log_path) and "500" in read(log_path), "said before shown"
    to_sandbox.faults.clear()
    fpm().StartJob(jobid)  # nothing reached Conductor: sending again is safe
    assert wait_for(lambda: fpm().GetJobState(jobid) == State().kWaiting and len(to_sandbox.jobs) == 1, 30)
    names = []
    for _ in range(100):
        names.append([j.name for j in fpm().GetJobs()])
        if names[-1] == ["Katana shot beauty [Conductor 00001, run 2]"]:
            break
        time.sleep(0.05)
    assert all(len(n) == 1 for n in names), "listed once, also while Conductor's answer is on its way"
    assert names[-1] == ["Katana shot beauty [Conductor 00001, run 2]"]


def test_unknown_ids_of_every_form_raise_job_not_found(to_sandbox, farm):
    from Katana import FarmAPI

    for jobid in ("conductor-upload-deadbeef", "", "render_3", "99999"):
        for call in (fpm().GetJobState, fpm().GetRenderLogFilename, fpm().StopJob, fpm().StartJob):
            with pytest.raises(FarmAPI.JobNotFoundException) as err:
                call(jobid)
            assert err.value.jobId == jobid
