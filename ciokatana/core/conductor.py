"""Conductor account data through ciocore: projects, machines, software.

Layer: core. :func:`fetch` makes network calls and blocks, so the dialog
calls it on a worker thread. It never opens a browser login on its own:
without an API key (or an earlier login) it raises :class:`ConductorError`
saying what to set. Errors name the service URL and the cause, with any
credential scrubbed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ciokatana.core.redact import redact_text
from ciokatana.core.settings import Package

PRODUCT = "katana"


class ConductorError(Exception):
    """Conductor could not be reached or refused; the message says why."""


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
    text = redact_text(str(err)).strip().splitlines()
    first = text[0] if text else name
    if "ConnectionError" in name or "Connection refused" in first or "Max retries" in first:
        return "cannot reach Conductor at {} ({}); check the network or CONDUCTOR_URL".format(url, first[:200])
    if "401" in first or "403" in first or "Unauthorized" in first:
        return "Conductor at {} refused the credentials ({}); check your API key".format(url, first[:200])
    return "Conductor at {} failed: {}: {}".format(url, name, first[:300])


def dashboard_link(jobid: str, url: Optional[str] = None) -> str:
    """``{CONDUCTOR_URL}/job/{jobid}``."""
    base = (url or os.environ.get("CONDUCTOR_URL") or "https://dashboard.conductortech.com").rstrip("/")
    return "{}/job/{}".format(base, jobid)
