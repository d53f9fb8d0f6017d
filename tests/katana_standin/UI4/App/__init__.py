"""Stand-in for ``UI4.App`` (test equipment, not Katana): ``MainWindow`` and ``Tabs``."""

from . import MainWindow, Tabs  # noqa: F401
