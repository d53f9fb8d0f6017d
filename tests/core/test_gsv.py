"""Issue 15 item 5: Graph State Variable sets fan a Render node out into jobs."""

import json
import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciokatana.core import gsv
from ciokatana.core.plan import plan_submission
from ciokatana.core.scene import FarmSettings
from ciokatana.core.validation import ERROR, validate
from ciokatana.standalone.cli import main

from builders import node, settings, snapshot

SETS = (gsv.parse_var_set("shot=010,variant=a"), gsv.parse_var_set("shot=010,variant=b"),
        gsv.parse_var_set("shot=020,variant=it's a \"test\"; rm -rf ~"))


def fanned(var_sets, **node_kw):
    n = node("beauty", **node_kw)
    from dataclasses import replace

    return snapshot(nodes=[replace(n, farm_settings=replace(n.farm_settings, var_sets=tuple(var_sets)))])


def test_three_sets_make_three_jobs_whose_commands_carry_their_values_safely_quoted():
    plan = plan_submission(fanned(SETS), settings(frame_spec="1-4", chunk_size=2))
    assert len(plan.jobs) == 3 and len(plan.payloads) == 3
    assert [p["job_title"] for p in plan.payloads] == [
        "Katana shot beauty [shot=010 variant=a]",
        "Katana shot beauty [shot=010 variant=b]",
        "Katana shot beauty [shot=020 variant=it's a \"test\"; rm -rf ~]",
    ]
    for payload, var_set in zip(plan.payloads, SETS):
        assert [t["frames"] for t in payload["tasks_data"]] == ["1-2", "3-4"]
        for task in payload["tasks_data"]:
            argv = shlex.split(task["command"])
            assert argv[:4] == ["katana", "--batch", "--katana-file=/shows/demo/shot.katana", "--render-node=beauty"]
            assert argv[-4:] == ["--var", "{}={}".format(*var_set[0]), "--var", "{}={}".format(*var_set[1])]
    assert "rm -rf ~" in plan.payloads[2]["tasks_data"][0]["command"]  # present, but only inside quotes


def test_no_sets_means_one_job_with_no_variables():
    plan = plan_submission(fanned(()), settings())
    assert len(plan.payloads) == 1 and "--var" not in plan.payloads[0]["tasks_data"][0]["command"]
    assert plan.payloads[0]["job_title"] == "Katana shot beauty"


@pytest.mark.parametrize("name", ["1shot", "my-var", "a b", "", "shot.x", "é"])
def test_invalid_gsv_names_are_validation_errors(name):
    plan = plan_submission(fanned([((name, "1"),)]), settings())
    errors = [f for f in validate(plan) if f.level == ERROR]
    assert plan.payloads == []
    assert any(f.rule == "bad_var_sets" and repr(name) in f.message for f in errors), errors


@pytest.mark.parametrize("text,message", [
    ("shot", "has no '='"), ("1x=2", "not a valid GSV name"), ("a=1,a=2", "sets 'a' twice"), (" , ", "is empty"),
])
def test_bad_var_set_text_is_explained(text, message):
    with pytest.raises(gsv.VarSetError, match=message):
        gsv.parse_var_set(text)


def test_var_set_text_round_trips_and_reads_leniently():
    sets = gsv.parse_var_sets("shot=010,variant=a; shot=020,variant=b\nshot=030")
    assert gsv.format_var_sets(sets) == "shot=010,variant=a; shot=020,variant=b; shot=030"
    assert gsv.parse_var_sets("bad name=1", strict=False) == ((("bad name", "1"),),)


def test_farm_settings_keep_var_sets_in_the_scene_file_form():
    farm = FarmSettings(True, "1-2", "", 1, SETS[:2])
    data = farm.to_dict()
    assert data["conductorVarSets"] == [{"shot": "010", "variant": "a"}, {"shot": "010", "variant": "b"}]
    assert FarmSettings.from_dict(json.loads(json.dumps(data))) == farm
    assert "conductorVarSets" not in FarmSettings().to_dict()


gsv_names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
values = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


@given(var_sets=st.lists(st.dictionaries(gsv_names, values, min_size=1, max_size=3), min_size=1, max_size=4,
                         unique_by=lambda s: frozenset(s.items())))
def test_any_values_reach_katana_exactly(var_sets):
    sets = [gsv.from_mapping(s) for s in var_sets]
    plan = plan_submission(fanned(sets), settings(frame_spec="1"))
    assert len(plan.payloads) == len(sets)
    for payload, var_set in zip(plan.payloads, sets):
        argv = shlex.split(payload["tasks_data"][0]["command"])
        expected = []
        for name, value in var_set:
            expected += ["--var", "{}={}".format(name, value)]
        assert argv[6:] == expected


def test_cli_var_set_fans_out_every_node_in_scope(capsys, write_scene):
    path = write_scene({"render_nodes": [
        {"name": "a", "outputs": [{"name": "p", "enabled": True, "outputLocation": "/r/a/a.####.exr"}]},
        {"name": "b", "outputs": [{"name": "p", "enabled": True, "outputLocation": "/r/b/b.####.exr"}]}]})
    code = main(["preview", "--scene", path, "--var-set", "shot=010,variant=a", "--var-set", "shot=010,variant=b"])
    out, err = capsys.readouterr()
    assert code == 0, err
    titles = [p["job_title"] for p in json.loads(out)]
    assert titles == ["Katana shot a [shot=010 variant=a]", "Katana shot a [shot=010 variant=b]",
                      "Katana shot b [shot=010 variant=a]", "Katana shot b [shot=010 variant=b]"]


@pytest.mark.parametrize("flag,message", [("shot", "has no '='"), ("my-var=1", "not a valid GSV name")])
def test_cli_bad_var_set_is_one_line(capsys, write_scene, flag, message):
    code = main(["preview", "--scene", write_scene(), "--var-set", flag])
    _out, err = capsys.readouterr()
    assert code == 2 and "--var-set" in err and message in err and len(err.strip().splitlines()) == 1


def test_scene_file_var_sets_are_read_and_checked(capsys, write_scene):
    path = write_scene({"render_nodes": [{"name": "a", "farm_settings": {"conductorVarSets": [{"shot": "010"}, {"shot": "020"}]},
                                          "outputs": [{"name": "p", "enabled": True, "outputLocation": "/r/a/a.####.exr"}]}]})
    assert main(["preview", "--scene", path]) == 0
    assert len(json.loads(capsys.readouterr()[0])) == 2
    bad = write_scene({"render_nodes": [{"name": "a", "farm_settings": {"conductorVarSets": [{"shot": 10}]}}]}, name="bad.json")
    assert main(["preview", "--scene", bad]) == 2
    assert "render_nodes[0].farm_settings.conductorVarSets[0].shot must be a string" in capsys.readouterr()[1]


def test_each_job_of_a_fanned_out_node_has_its_own_key():
    """The Preview tab's selector and Plan.job find each variable set's job,
    not the node's first job three times."""
    plan = plan_submission(fanned(SETS), settings(frame_spec="1-4"))
    keys = [job.key for job in plan.jobs]
    assert len(set(keys)) == 3 and keys[0] == "beauty [shot=010 variant=a]"
    for job in plan.jobs:
        assert plan.job(job.key) is job
    assert plan.job("beauty") is plan.jobs[0]  # a node name still finds the node's first job
    assert [j.key for j in plan.jobs_of("beauty")] == keys
    assert plan.job("beauty [shot=010 variant=b]").payload["job_title"].endswith("variant=b]")


def test_a_node_without_sets_is_keyed_by_its_name():
    plan = plan_submission(fanned(()), settings())
    assert [j.key for j in plan.jobs] == ["beauty"]


@pytest.mark.parametrize("repeat", [SETS[0], (("variant", "a"), ("shot", "010"))])
def test_a_variable_set_listed_twice_is_an_error_not_a_second_bill(repeat):
    plan = plan_submission(fanned([SETS[0], SETS[1], repeat]), settings())
    errors = [f for f in validate(plan) if f.level == ERROR]
    assert len(plan.payloads) == 2
    assert len({j.key for j in plan.jobs}) == 3
    assert any(f.rule == "bad_var_sets" and "listed twice" in f.message and "billed twice" in f.message
               for f in errors), errors


def test_cli_var_set_given_twice_is_refused(capsys, write_scene):
    path = write_scene()
    code = main(["preview", "--scene", path, "--var-set", "shot=010", "--var-set", "shot=010"])
    assert code == 2
    assert "listed twice" in capsys.readouterr().err
