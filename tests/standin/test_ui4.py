"""UI4 shims: message boxes, asset browser, tabs, main window, icons, FormMaster; AssetAPI."""

from Katana import AssetAPI, NodegraphAPI, RenderManager, UI4


def test_message_boxes_scripted_and_recorded(ksc):
    MessageBox = UI4.Widgets.MessageBox
    assert MessageBox.Warning("Title", "Text", acceptText="Save", cancelText="Cancel") == 0
    ksc.set_message_box_answers(1, 0)
    assert MessageBox.Critical("Oops", "Broken") == 1
    assert MessageBox.Information("FYI", "Info") == 0
    ksc.set_message_box_default(1)
    assert MessageBox.Warning("T", "X") == 1
    calls = ksc.message_box_calls()
    assert [c["kind"] for c in calls] == ["Warning", "Critical", "Information", "Warning"]
    assert calls[0]["title"] == "Title" and calls[0]["acceptText"] == "Save" and calls[0]["cancelText"] == "Cancel"


def test_browse_for_asset(ksc):
    hints = {"fileTypes": "xml", "acceptDir": False, "context": AssetAPI.kAssetContextFarm}
    assert UI4.Util.AssetId.BrowseForAsset("", "Pick", False, hints) == ""
    ksc.set_browse_results("/picked/file.xml")
    assert UI4.Util.AssetId.BrowseForAsset("/start", "Pick", True, hints) == "/picked/file.xml"
    assert ksc.browse_calls()[1] == {"default": "/start", "caption": "Pick", "save": True, "hints": hints,
                                  "extraOptions": None}


def test_tabs_main_window_icons(ksc):
    class MyTab(UI4.Tabs.BaseTab):
        pass

    assert UI4.Tabs.BaseTab.__mro__[1] is object  # plain by default, even when Qt is loaded
    assert MyTab(None).parent() is None
    assert UI4.App.MainWindow.CurrentMainWindow() is None
    window = object()
    ksc.set_main_window(window)
    assert UI4.App.MainWindow.CurrentMainWindow() is window
    assert UI4.App.Tabs.FindTopTab("Node Graph") is None
    assert UI4.Util.IconManager.GetPixmap("Icons/plus16.png").isNull()


def test_form_master(ksc):
    node = NodegraphAPI.CreateNode("Render")
    policy = UI4.FormMaster.CreateParameterPolicy(None, node.getParameter("passName"))
    assert policy.getParameter() is node.getParameter("passName")
    assert policy.getValue() == "Render"
    widget = UI4.FormMaster.KatanaFactory.ParameterWidgetFactory.buildWidget(None, policy)
    assert widget is not None
    delegate = object()
    UI4.FormMaster.NodeActionDelegate.RegisterActionDelegate("Render", delegate)
    assert ksc.action_delegates() == [("Render", delegate)]


def test_asset_api_identity_and_resolver(ksc):
    plugin = AssetAPI.GetDefaultAssetPlugin()
    assert plugin.isAssetId("/plain/file.abc") is False
    assert plugin.resolveAsset("/plain/file.abc") == "/plain/file.abc"
    assert plugin.resolveAsset("/plain/f.####.exr") == "/plain/f.####.exr"
    assert plugin.resolvePath("/plain/f.####.exr", 3) == "/plain/f.0003.exr"  # one frame's file
    assert plugin.resolvePath("/plain/f.%05d.exr", 1002) == "/plain/f.01002.exr"
    assert plugin.isAssetId("mock:///show/shot/name/v1")
    ksc.set_asset_resolver(lambda asset, frame: "/resolved/" + asset.split("/")[-1] + ".##.abc")
    assert plugin.resolveAsset("mock:///show/shot/name/v1") == "/resolved/v1.##.abc"  # the pattern
    assert plugin.resolvePath("mock:///show/shot/name/v1", 7) == "/resolved/v1.07.abc"


def test_render_manager_records(ksc):
    render = NodegraphAPI.CreateNode("Render")
    assert RenderManager.StartRender("diskRender", node=render) == []
    assert ksc.render_calls()[0]["node"] is render
    assert [e[0] for e in ksc.pending_events()][-1] == "renderStarted"
    try:
        RenderManager.StartRender("diskRender", node=NodegraphAPI.CreateNode("Merge"))
    except RenderManager.RenderingException:
        pass
    else:
        raise AssertionError("expected RenderingException")


def test_load_tabs(ksc, tmp_path):
    import sys
    import textwrap

    (tmp_path / "Tabs").mkdir()
    (tmp_path / "Tabs" / "StandinTab.py").write_text(textwrap.dedent('''
        from Katana import UI4

        class SubmitTab(UI4.Tabs.BaseTab):
            pass

        PluginRegistry = [("KatanaPanel", 2.0, "Conductor/Submit", SubmitTab)]
    '''))
    try:
        assert ksc.load_tabs(str(tmp_path)) == ["Conductor/Submit"]
        tab_class = ksc.registered_tabs()["Conductor/Submit"]
        assert tab_class(None).parent() is None
    finally:
        sys.modules.pop("StandinTab", None)
