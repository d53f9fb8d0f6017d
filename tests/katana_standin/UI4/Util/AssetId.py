"""Stand-in for ``UI4.Util.AssetId`` (test equipment, not Katana).

No dialog is shown: ``BrowseForAsset`` records the call
(``katana_standin_control.browse_calls()``) and returns the next scripted
result (``katana_standin_control.set_browse_results``), else ``''`` (the
user cancelled).
"""

from _katana_standin import state


def BrowseForAsset(assetOrFile, label, saveMode, hints, extraOptions=None):
    """Return the scripted path (``''`` = cancelled).

    Stand-in guess: cancelling returns ``''`` (not ``None``).
    """
    S = state.S
    S.browse_calls.append({"default": assetOrFile, "caption": label, "save": saveMode, "hints": hints,
                           "extraOptions": extraOptions})
    if S.browse_results:
        return S.browse_results.popleft()
    return S.browse_default
