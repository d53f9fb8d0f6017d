"""Stand-in for Katana's ``KatanaInfo`` module (test equipment, not Katana).

Imitates ``KatanaInfo.version``, the display version string (documented to be
a string).  Stand-in guess [unverified]: the format ``"<major>.<minor>v<n>"``
such as ``"7.5v3"`` (the default) or ``"8.0v2"``; tests change it with
``katana_standin_control.set_version``.  Code should only parse the major
number (text before the first ``.``).
"""

from _katana_standin.state import DEFAULT_VERSION

version = DEFAULT_VERSION
