"""Planning a submission: one payload per Render node, from scene and settings."""

import pytest

from ciokatana.core.payload import PAYLOAD_KEYS
from ciokatana.core.plan import plan_submission
from ciokatana.core.settings import EnvVar, Package

from builders import node, output, settings, snapshot


def test_one_payload_per_render_node_with_keys_in_order():
    snap = snapshot(nodes=[node("a"), node("b"), node("c")])
    plan = plan_submission(snap, settings())
    assert [p["job_title"] for p in plan.payloads] == ["Katana shot a", "Katana shot b", "Katana shot c"]
    for payload in plan.payloads:
        assert tuple(payload)[: len(PAYLOAD_KEYS)] == PAYLOAD_KEYS
        assert "location" not in payload and "notify" not in payload


def test_defaults_apply_unless_the_node_overrides():
    snap = snapshot(
        frame_range=(1, 100),
        nodes=[
            node("plain", overrides=False, frames="5-6", chunk=7),
            node("custom", overrides=True, frames="1-20", scout="auto:2", chunk=5),
        ],
    )
    plan = plan_submission(snap, settings(frame_spec="1-10", chunk_size=2, scout_spec="fml:3"))
    plain, custom = plan.jobs
    assert [t["frames"] for t in plain.payload["tasks_data"]] == ["1-2", "3-4", "5-6", "7-8", "9-10"]
    assert plain.payload["scout_frames"] == "1,6,10"
    assert custom.overridden and [t["frames"] for t in custom.payload["tasks_data"]] == ["1-5", "6-10", "11-15", "16-20"]
    assert custom.payload["scout_frames"] == "6,16"


def test_empty_default_frame_spec_uses_the_scene_range():
    plan = plan_submission(snapshot(frame_range=(1001, 1003)), settings(frame_spec=""))
    assert [t["frames"] for t in plan.jobs[0].payload["tasks_data"]] == ["1001", "1002", "1003"]


def test_override_with_empty_frame_spec_falls_back_to_the_default():
    plan = plan_submission(snapshot(nodes=[node(overrides=True, frames="", chunk=1)]), settings(frame_spec="3-4"))
    assert plan.jobs[0].frame_spec == "3-4"


def test_stepped_chunks_go_to_katana_without_step_notation():
    snap = snapshot(nodes=[node(overrides=True, frames="1-10x2", chunk=10)])
    task = plan_submission(snap, settings()).jobs[0].payload["tasks_data"][0]
    assert task["frames"] == "1-9x2"
    assert task["command"].endswith("-t 1,3,5,7,9")


def test_command_uses_the_posix_scene_path():
    snap = snapshot(katana_file="C:\\shows\\demo\\shot.katana")
    task = plan_submission(snap, settings()).jobs[0].payload["tasks_data"][0]
    assert "--katana-file=/shows/demo/shot.katana " in task["command"]


@pytest.mark.parametrize(
    "outputs,expected",
    [
        ([output("/r/a/beauty.####.exr")], "/r/a"),
        ([output("/r/a/b/x.exr", "x"), output("/r/a/c/y.exr", "y")], "/r/a"),
        ([output("/r/a/x.exr", "x"), output("/r/q/y.exr", "y", enabled=False)], "/r/a"),
        ([output("/r/a/x.exr", "x"), output("/tmp/kt/y.exr", "y")], "/r/a"),
        ([output("/r/a/x.exr", "x"), output("/tmp/other/y.exr", "y", temp="/tmp/other/y.exr")], "/r/a"),
        ([output("/r/a/x.exr", "x"), output("relative/y.exr", "y")], "/r/a"),
        ([output("C:\\r\\a\\x.exr")], "C:/r/a"),
    ],
)
def test_output_path_from_enabled_absolute_outputs(outputs, expected):
    snap = snapshot(nodes=[node(outputs=outputs)], temp_dir="/tmp/kt")
    assert plan_submission(snap, settings()).jobs[0].payload["output_path"] == expected


def test_node_without_a_real_output_has_no_payload():
    snap = snapshot(nodes=[node(outputs=[output("/tmp/kt/x.exr"), output("/r/x.exr", enabled=False)])], temp_dir="/tmp/kt")
    job = plan_submission(snap, settings()).jobs[0]
    assert job.payload is None and "no enabled render output" in job.problems["outputs"]


def test_outputs_sharing_only_the_root_are_a_problem():
    snap = snapshot(nodes=[node(outputs=[output("/r/x.exr", "x"), output("/s/y.exr", "y")])])
    assert "share no folder" in plan_submission(snap, settings()).jobs[0].problems["outputs"]


def test_upload_paths_hold_scene_file_assets_and_extras_minus_outputs(files, tmp_path):
    scene, tex, old_render, extra = files("shot.katana", "tex/a.1001.tx", "renders/beauty/old.0001.exr", "ocio/config.ocio")
    files("tex/a.1002.tx")
    snap = snapshot(
        katana_file=scene,
        nodes=[node(outputs=[output(str(tmp_path / "renders/beauty/beauty.####.exr"))])],
        assets=[str(tmp_path / "tex/a.<UDIM>.tx"), str(tmp_path / "renders/beauty/old.####.exr"), str(tmp_path / "gone.abc")],
    )
    plan = plan_submission(snap, settings(extra_assets=["ocio"]))
    uploads = plan.jobs[0].payload["upload_paths"]
    assert uploads == sorted([scene, tex, str(tmp_path / "tex/a.1002.tx"), extra])
    assert old_render not in uploads
    assert plan.assets.missing == [str(tmp_path / "gone.abc")]


def test_environment_merges_packages_and_extra_variables():
    sw = [
        Package("katana 7.0 linux", "k7", environment=[{"name": "PATH", "value": "/opt/katana/bin", "merge_policy": "append"}]),
        Package("katana 7.0 linux/renderman-katana 26 linux", "rm26", environment=[{"name": "RMANTREE", "value": "/opt/rman", "merge_policy": "exclusive"}]),
    ]
    s = settings(software=sw, environment=[EnvVar("PATH", "/studio/bin", "append"), EnvVar("SHOW", "demo")])
    payload = plan_submission(snapshot(), s).payloads[0]
    assert payload["environment"] == {"PATH": "/opt/katana/bin:/studio/bin", "RMANTREE": "/opt/rman", "SHOW": "demo"}
    assert payload["software_package_ids"] == ["k7", "rm26"]


def test_clashing_merge_policies_are_a_problem_not_a_crash():
    sw = [Package("katana 7.0 linux", "k7", environment=[{"name": "PATH", "value": "/a", "merge_policy": "append"}])]
    plan = plan_submission(snapshot(), settings(software=sw, environment=[EnvVar("PATH", "/b", "exclusive")]))
    assert plan.payloads == [] and "merge policy" in plan.problems["environment"]


@pytest.mark.parametrize("preemptible,count,expected", [(True, 3, {"preempted": {"max_retries": 3}}), (True, 0, {}), (False, 3, {})])
def test_autoretry_policy(preemptible, count, expected):
    payload = plan_submission(snapshot(), settings(preemptible=preemptible, autoretry=count)).payloads[0]
    assert payload["autoretry_policy"] == expected and payload["preemptible"] is preemptible


def test_optional_keys_and_daemon():
    payload = plan_submission(snapshot(), settings(location="studio-a", notify=["a@b.c", " "], use_daemon=True, metadata={"n": 1})).payloads[0]
    assert payload["location"] == "studio-a" and payload["notify"] == ["a@b.c"]
    assert payload["local_upload"] is False and payload["metadata"] == {"n": "1"}


def test_bad_values_become_problems_per_node():
    snap = snapshot(
        nodes=[
            node("f", overrides=True, frames="1-x"),
            node("s", overrides=True, frames="1-5", scout="auto:zero"),
            node("c", overrides=True, frames="1-5", chunk="big"),
            node("ok"),
        ]
    )
    plan = plan_submission(snap, settings())
    problems = {j.name: sorted(j.problems) for j in plan.jobs}
    assert problems == {"f": ["frames"], "s": ["scout"], "c": ["chunk_size"], "ok": []}
    assert [p["job_title"] for p in plan.payloads] == ["Katana shot ok"]


def test_title_template_fields_and_errors():
    plan = plan_submission(snapshot(), settings(title_template="{project}/{scene}/{node} on {instance_type}"))
    assert plan.payloads[0]["job_title"] == "Demo/shot/beauty on n1-standard-8"
    plan = plan_submission(snapshot(), settings(title_template="{shot}"))
    assert "unknown field {shot}" in plan.jobs[0].problems["title"]


@pytest.mark.parametrize("template", ["{node:>99999999999}", "{node!r}", "{scene:^40}"])
def test_a_title_template_field_with_a_format_spec_is_refused_naming_the_key(template):
    plan = plan_submission(snapshot(), settings(title_template=template))
    problem = plan.jobs[0].problems["title"]
    assert "title_template" in problem and "format or conversion" in problem
    assert plan.payloads == []


def test_secret_values_are_given_to_the_masking_only_when_they_are_not_part_of_the_payload():
    from ciokatana.core import redact

    env = [EnvVar("API_TOKEN", "beauty"), EnvVar("DB_PASSWORD", "s3cr3t-value"), EnvVar("KEY_LIGHT", "fill-light")]
    try:
        plan_submission(snapshot(), settings(environment=env))
        assert redact.secret_values() == frozenset(["s3cr3t-value"])  # "beauty" is the node's name
        plan_submission(snapshot(), settings(environment=env[1:2] + [EnvVar("NOTE", "uses s3cr3t-value")]))
        assert redact.secret_values() == frozenset()  # shown plainly elsewhere: masking it hides nothing
        plan_submission(snapshot(), settings(environment=[EnvVar("API_TOKEN", "later-token")]))
        assert redact.secret_values() == frozenset(["later-token"])  # replaced, not added to
    finally:
        redact.set_secret_values([])
