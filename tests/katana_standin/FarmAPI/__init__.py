"""Stand-in for Katana's ``FarmAPI`` package (test equipment, not Katana).

Imitates (reference sheet section 3 and 8.6-8.10, 8.15): custom farm
settings on Render/RenderScript/ImageWrite nodes, Util and node right-click
farm menus with their invocation scope, ``GetSortedDependencies`` with render
outputs, scene information, validity messages, and the Katana 4+ render-farm
plug-in names (``BaseFarmPlugin``, ``Job``, ``JobRequest``,
``InstallationMetadata``, exceptions, ``FarmPluginManager``).

Implementation and guesses: ``_katana_standin.farm``.  Stand-in guess
[unverified]: the scope constants ``NODES_SINGLE``, ``NODES_SELECTED``,
``NODES_ALL`` are the strings ``'single'``, ``'selected'``, ``'all'``.  Tests run a registered
menu handler with ``katana_standin_control.invoke_menu``.
"""

from _katana_standin.farm import (  # noqa: F401
    NODES_ALL,
    NODES_SELECTED,
    NODES_SINGLE,
    AddErrorMessage,
    AddFarmMenuOption,
    AddFarmPopupMenuOption,
    AddFarmSettingNumber,
    AddFarmSettingNumberArray,
    AddFarmSettingString,
    AddFarmSettingStringArray,
    AddWarningMessage,
    BaseFarmPlugin,
    FarmPluginException,
    GetCurrentNode,
    GetErrorMessages,
    GetKatanaFileName,
    GetNodeList,
    GetSceneFrameRange,
    GetSelectedNodes,
    GetSortedDependencies,
    GetSortedDependencyList,
    GetWarningMessages,
    InstallationMetadata,
    IsSceneValid,
    Job,
    JobNotFoundException,
    JobRequest,
    NodeRenderSettings,
)

from . import FarmPluginManager  # noqa: F401
