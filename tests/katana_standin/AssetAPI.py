"""Stand-in for Katana's ``AssetAPI`` (test equipment, not Katana).

Imitates the minimum the plugin touches (reference sheet 7.2): the farm
browser context constant and the default asset plug-in.  Katana's default
plug-in resolves plain file paths to themselves.

Stand-in guesses [unverified]: ``kAssetContextFarm`` is the string
``'farm'``; the plug-in methods below and their behaviour.  Tests may install
a resolver with ``katana_standin_control.set_asset_resolver(fn)`` to imitate
an asset system (``fn(assetId, frame)`` returns a path).
"""

import re

from _katana_standin import state

kAssetContextFarm = "farm"

_ASSET_ID = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")


class _DefaultAssetPlugin(object):
    """The default (file-system) asset plug-in.

    Stand-in guess [unverified]: ``isAssetId`` is True for ``scheme://...``
    strings only (a plain file path is not an asset id); resolution is the
    identity unless a test installed a resolver.
    """

    def isAssetId(self, name):
        return bool(_ASSET_ID.match(name or ""))

    def containsAssetId(self, text):
        return bool(_ASSET_ID.search(text or ""))

    def resolveAsset(self, assetId):
        return self.resolvePath(assetId, 0)

    def resolvePath(self, assetId, frame):
        resolver = state.S.asset_resolver
        if resolver is not None and self.isAssetId(assetId):
            return resolver(assetId, frame)
        return assetId


_PLUGIN = _DefaultAssetPlugin()


def GetDefaultAssetPlugin():
    """The session's default asset plug-in."""
    return _PLUGIN
