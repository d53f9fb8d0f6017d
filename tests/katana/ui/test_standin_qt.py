"""The stand-in's UI4 shims with a real Qt binding (Katana's own widgets are Qt)."""

from Katana import NodegraphAPI, UI4


def test_use_qt_makes_real_widgets(ksc, request):
    from ciokatana.qt import QtGui, QtWidgets

    request.getfixturevalue("qapp")
    ksc.use_qt(QtWidgets, QtGui)

    class MyTab(UI4.Tabs.BaseTab):
        pass

    tab = MyTab(None)
    assert isinstance(tab, QtWidgets.QWidget)
    assert UI4.Tabs.BaseTab is UI4.Tabs.BaseTab  # cached
    assert isinstance(UI4.Util.IconManager.GetPixmap("Icons/plus16.png"), QtGui.QPixmap)
    node = NodegraphAPI.CreateNode("Render")
    policy = UI4.FormMaster.CreateParameterPolicy(None, node.getParameter("passName"))
    widget = UI4.FormMaster.KatanaFactory.ParameterWidgetFactory.buildWidget(None, policy)
    assert isinstance(widget, QtWidgets.QWidget) and widget.objectName() == "Render.passName"
    ksc.reset()
    assert UI4.Tabs.BaseTab.__mro__[1] is object
