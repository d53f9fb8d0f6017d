"""The ConductorRender node: settings as parameters, save/load, one per scene, reset.

Layer: tests/katana (no Qt).
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciokatana.core.scene import SceneError
from ciokatana.core.settings import Settings
from ciokatana.katana import constants as C
from ciokatana.katana import settings_node
from ciokatana.katana.scene import KatanaScene

import katana_scenes as ks
from builders import rich_settings


def test_settings_are_real_visible_parameters(plugin):
    from Katana import NodegraphAPI

    node = NodegraphAPI.CreateNode(C.NODE_TYPE)
    types = {
        "general.project": "string",
        "general.instanceType": "string",
        "general.preemptible": "number",
        "general.autoretry": "number",
        "frames.frameSpec": "string",
        "frames.scoutSpec": "string",
        "frames.chunkSize": "string",
        "assets.extraAssets": "stringArray",
        "advanced.notify": "stringArray",
        "advanced.useDaemon": "number",
        "advanced.mockInterval": "number",
        "software.packages": "string",
        "environment.variables": "string",
    }
    for path, ptype in types.items():
        assert node.getParameter(path).getType() == ptype, path
    assert "'widget': 'checkBox'" in node.getParameter("general.preemptible").getHintString()
    assert "'int': 'True'" in node.getParameter("general.autoretry").getHintString()
    assert node.getParameter("frames.scoutSpec").getValue(0) == "fml:3"


def test_every_settings_field_has_a_parameter():
    from dataclasses import fields

    assert sorted(f.name for f in fields(Settings)) == sorted(settings_node.SPEC_BY_FIELD)


def test_settings_round_trip_through_parameters(plugin):
    from Katana import NodegraphAPI

    node = NodegraphAPI.CreateNode(C.NODE_TYPE)
    data = rich_settings().to_dict()
    settings_node.write_settings(node, data)
    assert settings_node.read_settings(node) == data
    assert node.getParameter("general.project").getValue(0) == "Episode 104"
    assert [c.getValue(0) for c in node.getParameter("assets.extraAssets").getChildren()] == data["extra_assets"]
    assert node.getParameter("general.preemptible").getValue(0) == 0.0


@pytest.mark.parametrize("chunk", [1, 12, -3, "abc", "12", " 5 ", "", 2.5, None, "true", "1-10"])
def test_chunk_size_keeps_whatever_was_typed(plugin, chunk):
    from Katana import NodegraphAPI

    node = NodegraphAPI.CreateNode(C.NODE_TYPE)
    data = dict(Settings().to_dict(), chunk_size=chunk)
    settings_node.write_settings(node, data)
    read = settings_node.read_settings(node)["chunk_size"]
    assert read == chunk and type(read) is type(chunk)


def test_values_of_another_type_and_unknown_keys_are_kept(plugin):
    from Katana import NodegraphAPI

    node = NodegraphAPI.CreateNode(C.NODE_TYPE)
    data = dict(Settings().to_dict(), autoretry="3", preemptible=1, future_option={"gpus": 2})
    settings_node.write_settings(node, data)
    assert settings_node.read_settings(node) == data
    # Once the value fits again, the overflow forgets it; unknown keys stay.
    settings_node.write_settings(node, dict(data, autoretry=4, preemptible=True))
    read = settings_node.read_settings(node)
    assert read["autoretry"] == 4 and read["preemptible"] is True
    assert read["future_option"] == {"gpus": 2}
    assert "autoretry" not in node.getParameter("internal.otherSettings").getValue(0)


@given(
    project=st.text(max_size=20),
    autoretry=st.integers(min_value=0, max_value=10),
    preemptible=st.booleans(),
    extra=st.lists(st.text(min_size=1, max_size=12), max_size=4),
    metadata=st.dictionaries(st.text(min_size=1, max_size=6), st.text(max_size=6), max_size=3),
    chunk=st.one_of(st.integers(-5, 500), st.text(max_size=6)),
)
def test_any_settings_round_trip(project, autoretry, preemptible, extra, metadata, chunk):
    import katana_standin_control

    from Katana import NodegraphAPI

    from ciokatana.katana.registration import node_class

    katana_standin_control.reset()
    NodegraphAPI.RegisterSuperTool(C.NODE_TYPE, node_class())
    node = NodegraphAPI.CreateNode(C.NODE_TYPE)
    data = Settings(project=project, autoretry=autoretry, preemptible=preemptible, extra_assets=extra,
                    metadata=metadata, chunk_size=chunk).to_dict()
    settings_node.write_settings(node, data)
    assert settings_node.read_settings(node) == data


def test_storing_unchanged_settings_leaves_the_scene_clean(plugin, tmp_path):
    from Katana import KatanaFile, NodegraphAPI

    node = NodegraphAPI.CreateNode(C.NODE_TYPE)
    settings_node.write_settings(node, rich_settings().to_dict())
    ks.save(tmp_path / "shot.katana")
    assert settings_node.write_settings(node, rich_settings().to_dict()) == 0
    assert not KatanaFile.IsFileDirty()
    assert settings_node.write_settings(node, dict(rich_settings().to_dict(), project="Other")) == 1
    assert KatanaFile.IsFileDirty()


def test_writes_are_one_undo_group(plugin, ksc):
    from Katana import NodegraphAPI

    node = NodegraphAPI.CreateNode(C.NODE_TYPE)
    before = ksc.undo_stats()
    settings_node.write_settings(node, rich_settings().to_dict())
    after = ksc.undo_stats()
    assert after["OpenGroup"] == before["OpenGroup"] + 1
    assert after["CloseGroup"] == before["CloseGroup"] + 1
    assert after["depth"] == 0 and after["unbalanced"] == 0


def test_settings_survive_a_save_and_load(plugin, tmp_path):
    from Katana import KatanaFile, NodegraphAPI

    NodegraphAPI.CreateNode("Render")
    scene = KatanaScene()
    data = rich_settings().to_dict()
    scene.store_settings(data)
    path = ks.save(tmp_path / "shot.katana")
    KatanaFile.New()
    assert KatanaScene().load_settings() == {}
    KatanaFile.Load(path)
    assert KatanaScene().load_settings() == data
    assert not KatanaFile.IsFileDirty()


def test_a_node_saved_by_an_older_version_gains_new_parameters_on_load(plugin, tmp_path):
    from Katana import KatanaFile, NodegraphAPI

    node = NodegraphAPI.CreateNode(C.NODE_TYPE)
    settings_node.write_settings(node, dict(Settings().to_dict(), project="Kept"))
    advanced = node.getParameter("advanced")
    advanced.deleteChild(advanced.getChild("mockInterval"))
    path = ks.save(tmp_path / "old.katana")
    KatanaFile.Load(path)
    node = NodegraphAPI.GetNode(node.getName())
    assert node.getParameter("advanced.mockInterval").getValue(0) == 1.0
    assert settings_node.read_settings(node)["project"] == "Kept"


def test_store_settings_creates_the_node_once(plugin):
    from Katana import NodegraphAPI

    scene = KatanaScene()
    assert scene.load_settings() == {}
    scene.store_settings(Settings(project="A").to_dict())
    KatanaScene().store_settings(Settings(project="B").to_dict())
    nodes = NodegraphAPI.GetAllNodesByType(C.NODE_TYPE)
    assert len(nodes) == 1
    assert settings_node.read_settings(nodes[0])["project"] == "B"


def test_reset_conductor_recreates_the_node_with_defaults(plugin, ksc):
    from Katana import NodegraphAPI

    NodegraphAPI.CreateNode("Render")
    KatanaScene().store_settings(rich_settings().to_dict())
    [old] = NodegraphAPI.GetAllNodesByType(C.NODE_TYPE)
    ksc.set_message_box_answers(0)  # Reset
    new = ksc.invoke_menu(C.MENU_RESET, scope="all", menu="util")
    [call] = ksc.message_box_calls()
    assert call["kind"] == "Warning" and call["acceptText"] == "Reset" and call["cancelText"] == "Cancel"
    assert NodegraphAPI.GetAllNodesByType(C.NODE_TYPE) == [new]
    assert new is not old and not settings_node.is_alive(old)
    assert Settings.from_dict(settings_node.read_settings(new)) == Settings()
    assert NodegraphAPI.IsNodeEdited(new)


def test_reset_conductor_can_be_cancelled(plugin, ksc):
    from Katana import NodegraphAPI

    KatanaScene().store_settings(rich_settings().to_dict())
    [old] = NodegraphAPI.GetAllNodesByType(C.NODE_TYPE)
    ksc.set_message_box_answers(1)  # Cancel
    assert ksc.invoke_menu(C.MENU_RESET, scope="all", menu="util") is None
    assert NodegraphAPI.GetAllNodesByType(C.NODE_TYPE) == [old]
    assert settings_node.read_settings(old)["project"] == "Episode 104"


def test_a_dialog_opened_before_a_reset_does_not_overwrite_it(plugin, ksc):
    scene = KatanaScene()
    scene.store_settings(rich_settings().to_dict())
    ksc.invoke_menu(C.MENU_RESET, scope="all", menu="util")
    with pytest.raises(SceneError, match="deleted or reset while the Conductor dialog was open"):
        scene.store_settings(rich_settings().to_dict())
    assert Settings.from_dict(KatanaScene().load_settings()) == Settings()


def test_a_whole_number_interval_does_not_rewrite_the_node(plugin, tmp_path):
    from Katana import KatanaFile, NodegraphAPI

    node = NodegraphAPI.CreateNode(C.NODE_TYPE)
    settings_node.write_settings(node, dict(Settings().to_dict(), mock_interval=2))
    ks.save(tmp_path / "shot.katana")
    assert settings_node.write_settings(node, dict(Settings().to_dict(), mock_interval=2)) == 0
    assert not KatanaFile.IsFileDirty()
    assert settings_node.read_settings(node)["mock_interval"] == 2.0
