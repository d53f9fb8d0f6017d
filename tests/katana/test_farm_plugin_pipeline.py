"""The farm plug-in on the one submission pipeline: variable sets, timeouts, "may have been created".

Layer: tests/katana (no Qt). Driven through the stand-in's
``FarmAPI.FarmPluginManager`` as in ``test_farm_plugin.py``, against the
local Conductor sandbox through ciocore's real code.
"""

import time

import pytest

from ciokatana.core.render_log import wait_for

import katana_scenes as ks
from test_farm_plugin import State, disk_render, farm, fpm, read, shot, to_sandbox  # noqa: F401 (fixtures)


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


def test_commands_naming_the_variables_decide_the_set(to_sandbox, farm, ksc, tmp_path):
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
    import json
    import os
    import subprocess
    import sys

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
    import os

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
    assert "Conductor did not create the job" in read(log_path) and "500" in read(log_path)
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
