"""Stand-in for Katana's ``FarmAPI`` package (test equipment, not Katana).

Imitates custom farm settings on Render/RenderScript/ImageWrite nodes, Util
and node right-click farm menus with their invocation scope,
``GetSortedDependencies`` with render outputs, scene information, validity
messages, and the Katana 4+ render-farm plug-ins (``BaseFarmPlugin`` with its
nested ``InstallationMetadata``, ``Job`` with ``Job.State``,
``FarmPluginException``, ``JobNotFoundException``, and
``FarmPluginManager`` with ``JobRequest``).  Names and signatures are those
of the ``types-katana==5.0.5.0`` stubs (``PyUtilModule/FarmAPI``), checked by
``tests/standin/test_conformance.py``.

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
    ExtractFarmSettingsFromNode,
    FarmSetting,
    GetAddedFarmSettings,
    GetClickedNode,
    GetCurrentNode,
    GetCurrentNodeFrameRange,
    GetErrorMessages,
    GetFarmMenuOptions,
    GetFarmPopupMenuOptions,
    GetKatanaFileName,
    GetNodeList,
    GetSceneFrameRange,
    GetSelectedNodes,
    GetSortedDependencies,
    GetSortedDependencyList,
    GetWarningMessages,
    IsSceneValid,
    NodeRenderSettings,
)

from . import FarmPluginManager  # noqa: F401
from .BaseFarmPlugin import BaseFarmPlugin, FarmPluginException, Job, JobNotFoundException  # noqa: F401
