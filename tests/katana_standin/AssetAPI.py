"""Stand-in for Katana's ``AssetAPI`` (test equipment, not Katana).

Imitates the farm browser context constant and the default asset plug-in
(an ``AssetPlugin``), with the method signatures of the ``types-katana``
stubs (``AssetAPI_cmodule``, a pybind11 binding).  Katana's default
plug-in resolves plain file paths to themselves.  Tests may install a
resolver with ``katana_standin_control.set_asset_resolver(fn)`` to imitate an
asset system (``fn(assetId, frame)`` returns a path, a sequence keeping
its frame pattern such as ``cache.####.abc``; ``frame`` is ``None`` for
``resolveAsset``).

As Foundry's documentation describes them: ``resolveAsset(assetId)``
returns what the asset references, a sequence as its pattern (``####``
kept); ``resolvePath(path, frame)`` resolves an asset id *and frame* pair
to one file: the asset id is resolved, then the file-sequence pattern is
replaced by that frame's number (``cache.####.abc`` at frame 1002 ->
``cache.1002.abc``), for a plain path as well.  As the real binding does,
``resolvePath`` rejects a frame that is not an int (a float from
``NodegraphAPI.GetCurrentTime()`` included) with ``TypeError``.

Stand-in guesses: the frame patterns ``resolvePath`` replaces are runs of
``#`` (padded to the run's length) and ``%0Nd`` (Katana's default
file-sequence plug-in decides this in Katana; environment variables, which
the real ``resolvePath`` also expands, are left alone);
``kAssetContextFarm`` is the string ``'farm'``;
``isAssetId`` is True for ``scheme://...`` strings only (a plain file path
is not an asset id); ``throwOnError`` defaults to False; a resolver that
raises or returns nothing makes ``resolveAsset``/``resolvePath`` raise
``RuntimeError`` with ``throwOnError`` and return ``''`` without it.
"""

import re

from _katana_standin import state

kAssetContextFarm = "farm"

_ASSET_ID = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")
_FRAME_PATTERN = re.compile(r"#+|%0?(\d*)d")


def _frame_file(path, frame):
    """One frame's file of a sequence pattern (what the file-sequence plug-in does)."""
    def number(match):
        text = match.group(0)
        width = len(text) if text.startswith("#") else int(match.group(1) or 0)
        return "%0*d" % (width, frame) if frame >= 0 else "-%0*d" % (max(width - 1, 0), -frame)

    return _FRAME_PATTERN.sub(number, path)


def _incompatible(method, value):
    return TypeError(
        "%s(): incompatible function arguments. The following argument types are supported:\n"
        "    1. (self: AssetAPI_cmodule.AssetPlugin, assetId: str, frame: int, throwOnError: bool = False) -> str\n"
        "\nInvoked with: %r" % (method, value))


class AssetPlugin(object):
    """An asset plug-in (the default one is the file system)."""

    def isAssetId(self, assetStr, throwOnError=False):
        return bool(_ASSET_ID.match(assetStr or ""))

    def containsAssetId(self, str, throwOnError=False):
        return bool(_ASSET_ID.search(str or ""))

    def _resolve(self, assetId, frame, throwOnError):
        resolver = state.S.asset_resolver
        if resolver is None or not self.isAssetId(assetId):
            return assetId
        try:
            resolved = resolver(assetId, frame)
        except Exception as err:
            if throwOnError:
                raise RuntimeError("could not resolve %s: %s" % (assetId, err))
            return ""
        if not resolved and throwOnError:
            raise RuntimeError("could not resolve %s" % (assetId,))
        return resolved or ""

    def resolveAsset(self, assetId, throwOnError=False):
        return self._resolve(assetId, None, throwOnError)

    def resolvePath(self, assetId, frame, throwOnError=False):
        if isinstance(frame, (float, str, bytes)) or not hasattr(frame, "__index__"):
            raise _incompatible("resolvePath", (assetId, frame))
        resolved = self._resolve(assetId, int(frame), throwOnError)
        return _frame_file(resolved, int(frame)) if resolved else resolved


_PLUGIN = AssetPlugin()


def GetDefaultAssetPlugin():
    """The session's default asset plug-in."""
    return _PLUGIN
