"""What the sandbox's account offers: projects, instance types and software.

Layer: sandbox (test and demo tooling; stdlib only, no Qt, no Katana).

The data has the shapes Conductor's endpoints answer with, so that ciocore's
``data``, ``HardwareSet`` and ``PackageTree`` work on it unchanged:

- projects: ``{"id", "name", "status"}``; one project is inactive, so a
  client that forgets to filter by status shows up.
- instance types: GCP-like CPU machines and NVIDIA GPU machines, with
  ``name, description, cores, memory (a string, as the service sends it),
  operating_system, cloud, gpu`` (``None`` for CPU machines).
- packages: Katana host packages (linux) and renderer plugin packages
  (RenderMan, Arnold, 3Delight, Redshift for Katana) linked the way the
  service links them: a host lists its plugins' ``package_id`` in
  ``plugins`` and a plugin lists its hosts in ``plugin_hosts``; a plugin
  package's ``plugin_host_version`` is the host's major version. A few
  packages of other products are present too, as on the real endpoint.

Katana versions are written the Katana way: ``major_version`` "6" and
``minor_version`` "0v3" give the name ``katana 6.0v3 linux``.

Everything is built fresh by the functions below, so a test may change what
it got without affecting other sandboxes.
"""

import copy
import hashlib

#: The account id the sandbox's tokens carry (the JWT ``account`` claim).
ACCOUNT_ID = "4830262311927808"
ACCOUNT_NAME = "Sandbox Studio"

_PROJECTS = [
    ("default", "active"),
    ("Episode 104", "active"),
    ("Lumen Trailer", "active"),
    ("Previs", "active"),
    ("Archive 2022", "inactive"),
]

_CPU_TYPES = [
    # name, cores, memory GB
    ("n2-standard-4", 4, "16"),
    ("n2-standard-8", 8, "32"),
    ("n2-highmem-16", 16, "128"),
    ("n2-standard-32", 32, "128"),
    ("n2-highcpu-64", 64, "64"),
    ("n1-highmem-96", 96, "624"),
]

_GPU_TYPES = [
    # name, cores, memory, count, model, architecture, gpu memory, cuda cores, rt, tensor
    ("n1-standard-8-t4-1", 8, "30", 1, "T4 Tensor", "NVIDIA Turing", "16", 2560, 40, 320),
    ("n1-standard-16-t4-2", 16, "60", 2, "T4 Tensor", "NVIDIA Turing", "16", 2560, 40, 320),
    ("g2-standard-16-l4-1", 16, "64", 1, "L4 Tensor", "NVIDIA Ada Lovelace", "24", 7424, 58, 240),
    ("a2-highgpu-1g", 12, "85", 1, "A100", "NVIDIA Ampere", "40", 6912, 0, 432),
]

#: Katana host versions offered, as (major, minor) -> "katana 6.0v3 linux".
KATANA_VERSIONS = [("4", "5v1"), ("5", "0v5"), ("6", "0v3"), ("7", "0v4"), ("8", "0v2")]

# Renderer plugins: product, version tuple, host majors it is built for.
_RENDERERS = [
    ("renderman-katana", ("24", "4"), ("4", "5")),
    ("renderman-katana", ("25", "2"), ("4", "5", "6")),
    ("renderman-katana", ("26", "1"), ("6", "7")),
    ("renderman-katana", ("26", "3"), ("7", "8")),
    ("arnold-katana", ("4", "2", "4", "1"), ("4", "5", "6")),
    ("arnold-katana", ("4", "3", "1", "0"), ("6", "7")),
    ("arnold-katana", ("4", "4", "0", "0"), ("7", "8")),
    ("3delight-katana", ("2", "9", "30"), ("4", "5")),
    ("3delight-katana", ("2", "9", "54"), ("5", "6", "7")),
    ("redshift-katana", ("3", "5", "17"), ("4", "5", "6")),
    ("redshift-katana", ("3", "6", "2"), ("6", "7")),
]

_VENDORS = {
    "katana": "foundry",
    "renderman-katana": "pixar",
    "arnold-katana": "autodesk",
    "3delight-katana": "3delight",
    "redshift-katana": "maxon",
    "maya-io": "autodesk",
    "arnold-maya": "autodesk",
    "houdini": "sidefx",
}

_TIMESTAMP = "2024-03-18T10:42:07.000000Z"


def projects():
    """The account's projects as ``GET api/v1/projects/`` lists them."""
    return [
        {"id": _short_id("project", name), "name": name, "status": status}
        for name, status in _PROJECTS
    ]


def instance_types():
    """CPU and GPU machines as ``GET api/v1/instance-types`` lists them."""
    result = []
    for name, cores, memory in _CPU_TYPES:
        result.append({
            "name": name,
            "description": "%d core, %sGB Mem" % (cores, memory),
            "cores": cores,
            "memory": memory,
            "operating_system": "linux",
            "cloud": "gcp",
            "gpu": None,
        })
    for (name, cores, memory, count, model, arch, gpu_mem,
         cuda, rt_cores, tensor) in _GPU_TYPES:
        result.append({
            "name": name,
            "description": "%d core, %sGB Mem (%d %s GPU%s with %sGB Mem)"
            % (cores, memory, count, model, "s" if count > 1 else "", gpu_mem),
            "cores": cores,
            "memory": memory,
            "operating_system": "linux",
            "cloud": "gcp",
            "gpu": {
                "gpu_architecture": arch,
                "gpu_count": count,
                "gpu_model": model,
                "gpu_memory": gpu_mem,
                "gpu_cuda_cores": cuda,
                "gpu_rt_cores": rt_cores,
                "gpu_tensor_cores": tensor,
                "total_gpu_cuda_cores": cuda * count,
                "total_gpu_memory": str(int(gpu_mem) * count),
                "total_gpu_rt_cores": rt_cores * count,
                "total_gpu_tensor_cores": tensor * count,
            },
        })
    return result


def packages():
    """Software packages as ``GET api/v1/ee/packages`` lists them, hosts linked to plugins."""
    pkgs = []
    hosts_by_major = {}
    for major, minor in KATANA_VERSIONS:
        host = _katana_package(major, minor)
        pkgs.append(host)
        hosts_by_major.setdefault(major, []).append(host)

    for product, version, majors in _RENDERERS:
        for major in majors:
            plugin = _renderer_package(product, version, major)
            for host in hosts_by_major.get(major, []):
                host["plugins"].append(plugin["package_id"])
                plugin["plugin_hosts"].append(host["package_id"])
            pkgs.append(plugin)

    pkgs.extend(_other_products())
    return pkgs


def extra_environment(env=None):
    """The ``env-vars-configs`` answer: per-account extra variables (none by default)."""
    return [{"account_id": ACCOUNT_ID, "env": copy.deepcopy(env or [])}]


# --- package builders ----------------------------------------------------------


def _short_id(*parts):
    return str(int(hashlib.md5(":".join(parts).encode("utf-8")).hexdigest()[:12], 16))


def _package_id(*parts):
    return hashlib.md5(":".join(parts).encode("utf-8")).hexdigest()


def _env(name, value, policy):
    return {"name": name, "value": value, "merge_policy": policy}


def _base_package(product, versions, platform="linux", host_product="", host_version=""):
    versions = list(versions) + [""] * (4 - len(versions))
    major, minor, release, build = versions
    version_str = ".".join(v for v in versions if v)
    package_id = _package_id(product, version_str, platform, host_product, host_version)
    return {
        "package_id": package_id,
        "package": "%s-%s-%s" % (product, version_str, platform),
        "product": product,
        "vendor": _VENDORS.get(product, ""),
        "major_version": major,
        "minor_version": minor,
        "release_version": release,
        "build_version": build,
        "platform": platform,
        "plugin_host_product": host_product,
        "plugin_host_version": host_version,
        "plugin_hosts": [],
        "plugins": [],
        "description": "",
        "environment": [],
        "path": "",
        "relative_path": "",
        "build_id": _package_id("build", package_id)[:16],
        "time_created": _TIMESTAMP,
        "time_updated": _TIMESTAMP,
        "updated_at": _TIMESTAMP,
    }


def _katana_package(major, minor):
    pkg = _base_package("katana", (major, minor))
    version = "%s.%s" % (major, minor)
    root = "/opt/foundry/katana/katana%s" % version
    pkg.update({
        "description": "Katana %s for linux" % version,
        "path": root,
        "relative_path": "foundry/katana/katana%s" % version,
        "environment": [
            _env("PATH", root, "append"),
            _env("PATH", root + "/bin", "append"),
            _env("KATANA_ROOT", root, "exclusive"),
            _env("KATANA_HOME", root, "exclusive"),
            _env("foundry_LICENSE", "4101@conductor-rlm", "exclusive"),
            _env("KATANA_TAGLINE", "Conductor", "exclusive"),
        ],
    })
    return pkg


def _renderer_package(product, version, host_major):
    pkg = _base_package(product, version, host_product="katana", host_version=host_major)
    v = ".".join(version)
    kat = "katana%s" % host_major
    if product == "renderman-katana":
        rmantree = "/opt/pixar/RenderManProServer-%s" % v
        rfktree = "/opt/pixar/RenderManForKatana-%s" % v
        env = [
            _env("RMANTREE", rmantree, "exclusive"),
            _env("RFKTREE", rfktree, "exclusive"),
            _env("KATANA_RESOURCES", "%s/plugins/%s" % (rfktree, kat), "append"),
            _env("PATH", rmantree + "/bin", "append"),
            _env("DEFAULT_RENDERER", "prman", "exclusive"),
            _env("PIXAR_LICENSE_FILE", "9010@conductor-rlm", "exclusive"),
        ]
        root = rfktree
    elif product == "arnold-katana":
        root = "/opt/autodesk/ktoa/ktoa-%s-%s" % (v, kat)
        env = [
            _env("KTOA_ROOT", root, "exclusive"),
            _env("KATANA_RESOURCES", root, "append"),
            _env("PATH", root + "/bin", "append"),
            _env("DEFAULT_RENDERER", "arnold", "exclusive"),
            _env("ADSKFLEX_LICENSE_FILE", "@conductor-adlm", "exclusive"),
        ]
    elif product == "3delight-katana":
        root = "/opt/3delight/3delight-%s/Linux-x86_64" % v
        env = [
            _env("DELIGHT", root, "exclusive"),
            _env("KATANA_RESOURCES", root + "/3DelightForKatana", "append"),
            _env("PATH", root + "/bin", "append"),
            _env("DEFAULT_RENDERER", "dl", "exclusive"),
        ]
    else:  # redshift-katana
        root = "/opt/maxon/redshift/redshift-%s" % v
        env = [
            _env("REDSHIFT_COREDATAPATH", root, "exclusive"),
            _env("KATANA_RESOURCES", "%s/redshift4katana/%s" % (root, kat), "append"),
            _env("PATH", root + "/bin", "append"),
            _env("DEFAULT_RENDERER", "Redshift", "exclusive"),
            _env("redshift_LICENSE", "5054@conductor-rlm", "exclusive"),
        ]
    pkg.update({
        "description": "%s %s for Katana %s" % (product, v, host_major),
        "path": root,
        "relative_path": root.lstrip("/"),
        "environment": env,
    })
    return pkg


def _other_products():
    maya = _base_package("maya-io", ("2024", "SP2"))
    maya["environment"] = [_env("PATH", "/opt/autodesk/maya-io-2024.SP2/bin", "append")]
    arnold = _base_package("arnold-maya", ("5", "3", "4", "1"),
                           host_product="maya-io", host_version="2024")
    arnold["environment"] = [
        _env("MAYA_MODULE_PATH", "/opt/autodesk/mtoa/mtoa-5.3.4.1-2024", "append")
    ]
    maya["plugins"].append(arnold["package_id"])
    arnold["plugin_hosts"].append(maya["package_id"])
    houdini = _base_package("houdini", ("20", "0", "653"))
    houdini["environment"] = [_env("PATH", "/opt/sidefx/houdini/20.0.653/bin", "append")]
    return [maya, arnold, houdini]


class Catalog(object):
    """One sandbox's copy of the catalog; tests may edit its lists in place.

    Attributes:
        projects (list): As :func:`projects` returns.
        instance_types (list): As :func:`instance_types` returns.
        packages (list): As :func:`packages` returns.
        extra_env (list): ``{name, value, merge_policy}`` variables the
            account adds to every job (``env-vars-configs``); empty by default.
    """

    def __init__(self):
        self.projects = projects()
        self.instance_types = instance_types()
        self.packages = packages()
        self.extra_env = []

    def active_project_names(self):
        return [p["name"] for p in self.projects if p.get("status") == "active"]

    def instance_type_names(self):
        return {it["name"] for it in self.instance_types}

    def package_ids(self):
        return {p["package_id"] for p in self.packages}
