"""Stand-in for ``UI4.Widgets`` (test equipment, not Katana): only ``MessageBox``."""

from . import MessageBox  # noqa: F401
