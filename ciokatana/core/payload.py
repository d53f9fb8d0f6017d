"""Build the Conductor job payload for one planned job.

Layer: core. The payload is what ``ciocore.conductor_submit.Submit`` takes;
its keys come in the order of the design guide, with ``location`` and
``notify`` appended only when set. Values here are real (an environment
variable holding a secret keeps its value); anything shown to a person goes
through :mod:`ciokatana.core.redact` first.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Dict, List

from ciokatana.core import frames as fr
from ciokatana.core import gsv
from ciokatana.core.ciocompat import PackageEnvironment
from ciokatana.core.command import bind_command, posix_path
from ciokatana.core.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from ciokatana.core.plan import Job
    from ciokatana.core.scene import SceneSnapshot

PAYLOAD_KEYS = (
    "job_title",
    "project",
    "output_path",
    "instance_type",
    "preemptible",
    "autoretry_policy",
    "scout_frames",
    "local_upload",
    "software_package_ids",
    "environment",
    "metadata",
    "tasks_data",
    "upload_paths",
)


def build_environment(settings: Settings) -> Dict[str, str]:
    """Software package environments merged with the extra variables.

    The values of secret-named variables (API_TOKEN, DB_PASSWORD ...) are
    given to :func:`ciokatana.core.redact.set_secret_values` by the planner
    (:func:`ciokatana.core.plan.plan_submission`), once it knows which of
    them are also a plain part of the payload.

    Raises ValueError (from ciocore) when merge policies clash, e.g. an
    exclusive variable appended to.
    """
    env = PackageEnvironment()
    for pkg in settings.software:
        if pkg.environment:
            env.extend({"environment": pkg.environment, "platform": pkg.platform or "linux"})
    extra = [e.to_dict() for e in settings.environment if e.name]
    if extra:
        env.extend(extra, platform="linux")
    return dict(env)


def autoretry_policy(settings: Settings) -> dict:
    """Conductor retries preempted tasks up to N times (only if preemptible)."""
    count = int(settings.autoretry or 0)
    if settings.preemptible and count > 0:
        return {"preempted": {"max_retries": count}}
    return {}


def tasks_data(job: "Job", snapshot: "SceneSnapshot", settings: Settings) -> List[dict]:
    """One task per chunk: the quoted command and the chunk's frames.

    The template is parsed, and the scene and node quoted, once per job;
    chunking is linear (see :func:`ciokatana.core.frames.chunk_texts`). A
    job of a Graph State Variable set gets Katana's ``--var name=value``
    arguments appended to every command, each shell-quoted.
    """
    render = bind_command(
        settings.task_template,
        {"scene": posix_path(snapshot.katana_file), "node": job.node.name, "scene_name": snapshot.scene_name},
    )
    variables = gsv.command_arguments(job.var_set)  # "" without variables
    return [
        {"command": render(katana, start, end) + variables, "frames": spec}
        for start, end, spec, katana in fr.chunk_texts(job.frames, job.chunk_size)
    ]


def build_payload(
    job: "Job",
    snapshot: "SceneSnapshot",
    settings: Settings,
    environment: Dict[str, str],
    upload_paths: List[str],
) -> "OrderedDict[str, object]":
    """The payload dict for a job whose values are all valid."""
    payload = OrderedDict()
    payload["job_title"] = job.title
    payload["project"] = settings.project
    payload["output_path"] = job.output_path
    payload["instance_type"] = settings.instance_type
    payload["preemptible"] = bool(settings.preemptible)
    payload["autoretry_policy"] = autoretry_policy(settings)
    payload["scout_frames"] = ",".join(str(f) for f in job.scout) if job.scout is not None else ""
    payload["local_upload"] = not settings.use_daemon
    payload["software_package_ids"] = [p.package_id for p in settings.software if p.package_id]
    payload["environment"] = dict(environment)
    payload["metadata"] = {str(k): str(v) for k, v in settings.metadata.items()}
    payload["tasks_data"] = tasks_data(job, snapshot, settings)
    payload["upload_paths"] = list(upload_paths)
    if settings.location:
        payload["location"] = settings.location
    emails = [e.strip() for e in settings.notify if e.strip()]
    if emails:
        payload["notify"] = emails
    return payload
