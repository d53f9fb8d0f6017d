"""Stand-in for Katana's ``Nodes3DAPI`` (test equipment, not Katana).

Imitates only ``Nodes3DAPI.RenderNodeUtil`` (reference sheet 3.4).
"""

from . import RenderNodeUtil  # noqa: F401
