"""Stand-in for ``UI4.Util`` (test equipment, not Katana): ``AssetId`` and ``IconManager``."""

from . import AssetId, IconManager  # noqa: F401
