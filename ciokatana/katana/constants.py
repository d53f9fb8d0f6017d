"""Names shared by the Katana adapter: node type, menu labels, farm settings.

Layer: katana (imports nothing from Katana). Keeping the names in one place
lets the install script, the menus, the scene reader and the tests agree
without importing each other.
"""

from ciokatana.core.scene import FARM_KEYS

#: The SuperTool node type that stores the submitter settings (one per scene).
NODE_TYPE = "ConductorRender"

#: The node type Conductor submits, one job per node.
RENDER_TYPE = "Render"

#: Node types FarmAPI treats as farm nodes (their parameters name outputs).
FARM_TYPES = ("Render", "RenderScript", "ImageWrite")

#: Util menu items (FarmAPI.AddFarmMenuOption).
MENU_CONDUCTOR = "Conductor"
MENU_RESET = "Reset Conductor"

#: Render-node right-click item under Render Farm (FarmAPI.AddFarmPopupMenuOption).
POPUP_CONDUCTOR = "Conductor"

#: Per-Render-node farm settings (``farmSettings.<name>``): the names in ciokatana.core.scene.FARM_KEYS.
FARM_OVERRIDES = FARM_KEYS["overrides"]
FARM_FRAME_SPEC = FARM_KEYS["frame_spec"]
FARM_SCOUT_SPEC = FARM_KEYS["scout_spec"]
FARM_CHUNK_SIZE = FARM_KEYS["chunk_size"]
FARM_VAR_SETS = FARM_KEYS["var_sets"]
FARM_GROUP = "farmSettings"

#: Scout spec a Render node starts with when its overrides are switched on.
DEFAULT_NODE_SCOUT = "fml:3"

#: Title of every message box the adapter shows.
TITLE = "Conductor"
