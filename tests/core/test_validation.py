"""Validation: each rule flags its case, with where, what and how to fix."""

import pytest

from ciokatana.core.plan import plan_submission
from ciokatana.core.settings import Package
from ciokatana.core.validation import ERROR, NOTICE, WARNING, Finding, has_errors, unregister, validate, validator

from builders import node, output, settings, snapshot


def findings_for(snap=None, s=None, **kw):
    plan = plan_submission(snap or snapshot(katana_file=""), s or settings())
    return validate(plan, **kw)


def only(findings, rule):
    found = [f for f in findings if f.rule == rule]
    assert len(found) == 1, findings
    return found[0]


@pytest.fixture
def saved(files):
    """A snapshot whose Katana file exists on disk."""

    def _snap(**kw):
        kw.setdefault("katana_file", files("shot.katana")[0])
        return snapshot(**kw)

    return _snap


def test_a_clean_submission_has_no_findings(saved):
    assert findings_for(saved()) == []


def test_task_limit_names_the_node_and_the_count(saved):
    snap = saved(frame_range=(1, 1500), nodes=[node("beauty"), node("small", overrides=True, frames="1-10")])
    finding = only(findings_for(snap), "task_limit")
    assert finding.level == ERROR and finding.where == "Render node 'beauty'"
    assert "1,500 tasks" in finding.message and "limit of 1,000" in finding.message
    assert "at least 2" in finding.message


def test_task_limit_can_be_changed(saved, monkeypatch):
    monkeypatch.setenv("CIOKATANA_TASK_LIMIT", "5")
    assert only(findings_for(saved()), "task_limit").level == ERROR


def test_gpu_machine_for_a_cpu_renderer_is_a_warning(saved):
    finding = only(findings_for(saved(), settings(instance_type="g1-standard-8-t4")), "gpu_for_cpu_renderer")
    assert finding.level == WARNING and "prman" in finding.message and "GPU" in finding.message


def test_gpu_check_uses_conductor_data_when_known(saved):
    types = {"custom-8": {"name": "custom-8", "gpu": {"gpu_count": 1}}}
    assert only(findings_for(saved(), settings(instance_type="custom-8"), instance_types=types), "gpu_for_cpu_renderer")
    assert not [f for f in findings_for(saved(), settings(instance_type="g1-standard-8-t4"), instance_types={"g1-standard-8-t4": {}}) if f.rule == "gpu_for_cpu_renderer"]


def test_gpu_machine_for_a_gpu_renderer_is_fine(saved):
    s = settings(instance_type="g1-standard-8-t4", software=[Package("katana 7 linux", "k"), Package("katana 7 linux/redshift-katana 3 linux", "r", "redshift-katana")])
    assert not [f for f in findings_for(saved(nodes=[node(renderer="Redshift")]), s) if f.rule == "gpu_for_cpu_renderer"]


def test_chunk_size_over_one_is_a_notice(saved):
    finding = only(findings_for(saved(nodes=[node(overrides=True, frames="1-10", chunk=4)])), "chunk_size")
    assert finding.level == NOTICE and "4 frames per task (3 tasks)" in finding.message


def test_unsaved_scene_is_an_error():
    finding = only(findings_for(snapshot(katana_file="")), "unsaved_scene")
    assert finding.level == ERROR and "save the scene" in finding.message


def test_unsaved_changes_is_a_warning(saved):
    finding = only(findings_for(saved(dirty=True)), "unsaved_changes")
    assert finding.level == WARNING and "as last saved" in finding.message


def test_scene_file_missing_on_disk_is_an_error():
    finding = only(findings_for(snapshot(katana_file="/nowhere/shot.katana")), "scene_file_missing")
    assert finding.level == ERROR and "/nowhere/shot.katana" in finding.message


@pytest.mark.parametrize(
    "kwargs,rule,text",
    [
        (dict(overrides=True, frames="1-x"), "bad_frames", "'1-x'"),
        (dict(overrides=True, frames="1-5", scout="auto:x"), "bad_scout", "'auto:x'"),
        (dict(overrides=True, frames="1-5", chunk="0"), "bad_chunk_size", "'0'"),
    ],
)
def test_invalid_node_values_name_the_node_and_the_value(saved, kwargs, rule, text):
    finding = only(findings_for(saved(nodes=[node("fx", **kwargs)])), rule)
    assert finding.level == ERROR and finding.where == "Render node 'fx' (node override)" and text in finding.message


def test_invalid_default_values_say_they_come_from_the_submitter(saved):
    finding = only(findings_for(saved(), settings(chunk_size="-3")), "bad_chunk_size")
    assert finding.where == "Render node 'beauty' (submitter default)"


def test_node_without_enabled_output_is_an_error(saved):
    finding = only(findings_for(saved(nodes=[node(outputs=[output("/r/x.exr", enabled=False)])])), "bad_outputs")
    assert finding.level == ERROR and "no enabled render output" in finding.message


@pytest.mark.parametrize(
    "changes,rule",
    [({"project": ""}, "no_project"), ({"instance_type": ""}, "no_instance_type"), ({"software": []}, "no_katana_package")],
)
def test_missing_required_settings_are_errors(saved, changes, rule):
    assert only(findings_for(saved(), settings(**changes)), rule).level == ERROR


def test_unknown_project_and_instance_type_when_conductor_data_is_known(saved):
    found = findings_for(saved(), settings(project="Gone", instance_type="x"), projects=["Demo"], instance_types={"n1": {}})
    assert only(found, "unknown_project").level == ERROR and only(found, "unknown_instance_type").level == ERROR


def test_windows_paths_are_a_warning_listing_them(saved):
    snap = saved(nodes=[node(outputs=[output("R:\\renders\\bg\\bg.####.exr")])], assets=["T:\\lib\\sky.exr"])
    finding = only(findings_for(snap), "windows_paths")
    assert finding.level == WARNING and finding.details == ("R:\\renders\\bg\\bg.####.exr", "T:\\lib\\sky.exr")


def test_missing_assets_are_a_warning_listing_them(saved, tmp_path):
    snap = saved(assets=[str(tmp_path / "gone.abc"), str(tmp_path / "seq.####.exr")])
    finding = only(findings_for(snap, settings(extra_assets=["nope"])), "missing_assets")
    assert finding.level == WARNING and "3 path(s)" in finding.message
    assert finding.details == (str(tmp_path / "gone.abc"), str(tmp_path / "seq.####.exr"), str(tmp_path / "nope"))


def test_long_lists_are_shortened(saved, tmp_path):
    snap = saved(assets=[str(tmp_path / "gone{}.abc".format(i)) for i in range(30)])
    assert only(findings_for(snap), "missing_assets").details[-1] == "... and 10 more"


def test_bad_task_template_is_an_error(saved):
    finding = only(findings_for(saved(), settings(task_template="katana {frames}")), "bad_task_template")
    assert "unknown field {frames}" in finding.message


def test_no_render_node_in_scope(saved):
    assert only(findings_for(saved(nodes=[])), "no_render_nodes").level == ERROR


def test_scout_spec_outside_the_frames_is_a_warning(saved):
    finding = only(findings_for(saved(nodes=[node(overrides=True, frames="1-10", scout="500")])), "scout_empty")
    assert finding.level == WARNING


def test_findings_come_errors_first():
    levels = [f.level for f in findings_for(snapshot(katana_file="", dirty=True, nodes=[node(overrides=True, frames="1-10", chunk=2)]))]
    assert levels == sorted(levels, key=[ERROR, WARNING, NOTICE].index)


def test_studio_validators_plug_in_and_crashes_are_reported(saved):
    @validator
    def shot_metadata(ctx):
        if "shot" not in ctx.plan.settings.metadata:
            yield Finding(ERROR, "studio_shot", "Setting 'Metadata'", "needs a 'shot' key")

    @validator
    def broken(ctx):
        raise KeyError("oops")

    try:
        found = findings_for(saved())
        assert only(found, "studio_shot").level == ERROR
        crash = only(found, "validator_crashed")
        assert "broken" in crash.where and "KeyError" in crash.message
        assert has_errors(found)
    finally:
        unregister(shot_metadata)
        unregister(broken)


def test_an_empty_job_title_is_an_error(saved):
    finding = only(findings_for(saved(), settings(title_template="  ")), "empty_title")
    assert finding.level == ERROR and finding.where == "Setting 'Job title'" and "{node}" in finding.message
    per_job = only(findings_for(saved(), settings(title_template="{project}", project="")), "empty_title")
    assert per_job.where == "Render node 'beauty'"


def test_a_renderer_plugin_that_does_not_match_the_nodes_is_a_warning(saved):
    plugin = Package("katana 7.0.4 linux/3delight-katana 2.9 linux", "d", "3delight-katana")
    s = settings(software=[Package("katana 7.0.4 linux", "k", "katana"), plugin])
    snap = saved(nodes=[node("beauty"), node("fx", renderer="dl")])
    finding = only(findings_for(snap, s), "renderer_plugin")
    assert finding.level == WARNING and finding.where == "Render node 'beauty'"
    assert "prman" in finding.message and "3delight-katana 2.9 linux" in finding.message
    assert "renderman" in finding.message
    unknown = saved(nodes=[node("beauty", renderer="")])  # nothing known: nothing said
    assert not [f for f in findings_for(unknown, s) if f.rule == "renderer_plugin"]


@pytest.mark.parametrize("name, what", [("MY VAR", "has a space"), (" PATH X", "has a space"), ("9LIVES", "digit"),
                                         ("A-B", "characters")])
def test_an_environment_variable_name_with_a_space_is_an_error(saved, name, what):
    from ciokatana.core.settings import EnvVar

    finding = only(findings_for(saved(), settings(environment=[EnvVar(name, "1")])), "environment_name")
    assert finding.level == ERROR and what in finding.message and repr(name) in finding.message


def test_a_descending_range_is_said_to_be_read_upwards(saved):
    snap = saved(nodes=[node(overrides=True, frames="10-1", scout="5-3")])
    found = [f for f in findings_for(snap) if f.rule == "descending_range"]
    assert [f.level for f in found] == [WARNING, WARNING]
    assert "'10-1' counts down, and is read as 1-10" in found[0].message
    assert found[0].where == "Render node 'beauty' (node override)"


def test_developer_speak_is_put_in_plain_words(saved):
    finding = only(findings_for(saved(), settings(title_template="{node")), "bad_title")
    assert "Single" not in finding.message and "expected '}'" not in finding.message
    assert "never closed" in finding.message


def test_software_names_that_were_never_resolved_are_an_error():
    from ciokatana.core.plan import plan_submission
    from ciokatana.core.settings import Package
    from ciokatana.core.validation import validate as run_validation

    from builders import settings, snapshot

    plan = plan_submission(snapshot(), settings(software=[Package(path="katana 7.0v4 linux")]))
    found = [f for f in run_validation(plan) if f.rule == "unresolved_software"]
    assert found and found[0].level == "error" and "'katana 7.0v4 linux'" in found[0].message
