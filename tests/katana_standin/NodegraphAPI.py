"""Stand-in for Katana's ``NodegraphAPI`` (test equipment, not Katana).

Imitates the node graph as documented in the Katana Developer Guide
(3.6-8.0) and summarised in the reference sheet, section 2: one root group
node, node creation by registered type, unique node names, parameters (group,
number, string, numberArray, stringArray) with expressions and hints, ports
and connections, selection/edit flags, SuperTools and their life cycle.

Implementation: ``_katana_standin.graph`` (nodes, parameters, ports) and
``_katana_standin.expressions`` (expression evaluation); the guesses made
where Katana's behaviour is unverified are written in the docstring of each
function and class, and listed together in the stand-in README.
"""

from _katana_standin.graph import (  # noqa: F401
    AddNodeFlavor,
    CreateNode,
    GetAllEditedNodes,
    GetAllFloatingNodes,
    GetAllNodes,
    GetAllNodesByType,
    GetAllSelectedNodes,
    GetCurrentTime,
    GetNode,
    GetNodePosition,
    GetProjectAssetID,
    GetProjectDir,
    GetProjectFile,
    GetRootNode,
    GetSourceFile,
    GetWorkingInTime,
    GetWorkingOutTime,
    GroupNode,
    IsNodeEdited,
    IsNodeSelected,
    Node,
    Parameter,
    Port,
    PythonGroupNode,
    RegisterSuperTool,
    SetAllSelectedNodes,
    SetCurrentTime,
    SetNodeEdited,
    SetNodePosition,
    SetNodeSelected,
    SuperTool,
)
