"""Names shared by the Katana adapter: node type, menu labels, farm settings.

Layer: katana (imports nothing from Katana). Keeping the names in one place
lets the install script, the menus, the scene reader and the tests agree
without importing each other.
"""

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

#: Per-Render-node farm settings (``farmSettings.<name>``), see ciokatana.core.scene.FARM_KEYS.
FARM_OVERRIDES = "conductorOverrides"
FARM_FRAME_SPEC = "conductorFrameSpec"
FARM_SCOUT_SPEC = "conductorScoutSpec"
FARM_CHUNK_SIZE = "conductorChunkSize"
FARM_VAR_SETS = "conductorVarSets"
FARM_GROUP = "farmSettings"

#: Scout spec a Render node starts with when its overrides are switched on.
DEFAULT_NODE_SCOUT = "fml:3"

#: Title of every message box the adapter shows.
TITLE = "Conductor"
