"""Stand-in for Katana's ``UI4`` package (test equipment, not Katana).

Imitates the UI pieces a farm submitter touches (reference sheet 6.1) as
plain Python objects; **no Qt binding is imported**, so the stand-in loads
with or without Qt.  A test that needs real widgets (``Tabs.BaseTab`` as a
QWidget, ``IconManager.GetPixmap``, ``FormMaster`` widgets) hands its own Qt
modules in with ``katana_standin_control.use_qt(QtWidgets, QtGui)``.

Members: ``UI4.Widgets.MessageBox``, ``UI4.Util.AssetId``,
``UI4.Util.IconManager``, ``UI4.Tabs``, ``UI4.App.MainWindow``,
``UI4.App.Tabs``, ``UI4.FormMaster``.
"""

from . import App, FormMaster, Tabs, Util, Widgets  # noqa: F401
