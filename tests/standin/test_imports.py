"""Importability, module identity, version and launch-mode switches."""

import os
import subprocess
import sys

import pytest

import katana_standin_control

STANDIN = os.path.dirname(os.path.abspath(katana_standin_control.__file__))

TOP_LEVEL = ["NodegraphAPI", "FarmAPI", "KatanaFile", "KatanaInfo", "Configuration", "Callbacks", "Utils",
             "UI4", "Nodes3DAPI", "RenderManager", "AssetAPI"]


def test_from_katana_import_gives_the_top_level_modules():
    from Katana import (AssetAPI, Callbacks, Configuration, FarmAPI, KatanaFile, NodegraphAPI,  # noqa: F401
                        Nodes3DAPI, RenderManager, UI4, Utils)
    import Katana

    for name in TOP_LEVEL:
        module = __import__(name)
        if name == "Callbacks":  # Katana.Callbacks is the manager instance the package exports
            assert getattr(Katana, name) is module.Callbacks
            assert callable(Callbacks.addCallback) and not hasattr(module, "addCallback")
            continue
        assert getattr(Katana, name) is module, name


def test_submodules_reachable_as_attributes():
    from Katana import FarmAPI, Nodes3DAPI, UI4, Utils

    assert callable(Utils.EventModule.QueueEvent)
    assert callable(Utils.UndoStack.OpenGroup)
    assert callable(Nodes3DAPI.RenderNodeUtil.SyncAllOutputPorts)
    assert callable(UI4.Widgets.MessageBox.Warning)
    assert callable(UI4.Util.AssetId.BrowseForAsset)
    assert callable(UI4.Util.IconManager.GetPixmap)
    assert callable(UI4.App.MainWindow.CurrentMainWindow)
    assert callable(UI4.FormMaster.CreateParameterPolicy)
    assert callable(UI4.FormMaster.KatanaFactory.ParameterWidgetFactory.buildWidget)
    assert callable(UI4.FormMaster.NodeActionDelegate.RegisterActionDelegate)
    assert isinstance(UI4.Tabs.BaseTab, type)
    assert callable(FarmAPI.FarmPluginManager.GetFarmPluginNames)


def test_unknown_katana_attribute_is_an_import_error():
    with pytest.raises(ImportError):
        from Katana import NoSuchModule  # noqa: F401


def test_stand_in_imports_no_qt_binding():
    code = (
        "import sys; sys.path.insert(0, %r)\n"
        "import katana_standin_control as k; k.reset()\n"
        "from Katana import NodegraphAPI, FarmAPI, Callbacks, KatanaFile, Utils, UI4, Nodes3DAPI, "
        "RenderManager, AssetAPI, Configuration\n"
        "import KatanaInfo\n"
        "UI4.Tabs.BaseTab; UI4.Util.IconManager.GetPixmap('x.png')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PyQt5', 'PyQt6', 'PySide2', 'PySide6', 'Qt', 'qtpy')]\n"
        "assert not bad, bad\n"
        "assert UI4.Tabs.BaseTab.__mro__[1] is object\n"
    ) % STANDIN
    env = dict(os.environ)
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_version_default_and_override(ksc):
    import KatanaInfo

    assert isinstance(KatanaInfo.version, str)
    assert KatanaInfo.version == "7.5v3"
    ksc.set_version("8.0v2")
    assert KatanaInfo.version == "8.0v2"
    ksc.reset()
    assert KatanaInfo.version == "7.5v3"


def test_configuration_follows_launch_mode(ksc):
    import Configuration

    assert Configuration.get("KATANA_UI_MODE")
    assert Configuration.get("KATANA_BATCH_MODE") is None
    ksc.set_ui_mode(False)
    assert Configuration.get("KATANA_UI_MODE") is None
    assert Configuration.get("KATANA_BATCH_MODE")
    ksc.set_launch_mode("script")
    assert Configuration.get("KATANA_SCRIPT_MODE")
    assert Configuration.get("KATANA_BATCH_MODE") is None
    assert Configuration.get("SOMETHING_ELSE") is None
    with pytest.raises(ValueError):
        ksc.set_launch_mode("gui")


def test_ui4_can_be_made_unimportable(ksc):
    import UI4

    ksc.set_ui4_importable(False)
    with pytest.raises(ImportError):
        import UI4
    with pytest.raises(ImportError):
        from Katana import UI4  # noqa: F401
    from Katana import NodegraphAPI  # noqa: F401  (others still work)

    ksc.reset()
    from Katana import UI4 as again

    assert again.Widgets.MessageBox.Warning
