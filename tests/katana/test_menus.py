"""The three menu items: registered by the plugin, each opening the dialog with the right scope.

Layer: tests/katana (no Qt). The Qt dialog opener is replaced by a recorder
(the ``opened`` fixture); the tests look at the KatanaScene it receives.
"""

from ciokatana.katana import constants as C
from ciokatana.katana.scene import KatanaScene

import katana_scenes as ks


def names(scene):
    return [n.getName() for n in scene.scope()]


def three_render_nodes():
    return [ks.render_node(n) for n in ("beauty", "shadow", "crypto")]


def test_util_conductor_without_a_selection_takes_every_render_node(plugin, ksc, opened):
    three_render_nodes()
    result = ksc.invoke_menu(C.MENU_CONDUCTOR, scope="all", menu="util")
    assert result == "dialog-1"
    [scene] = opened
    assert isinstance(scene, KatanaScene)
    assert names(scene) == ["beauty", "shadow", "crypto"]
    assert [n.name for n in scene.snapshot().nodes] == ["beauty", "shadow", "crypto"]


def test_util_conductor_takes_the_selected_render_nodes(plugin, ksc, opened):
    from Katana import NodegraphAPI

    beauty, shadow, crypto = three_render_nodes()
    geo = ks.alembic("/x.abc")
    for node in (crypto, geo, beauty):
        NodegraphAPI.SetNodeSelected(node, True)
    ksc.invoke_menu(C.MENU_CONDUCTOR, scope="selected", menu="util")
    assert names(opened[0]) == ["crypto", "beauty"]


def test_render_farm_conductor_takes_the_clicked_node(plugin, ksc, opened):
    beauty, shadow, crypto = three_render_nodes()
    ksc.invoke_menu(C.POPUP_CONDUCTOR, scope="single", node=shadow, menu="popup")
    assert names(opened[0]) == ["shadow"]


def test_render_farm_conductor_prefers_the_selection(plugin, ksc, opened):
    from Katana import NodegraphAPI

    beauty, shadow, crypto = three_render_nodes()
    NodegraphAPI.SetNodeSelected(beauty, True)
    NodegraphAPI.SetNodeSelected(crypto, True)
    ksc.invoke_menu(C.POPUP_CONDUCTOR, scope="single", node=shadow, menu="popup")
    assert names(opened[0]) == ["beauty", "crypto"]


def test_the_scope_is_fixed_when_the_dialog_opens(plugin, ksc, opened):
    from Katana import NodegraphAPI

    beauty, shadow, crypto = three_render_nodes()
    ksc.invoke_menu(C.POPUP_CONDUCTOR, scope="single", node=shadow, menu="popup")
    NodegraphAPI.SetNodeSelected(beauty, True)
    assert names(opened[0]) == ["shadow"]
    shadow.setName("shadow_v2")
    assert [n.name for n in opened[0].snapshot().nodes] == ["shadow_v2"]
    shadow.delete()
    assert opened[0].snapshot().nodes == ()


def test_no_render_node_gives_a_message_not_a_dialog(plugin, ksc, opened):
    ks.alembic("/x.abc")
    assert ksc.invoke_menu(C.MENU_CONDUCTOR, scope="all", menu="util") is None
    assert opened == []
    [call] = ksc.message_box_calls()
    assert call["kind"] == "Warning" and call["title"] == "Conductor"
    assert "no Render node" in call["text"]


def test_right_click_on_an_image_write_explains_itself(plugin, ksc, opened):
    from Katana import NodegraphAPI

    write = NodegraphAPI.CreateNode("ImageWrite")
    ksc.invoke_menu(C.POPUP_CONDUCTOR, scope="single", node=write, menu="popup")
    assert opened == []
    [call] = ksc.message_box_calls()
    assert call["text"].startswith("Conductor submits Render nodes; ImageWrite is of type ImageWrite.")


def test_opening_the_dialog_creates_the_conductor_node_once(plugin, ksc, opened):
    from Katana import NodegraphAPI

    three_render_nodes()
    ksc.invoke_menu(C.MENU_CONDUCTOR, scope="all", menu="util")
    ksc.invoke_menu(C.MENU_CONDUCTOR, scope="all", menu="util")
    [node] = NodegraphAPI.GetAllNodesByType(C.NODE_TYPE)
    assert opened[0].settings_node() is node and opened[1].settings_node() is node
    assert opened[0] is not opened[1]  # a fresh scene object per click: nothing kept between opens


def test_a_failing_dialog_shows_the_reason(plugin, ksc, monkeypatch):
    from ciokatana.katana import menus

    def broken(scene):
        raise ImportError("ciokatana needs PyQt5 here but it could not be imported")

    monkeypatch.setattr(menus, "default_opener", broken)
    three_render_nodes()
    assert ksc.invoke_menu(C.MENU_CONDUCTOR, scope="all", menu="util") is None
    [call] = ksc.message_box_calls()
    assert call["kind"] == "Critical"
    assert "PyQt5" in call["text"]


def test_without_ui4_the_message_goes_to_the_log(plugin, ksc, opened, caplog):
    ksc.set_ui4_importable(False)
    assert ksc.invoke_menu(C.MENU_CONDUCTOR, scope="all", menu="util") is None
    assert "no Render node" in caplog.text
