"""Stand-in for Katana's ``KatanaFile`` (test equipment, not Katana).

Imitates project saving/loading and the dirty flag (reference sheet 6.5 and
8.9).  ``Save`` writes the stand-in's own JSON format, which only ``Load`` /
``Import`` of the stand-in read; see ``_katana_standin.persist``.
"""

from _katana_standin.persist import Import, IsFileDirty, Load, New, Save  # noqa: F401
