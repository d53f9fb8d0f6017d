"""Conductor account data through ciocore: projects, machines, software.

Layer: core. :func:`fetch` makes network calls and blocks, so the dialog
calls it on a worker thread. It never opens a browser login on its own:
without an API key (or an earlier login) it raises :class:`ConductorError`
saying what to set. Errors name the service URL and the cause, with any
credential scrubbed.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

from ciokatana.core import wording
from ciokatana.core.redact import redact_text
from ciokatana.core.settings import Package, Settings

PRODUCT = "katana"


class ConductorError(Exception):
    """Conductor could not be reached or refused; the message says why."""


class SoftwareError(ValueError):
    """A software name that Conductor does not offer, or offers twice."""


def service_url() -> str:
    from ciocore import config

    return config.get()["url"]


def check_credentials() -> None:
    """Raise ConductorError unless ciocore can authenticate without a browser."""
    from ciocore import api_client, config

    try:
        cfg = config.get(force=True)
    except ValueError as err:
        raise ConductorError("Conductor settings are invalid: {}".format(redact_text(str(err))))
    key = cfg.get("api_key") or {}
    if key.get("client_id") and key.get("private_key"):
        return
    if os.path.exists(api_client.get_creds_path(api_key=False)):
        return
    raise ConductorError(
        "no Conductor credentials: set CONDUCTOR_API_KEY (or CONDUCTOR_API_KEY_PATH) to your API key "
        "from the Conductor dashboard, or log in once with the Conductor desktop tools"
    )


@dataclass
class ConductorData:
    """Snapshot of an account's choices, safe to use from any thread."""

    url: str
    projects: List[str] = field(default_factory=list)
    instance_types: List[Dict[str, Any]] = field(default_factory=list)
    software: Any = None  # ciocore PackageTree
    extra_environment: List[Dict[str, str]] = field(default_factory=list)

    def instance_type_map(self) -> Dict[str, Dict[str, Any]]:
        return {it["name"]: it for it in self.instance_types}

    def categories(self) -> List[tuple]:
        """[(label, [instance type dicts])]: CPU then GPU, by cores and memory."""
        cpu = [it for it in self.instance_types if not it.get("gpu")]
        gpu = [it for it in self.instance_types if it.get("gpu")]
        key = lambda it: (it.get("cores", 0), it.get("memory", 0))  # noqa: E731
        out = []
        if cpu:
            out.append(("CPU", sorted(cpu, key=key)))
        if gpu:
            out.append(("GPU", sorted(gpu, key=key)))
        return out

    def platforms_of(self, instance_type: str) -> List[str]:
        it = self.instance_type_map().get(instance_type)
        return [it["operating_system"]] if it and it.get("operating_system") else ["linux", "windows"]

    def katana_versions(self, platform: Optional[str] = None) -> List[str]:
        """Katana host package paths, newest first, for a platform."""
        if not self.software:
            return []
        names = self.software.supported_host_names()
        if platform:
            names = [n for n in names if n.endswith(" " + platform)]
        return sorted(names, key=_version_key, reverse=True)

    def renderers(self, katana_path: str) -> List[str]:
        """Renderer plugin paths under a Katana host (``host/plugin``)."""
        if not self.software or not katana_path:
            return []
        try:
            names = self.software.to_path_list(name=katana_path)
        except (TypeError, KeyError, AttributeError):
            return []
        return sorted(("{}/{}".format(katana_path, n) for n in names), key=_version_key, reverse=True)

    def package(self, path: str) -> Optional[Package]:
        """The Package for a tree path, with its id and environment."""
        if not self.software or not path:
            return None
        found = self.software.find_by_path(path)
        return Package.from_conductor(path, found) if found else None


def _product(name: str) -> str:
    """``renderman-katana 26.3 linux`` -> ``renderman-katana``."""
    return name.rsplit("/", 1)[-1].strip().split(" ")[0].lower()


def _match(name: str, candidates: Sequence[str], what: str, preferred: Sequence[str] = ()) -> str:
    """The candidate a typed name means: an exact match (any case), else the
    one candidate the name starts (``katana 7.0v4`` -> ``katana 7.0v4
    linux``; ``renderman`` -> the one ``renderman-katana ...``), preferring
    ``preferred`` ones. Raises SoftwareError listing the closest matches
    when there is none, or the matches when there are several."""
    typed = " ".join(str(name).split())
    low = typed.lower()
    if not low:
        raise SoftwareError("{} is empty: name one, e.g. {!r}".format(what, candidates[0] if candidates else "katana 7.0v4 linux"))
    exact = [c for c in candidates if c.lower() == low]
    if exact:
        return exact[0]
    starts = [c for c in candidates if c.lower().startswith(low + " ")]
    if not starts:  # a product named by its first part: renderman -> renderman-katana ...
        starts = [c for c in candidates if c.lower().startswith(low) and c.lower()[len(low)] in "- "]
    if len(starts) > 1 and preferred:
        starts = [c for c in starts if c in preferred] or starts
    if len(starts) == 1:
        return starts[0]
    if starts:
        raise SoftwareError("{} {!r} is ambiguous: it matches {}; write one in full".format(
            what, typed, ", ".join(repr(c) for c in starts)))
    close = difflib.get_close_matches(typed, list(candidates), n=5, cutoff=0.5)
    if not close:
        close = [c for c in candidates if c.lower().split(" ")[0] == low.split(" ")[0]][:5]
    hint = "closest: {}".format(", ".join(repr(c) for c in close)) if close else "none is close"
    raise SoftwareError("{} {!r} is not offered by Conductor ({}); 'ciokatana list software' lists them all".format(
        what, typed, hint))


def _is_host_name(name: str, hosts: Sequence[str]) -> bool:
    """Whether a software name names a Katana version (its first word is a
    host product's, ``katana 7.0v9 linux``), not a renderer plugin."""
    if "/" in name:
        return False
    return _product(name) in {_product(h) for h in hosts}


def resolve_software(
    settings: Settings,
    data: "ConductorData",
    katana: Optional[str] = None,
    renderers: Optional[Sequence[str]] = None,
) -> Settings:
    """A copy of settings whose software is resolved through Conductor's
    package list, as the dialog's Software section resolves a choice: the
    package ids and environments come from Conductor.

    Args:
        settings: the stored settings; packages without an id are names to
            resolve (a scene file may list ``"katana 7.0v4 linux"`` and
            ``"renderman-katana 26.3 linux"``).
        data: what Conductor offers (:func:`fetch`).
        katana: a Katana version name (``--software``); replaces the stored
            one. The stored renderers are kept, each as the same plugin
            version built for the new Katana; one that Conductor does not
            offer for it is an error that names it.
        renderers: renderer plugin names (``--renderer``); replace the
            stored renderers.

    Raises:
        SoftwareError: an unknown or ambiguous name (the message lists the
            closest ones or the matches), two Katana versions, a plugin
            named twice (or two versions of one), a renderer with no Katana
            version, or a stored renderer the new Katana has no build of.
    """
    result = settings.copy()
    hosts = data.katana_versions()
    if not hosts:
        raise SoftwareError("Conductor offers no Katana version to this account")
    preferred = [h for p in data.platforms_of(result.instance_type) for h in data.katana_versions(p)]
    if katana is not None and not str(katana).strip():
        raise SoftwareError("--software is empty: name a Katana version, e.g. {!r} ('ciokatana list software')".format(
            hosts[0]))
    host_path = _match(katana, hosts, "Katana version", preferred) if katana else None
    named_hosts, named_renderers = [], []
    for package in result.software:
        if package.package_id:
            continue
        name = package.path
        (named_hosts if _is_host_name(name, hosts) else named_renderers).append(name)
    if len(named_hosts) > 1:
        raise SoftwareError("settings.software names {} Katana versions ({}); a job runs one: keep one".format(
            len(named_hosts), ", ".join(repr(n) for n in named_hosts)))
    if named_hosts:
        found = _match(named_hosts[0], hosts, "Katana version (settings.software)", preferred)
        host_path = host_path or found
    stored_host = result.katana_package if (result.katana_package and result.katana_package.package_id) else None
    if host_path is None and stored_host is not None:
        host_path = stored_host.path
    if renderers is not None and any(not str(r).strip() for r in renderers):
        raise SoftwareError("--renderer is empty: name a renderer plugin, e.g. 'renderman-katana 26.3 linux'")
    wanted = list(renderers) if renderers else named_renderers
    if host_path is None:
        if wanted:
            raise SoftwareError("renderer {!r} needs a Katana version: add --software, e.g. {!r}".format(
                wanted[0], hosts[0]))
        return result
    host = data.package(host_path)
    if host is None:  # pragma: no cover - a name from the list always resolves
        raise SoftwareError("Katana version {!r} has no package on Conductor".format(host_path))
    plugins = data.renderers(host_path)
    plugin_names = [p.rsplit("/", 1)[-1] for p in plugins]
    what = "Renderer plugin for {}".format(host_path)
    matched = [_match(name.rsplit("/", 1)[-1], plugin_names, what) for name in wanted]
    if not wanted:  # keep the stored renderers, as built for this Katana
        stored = [p for p in result.renderer_packages if p.package_id]
        missing = [p.path.rsplit("/", 1)[-1] for p in stored if p.path.rsplit("/", 1)[-1] not in plugin_names]
        if missing:
            raise SoftwareError("{} offers no {} (the scene's renderer); choose one it offers with --renderer "
                                "(closest: {})".format(host_path, ", ".join(repr(m) for m in missing), ", ".join(
                                    repr(c) for c in _closest(missing[0], plugin_names)) or "none"))
        matched = [p.path.rsplit("/", 1)[-1] for p in stored]
    products = [_product(m) for m in matched]
    twice = sorted({p for p in products if products.count(p) > 1})
    if twice:
        raise SoftwareError("renderer plugin {} is chosen twice ({}): a job loads one version of each; keep one".format(
            ", ".join(repr(t) for t in twice), ", ".join(repr(m) for m in matched if _product(m) in twice)))
    chosen = [data.package("{}/{}".format(host_path, m)) for m in matched]
    result.software = [host] + [p for p in chosen if p is not None]
    return result


def _closest(name: str, candidates: Sequence[str]) -> List[str]:
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.5)
    return close or [c for c in candidates if _product(c) == _product(name)][:3]


def needs_resolving(settings: Settings, katana: Optional[str] = None, renderers: Optional[Sequence[str]] = None) -> bool:
    """Whether software must be looked up on Conductor before planning."""
    return bool(katana is not None or renderers or any(not p.package_id for p in settings.software))


def _version_key(path: str):
    name = path.rsplit("/", 1)[-1]
    parts = name.split(" ")
    version = parts[1] if len(parts) > 2 else ""
    nums = []
    for piece in version.replace("v", ".").split("."):
        nums.append((0, int(piece)) if piece.isdigit() else (1, piece))
    return (parts[0], nums)


def fetch(force: bool = False) -> ConductorData:
    """Fetch projects, instance types and Katana software (blocking).

    Raises:
        ConductorError: no credentials, unreachable service, refused call.
    """
    check_credentials()
    from ciokatana.core import ciocompat

    url = service_url()
    try:
        data = ciocompat.fetch_data(PRODUCT, force=force)
    except Exception as err:  # every failure becomes one message
        raise ConductorError(_explain(err, url))
    hardware = data.get("instance_types")
    instance_types = list(hardware.instance_types.values()) if hardware is not None else []
    return ConductorData(
        url=url,
        projects=list(data.get("projects") or []),
        instance_types=instance_types,
        software=data.get("software"),
        extra_environment=list(data.get("extra_environment") or []),
    )


def _explain(err: Exception, url: str) -> str:
    name = type(err).__name__
    whole = redact_text(str(err)).strip()
    text = whole.splitlines()
    first = text[0] if text else name
    if "ConnectionError" in name or "Connection refused" in first or "Max retries" in first:
        return "cannot reach Conductor at {} ({}); check the network or CONDUCTOR_URL".format(url, first[:200])
    refused = wording.service_refusal(whole)  # ciocore: "Failed to get ...\nError 500 ...\n{body}"
    if refused is not None:
        what, code, words = refused
        if code == 401:
            return "Conductor at {} refused the credentials: {}".format(url, words)
        if what[1:2].islower():  # "Failed to get ..." reads on after a colon; "HTTPError" keeps its case
            what = what[:1].lower() + what[1:]
        return "Conductor at {}: {}: {}".format(url, what[:200], words)
    if "401" in first or "403" in first or "Unauthorized" in first:
        return "Conductor at {} refused the credentials ({}); check your API key".format(url, first[:200])
    if name == "Exception":  # a bare Exception's class name tells the artist nothing
        return "Conductor at {} failed: {}".format(url, first[:300])
    return "Conductor at {} failed: {}: {}".format(url, name, first[:300])


def dashboard_link(jobid: str, url: Optional[str] = None) -> str:
    """``{CONDUCTOR_URL}/job/{jobid}``."""
    base = (url or os.environ.get("CONDUCTOR_URL") or "https://dashboard.conductortech.com").rstrip("/")
    return "{}/job/{}".format(base, jobid)
