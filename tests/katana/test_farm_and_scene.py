"""Farm settings on Render nodes and the KatanaScene port.

Layer: tests/katana (no Qt). Overrides set on a Render node must reach the
job payloads built by the core from ``KatanaScene(...).snapshot()``.
"""

import pytest

from ciokatana.core.plan import plan_submission
from ciokatana.core.scene import FarmSettings, SceneError
from ciokatana.core.settings import Settings
from ciokatana.katana import constants as C
from ciokatana.katana.scene import KatanaScene

import katana_scenes as ks

FARM = (C.FARM_OVERRIDES, C.FARM_FRAME_SPEC, C.FARM_SCOUT_SPEC, C.FARM_CHUNK_SIZE)


def farm_param(node, name):
    return node.getParameter("farmSettings." + name)


def test_farm_settings_exist_on_existing_and_new_render_nodes(resources, ksc):
    before = ks.render_node("before")  # created before the plugin's onStartup
    ksc.load_superTools(str(resources))
    ksc.fire_startup()
    after = ks.render_node("after")
    for node in (before, after):
        for name in FARM:
            assert farm_param(node, name) is not None, (node.getName(), name)
        assert "'widget': 'checkBox'" in farm_param(node, C.FARM_OVERRIDES).getHintString()
        assert "'int': 'True'" in farm_param(node, C.FARM_CHUNK_SIZE).getHintString()
        assert farm_param(node, C.FARM_OVERRIDES).getValue(0) == 0
        assert farm_param(node, C.FARM_CHUNK_SIZE).getValue(0) == 1
        assert farm_param(node, C.FARM_SCOUT_SPEC).getValue(0) == C.DEFAULT_NODE_SCOUT


def test_the_frame_spec_defaults_to_the_scene_frame_range(plugin, ksc):
    node = ks.render_node("beauty")
    ksc.set_scene_frame_range(1001, 1050)
    [read] = KatanaScene(nodes=[node]).render_nodes()
    assert read.farm_settings == FarmSettings(overrides=False, frame_spec="1001-1050", scout_spec="fml:3", chunk_size=1)
    ksc.set_scene_frame_range(1, 24)
    assert KatanaScene(nodes=[node]).render_nodes()[0].farm_settings.frame_spec == "1-24"


def test_overrides_flow_into_the_payloads(plugin, ksc, tmp_path):
    beauty = ks.render_node("beauty", location=str(tmp_path / "renders" / "beauty.####.exr"))
    shadow = ks.render_node("shadow", location=str(tmp_path / "renders" / "shadow.####.exr"))
    ksc.set_scene_frame_range(1, 100)
    farm_param(shadow, C.FARM_OVERRIDES).setValue(1, 0)
    farm_param(shadow, C.FARM_FRAME_SPEC).setValue("1-10", 0)
    farm_param(shadow, C.FARM_SCOUT_SPEC).setValue("", 0)
    farm_param(shadow, C.FARM_CHUNK_SIZE).setValue(5, 0)
    ks.save(tmp_path / "shot.katana")
    settings = Settings(project="P", instance_type="n2", chunk_size=10, scout_spec="fml:3")
    plan = plan_submission(KatanaScene(nodes=[beauty, shadow]).snapshot(), settings)
    job_b, job_s = plan.jobs
    assert not job_b.overridden and job_b.task_count == 10
    assert job_s.overridden and job_s.frame_spec == "1-10" and job_s.chunk_size == 5 and job_s.task_count == 2
    payload_b, payload_s = plan.payloads
    assert [t["frames"] for t in payload_s["tasks_data"]] == ["1-5", "6-10"]
    assert payload_s["scout_frames"] == ""
    assert payload_b["scout_frames"] == "1,51,100"
    assert payload_s["output_path"] == str(tmp_path / "renders")


def test_set_farm_settings_writes_the_parameters_in_one_undo_group(plugin, ksc):
    node = ks.render_node("beauty")
    before = ksc.undo_stats()
    KatanaScene(nodes=[node]).set_farm_settings("beauty", FarmSettings(True, "5-9", "auto:2", 3))
    after = ksc.undo_stats()
    assert after["OpenGroup"] == before["OpenGroup"] + 1 and after["depth"] == 0 and after["unbalanced"] == 0
    assert [farm_param(node, n).getValue(0) for n in FARM] == [1.0, "5-9", "auto:2", 3.0]
    assert KatanaScene(nodes=[node]).render_nodes()[0].farm_settings == FarmSettings(True, "5-9", "auto:2", 3)


@pytest.mark.parametrize("chunk", ["abc", 0, 2.5, True])
def test_a_bad_chunk_size_is_refused_with_a_reason(plugin, chunk):
    node = ks.render_node("beauty")
    with pytest.raises(SceneError, match="beauty: chunk size must be a whole number"):
        KatanaScene(nodes=[node]).set_farm_settings("beauty", FarmSettings(True, "1-5", "", chunk))
    assert farm_param(node, C.FARM_OVERRIDES).getValue(0) == 0


def test_farm_settings_are_created_when_the_session_has_not_registered_them(ksc):
    from Katana import NodegraphAPI

    node = NodegraphAPI.CreateNode("Render")
    assert farm_param(node, C.FARM_OVERRIDES) is None
    assert KatanaScene(nodes=[node]).render_nodes()[0].farm_settings.overrides is False
    KatanaScene(nodes=[node]).set_farm_settings("Render", FarmSettings(True, "1-2", "", 2))
    assert farm_param(node, C.FARM_CHUNK_SIZE).getValue(0) == 2


def test_set_farm_settings_on_an_unknown_node_fails_clearly(plugin):
    with pytest.raises(SceneError, match="no Render node named 'ghost'"):
        KatanaScene(nodes=[]).set_farm_settings("ghost", FarmSettings())


# -- the scene port ---------------------------------------------------------------


def test_scene_file_name_frame_range_and_dirty_state(plugin, ksc, tmp_path, monkeypatch):
    ks.render_node("beauty")
    scene = KatanaScene()
    assert scene.katana_file() == "" and scene.scene_name() == "untitled"
    assert scene.is_dirty()
    ksc.set_scene_frame_range(1001, 1100)
    assert scene.frame_range() == (1001, 1100)
    monkeypatch.chdir(str(tmp_path))
    ks.save("shot010_v003.katana")  # a relative path, as given to KatanaFile.Save
    assert scene.katana_file() == str(tmp_path / "shot010_v003.katana")
    assert scene.scene_name() == "shot010_v003"
    assert not scene.is_dirty()
    ks.alembic("/x.abc")
    assert scene.is_dirty()


def test_save_writes_the_open_file_and_refuses_an_unsaved_scene(plugin, tmp_path):
    from Katana import KatanaFile

    ks.render_node("beauty")
    scene = KatanaScene()
    with pytest.raises(SceneError, match="never been saved"):
        scene.save()
    path = ks.save(tmp_path / "shot.katana")
    ks.alembic("/x.abc")
    assert scene.save() == path
    assert not KatanaFile.IsFileDirty()


def test_reading_the_scene_never_dirties_it(plugin, tmp_path):
    from Katana import KatanaFile

    geo = ks.alembic("/x.abc")
    ks.render_node("beauty", location="/renders/b.####.exr", upstream=geo)
    ks.save(tmp_path / "shot.katana")
    for _ in range(2):
        KatanaScene().snapshot()
    assert not KatanaFile.IsFileDirty()


def test_outputs_are_what_farmapi_reports(plugin, ksc, tmp_path):
    from Katana import NodegraphAPI

    settings = NodegraphAPI.CreateNode("RenderSettings")
    ks.arg(settings, "args.renderSettings.renderer", "arnold")
    node = ks.render_node("beauty", location="/renders/beauty.####.exr", upstream=settings)
    [read] = KatanaScene(nodes=[node]).render_nodes()
    assert read.renderer == "arnold"
    by_name = {o.name: o for o in read.outputs}
    assert by_name["beauty"].output_location == "/renders/beauty.####.exr"
    temp = by_name["primary"].output_location
    assert temp.startswith(ksc.temp_dir())  # reported faithfully; the core drops it
    assert KatanaScene().temp_dir() == ksc.temp_dir()
    plan = plan_submission(KatanaScene(nodes=[node]).snapshot(), Settings())
    assert [o.name for o in plan.jobs[0].outputs] == ["beauty"]


def test_a_disabled_farmapi_output_is_read_as_disabled_and_left_out(plugin, monkeypatch):
    """Katana reports outputs an artist switched off with ``enabled: False``;
    they are not rendered, so no job may list them or download to them."""
    from _katana_standin import farm as standin_farm

    reported = standin_farm.outputs_for

    def with_a_disabled_output(node, time=None):
        outputs = [dict(o) for o in reported(node, time)]
        for output in outputs:
            if output["name"] == "beauty":
                output["enabled"] = False
        return outputs

    monkeypatch.setattr(standin_farm, "outputs_for", with_a_disabled_output)
    node = ks.render_node("beauty", location="/renders/beauty.####.exr")
    ks.render_node("aovs", location="/renders/aovs/aovs.####.exr", output_name="aovs")
    [read] = KatanaScene(nodes=[node]).render_nodes()
    assert {o.name: o.enabled for o in read.outputs}["beauty"] is False
    plan = plan_submission(KatanaScene().snapshot(), Settings())
    assert [o.name for o in plan.job("beauty").outputs] == []
    assert [o.name for o in plan.job("aovs").outputs] == ["aovs"]


def test_scope_defaults_to_the_selection_else_all(plugin):
    from Katana import NodegraphAPI

    ks.render_node("beauty")
    shadow = ks.render_node("shadow")
    assert [n.name for n in KatanaScene().render_nodes()] == ["beauty", "shadow"]
    NodegraphAPI.SetNodeSelected(shadow, True)
    assert [(n.name, n.selected) for n in KatanaScene().render_nodes()] == [("shadow", True)]
    assert [n.name for n in KatanaScene(nodes=["beauty"]).render_nodes()] == ["beauty"]


def test_scope_names_must_be_render_nodes(plugin):
    ks.alembic("/x.abc", name="geo")
    with pytest.raises(SceneError, match="no node named 'ghost'"):
        KatanaScene(nodes=["ghost"])
    with pytest.raises(SceneError, match="geo is of type Alembic_In"):
        KatanaScene(nodes=["geo"])


def test_an_asset_id_scene_path_resolves_through_the_asset_plugin(plugin, ksc, tmp_path, monkeypatch):
    """With an asset plug-in the project's name is an asset id (``project.assetID``)."""
    from Katana import FarmAPI

    ks.render_node("beauty")
    real = tmp_path / "shot.katana"
    ksc.set_asset_resolver(lambda asset_id, frame: str(real))
    monkeypatch.setattr(FarmAPI, "GetKatanaFileName", lambda: "mock:///show/shot010/lighting/v3")
    assert KatanaScene().katana_file() == str(real)
    ksc.set_asset_resolver(None)
    assert KatanaScene().katana_file() == "mock:///show/shot010/lighting/v3"


def test_graph_state_variable_sets_round_trip_through_the_farm_setting(plugin):
    node = ks.render_node("beauty")
    sets = ((("shot", "010"), ("variant", "a")), (("shot", "020"), ("variant", "b")))
    KatanaScene(nodes=[node]).set_farm_settings("beauty", FarmSettings(False, "", "", 1, sets))
    assert farm_param(node, C.FARM_VAR_SETS).getValue(0) == "shot=010,variant=a; shot=020,variant=b"
    read = KatanaScene(nodes=[node]).render_nodes()[0].farm_settings
    assert read.var_sets == sets


def test_var_sets_typed_in_katana_fan_out_and_bad_names_are_reported(plugin):
    from ciokatana.core.validation import validate

    node = ks.render_node("beauty", location="/renders/b.####.exr")
    farm_param(node, C.FARM_VAR_SETS).setValue("shot=010; bad-name=1", 0)
    snapshot = KatanaScene(nodes=[node]).snapshot()
    plan = plan_submission(snapshot, Settings(project="P", instance_type="n2-standard-8"))
    assert [j.label for j in plan.jobs] == ["beauty [shot=010]", "beauty [bad-name=1]"]
    assert any(f.rule == "bad_var_sets" and "'bad-name'" in f.message for f in validate(plan))
