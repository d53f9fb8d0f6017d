"""Jobs the sandbox accepted: validation, listing, logs and kills.

Layer: sandbox (test and demo tooling; stdlib only, no Qt, no Katana).

A submitted payload is checked the way the service would check it before
accepting it (required fields, an active project, a known instance type and
known software packages, well-formed tasks, and every uploaded file's md5
held in storage), then kept with a zero-padded five-digit job id. A job
with ``local_upload`` false leaves its files to Conductor's upload daemon:
they are listed without md5 and need not be held yet, as on Conductor.

By default jobs do not run. Each task starts ``pending`` (or ``holding``
when the job has scout frames and the task renders none of them); tests move
jobs and tasks along with :meth:`JobBook.set_status`, and ``jobs_multi`` /
``tasks_multi`` kill them. Logs are made up from the task's command and
status. With a :class:`~ciokatana.sandbox.lifecycle.Lifecycle` set
(:meth:`JobBook.set_lifecycle`), tasks run by themselves instead: waiting,
running with a log that grows, then done or failed (see that module); a
status set by hand or a kill still wins over the clock.

Every public method is called with the owning sandbox's lock held, or is
read-only on immutable data; this module itself keeps no lock.
"""

import copy
import datetime
import re
import time

REQUIRED_FIELDS = ("instance_type", "project", "tasks_data", "output_path")
FINISHED = ("success", "failed", "killed")
TASK_STATUSES = ("pending", "holding", "running", "success", "failed", "killed", "preempted")

_FRAME_RANGE = re.compile(r"^\s*(-?\d+)\s*(?:-\s*(-?\d+)\s*(?:x\s*(\d+))?)?\s*$")


class JobError(Exception):
    """A payload the service would refuse; ``status`` is the HTTP code."""

    def __init__(self, message, status=400):
        super(JobError, self).__init__(message)
        self.status = status


def parse_frames(spec, limit=100000):
    """Frames in a spec like ``"1-10x2,15"``; an empty set if it cannot be read."""
    frames = set()
    for part in str(spec or "").split(","):
        if not part.strip():
            continue
        match = _FRAME_RANGE.match(part)
        if not match:
            return set()
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) is not None else start
        step = int(match.group(3) or 1)
        if end < start or step < 1 or (end - start) // step > limit:
            return set()
        frames.update(range(start, end + 1, step))
    return frames


def _now():
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0, tzinfo=None)
    return now.isoformat() + "Z"


class JobBook(object):
    """The sandbox's jobs, in submission order.

    Args:
        project_names (callable): Returns the names of active projects.
        instance_type_names (callable): Returns the names of known instance types.
        package_ids (callable): Returns the set of known package ids.
    """

    def __init__(self, project_names, instance_type_names, package_ids):
        self._projects = project_names
        self._instance_types = instance_type_names
        self._package_ids = package_ids
        self._jobs = []
        self._next = 1
        self.lifecycle = None

    # --- submission ------------------------------------------------------------

    def validate(self, payload, has_file):
        """Raise :class:`JobError` if the service would refuse ``payload``."""
        if not isinstance(payload, dict):
            raise JobError("The job payload must be a JSON object.")
        missing = [k for k in REQUIRED_FIELDS if payload.get(k) in (None, "", [])]
        if missing:
            raise JobError("Missing required field(s): %s." % ", ".join(missing))
        project = payload["project"]
        if project not in self._projects():
            raise JobError("Project %r does not exist or is not active." % (project,))
        if payload["instance_type"] not in self._instance_types():
            raise JobError("Unknown instance type %r." % (payload["instance_type"],))

        tasks = payload["tasks_data"]
        if not isinstance(tasks, list):
            raise JobError("tasks_data must be a list of {command, frames} objects.")
        for index, task in enumerate(tasks):
            if not isinstance(task, dict) or not task.get("command"):
                raise JobError("Task %d has no command." % index)
            if "frames" not in task:
                raise JobError("Task %d has no frames." % index)

        known = self._package_ids()
        unknown = [p for p in payload.get("software_package_ids") or [] if p not in known]
        if unknown:
            raise JobError("Unknown software package id(s): %s." % ", ".join(map(str, unknown)))

        env = payload.get("environment", {})
        if not isinstance(env, dict):
            raise JobError("environment must be an object of name -> value.")

        upload_files = payload.get("upload_files") or []
        if not isinstance(upload_files, list):
            raise JobError("upload_files must be a list.")
        # local_upload false: Conductor's upload daemon uploads (and hashes)
        # the files later, so they arrive without md5 and are not held yet.
        daemon = payload.get("local_upload", True) is False
        for entry in upload_files:
            if not isinstance(entry, dict):
                raise JobError("Each upload_files entry must be an object.")
            name = entry.get("destination") or entry.get("path") or "?"
            md5 = entry.get("md5")
            if daemon:
                if not entry.get("destination"):
                    raise JobError("A file for the upload daemon has no destination.")
                continue
            if not md5:
                raise JobError("Uploaded file %s has no md5." % name)
            if not has_file(md5):
                raise JobError(
                    "File %s (md5 %s) has not been uploaded to this account." % (name, md5)
                )

    def submit(self, payload, has_file):
        """Validate and keep ``payload``; return the job id (``"00001"``)."""
        self.validate(payload, has_file)
        jid = str(self._next).zfill(5)
        self._next += 1
        scout = parse_frames(payload.get("scout_frames"))
        tasks = []
        for index, task in enumerate(payload["tasks_data"]):
            frames = parse_frames(task.get("frames"))
            held = bool(scout) and not (frames & scout)
            tasks.append({
                "tid": str(index).zfill(3),
                "frames": task.get("frames"),
                "command": task.get("command"),
                "status": "holding" if held else "pending",
            })
        self._jobs.append({
            "jid": jid,
            "payload": copy.deepcopy(payload),
            "created": _now(),
            "status": "pending",
            "tasks": tasks,
        })
        self._start_clock(self._jobs[-1])
        return jid

    # --- queries -----------------------------------------------------------------

    def records(self):
        """Deep copies of the job records (``jid, payload, created, status, tasks``)."""
        self.advance()
        return copy.deepcopy(self._jobs)

    def find(self, jid):
        jid = str(jid).zfill(5)
        for job in self._jobs:
            if job["jid"] == jid:
                return job
        return None

    def summary(self, job):
        """A job as ``GET api/v1/jobs`` lists it."""
        payload = job["payload"]
        counts = {}
        for task in job["tasks"]:
            counts[task["status"]] = counts.get(task["status"], 0) + 1
        return {
            "jid": job["jid"],
            "id": job["jid"],
            "title": payload.get("job_title", ""),
            "status": job["status"],
            "project": payload.get("project"),
            "owner": payload.get("owner", ""),
            "created": job["created"],
            "instance_type": payload.get("instance_type"),
            "preemptible": payload.get("preemptible", False),
            "priority": payload.get("priority", 5),
            "output_path": payload.get("output_path"),
            "scout_frames": payload.get("scout_frames", ""),
            "software_package_ids": list(payload.get("software_package_ids") or []),
            "metadata": copy.deepcopy(payload.get("metadata") or {}),
            "tasks": len(job["tasks"]),
            "task_status_counts": counts,
            "upload_size": payload.get("upload_size", 0),
            "uri": "/jobs/%s" % job["jid"],
        }

    def listing(self, filter_param=""):
        """Job summaries, honouring ``jid_gt_N`` / ``jid_lt_N`` / ``jid_eq_N`` terms."""
        low, high, exact = None, None, None
        for term in str(filter_param or "").split(","):
            term = term.strip()
            for prefix in ("jid_gt_", "jid_lt_", "jid_eq_"):
                if term.startswith(prefix):
                    try:
                        value = int(term[len(prefix):])
                    except ValueError:
                        raise JobError("Bad filter term %r." % term)
                    if prefix == "jid_gt_":
                        low = value
                    elif prefix == "jid_lt_":
                        high = value
                    else:
                        exact = value
        self.advance()
        result = []
        for job in self._jobs:
            n = int(job["jid"])
            if low is not None and n <= low:
                continue
            if high is not None and n >= high:
                continue
            if exact is not None and n != exact:
                continue
            result.append(self.summary(job))
        return result

    def log(self, jid, tid, offset=0):
        """The ``get_log_file`` answer for one task (see ``api_client.get_log``)."""
        self.advance()
        job = self.find(jid)
        if job is None:
            raise JobError("Job %s not found." % jid, status=404)
        task = self._task(job, tid)
        lines = []
        if self.lifecycle is not None and "t0" in job:
            lines = self.lifecycle.log_lines(job, task, self.lifecycle.now())
        elif task["status"] not in ("pending", "holding"):
            payload = job["payload"]
            lines = [
                "Conductor sandbox: job %s task %s on %s"
                % (job["jid"], task["tid"], payload.get("instance_type")),
                "Frames: %s" % task["frames"],
                "$ %s" % task["command"],
            ]
            if task["status"] == "success":
                lines += ["Render finished.", "Task complete."]
            elif task["status"] == "failed":
                lines += ["Render failed: the sandbox was told to fail this task.", "Exit code 1"]
            elif task["status"] == "killed":
                lines += ["Task killed."]
            elif task["status"] == "preempted":
                lines += ["Instance preempted."]
        offset = max(0, int(offset or 0))
        logs = []
        if lines:
            logs.append({
                "container_id": "j-%s-%s-stde" % (job["jid"], task["tid"]),
                "instance_name": "sandbox-renderer-%s-%s" % (job["jid"], task["tid"]),
                "log": lines[offset:],
                "timestamp": "%.9fE9" % (time.time() / 1e9),
            })
        return {
            "logs": logs,
            "new_num_lines": [len(lines)],
            "status_description": "",
            "task_status": task["status"],
        }

    # --- changes ---------------------------------------------------------------------

    def set_status(self, jid, status, tasks=None):
        """Set a job's status, and its tasks' (all, or the given task ids)."""
        if status not in TASK_STATUSES:
            raise ValueError("status must be one of %s" % ", ".join(TASK_STATUSES))
        job = self.find(jid)
        if job is None:
            raise KeyError(jid)
        self.advance()
        tids = None if tasks is None else {str(t).zfill(3) for t in tasks}
        for task in job["tasks"]:
            if tids is None or task["tid"] in tids:
                task["status"] = status
                self._force(task)
        if tids is None:
            job["status"] = status
        else:
            job["status"] = self._derive_status(job)

    def kill_jobs(self, jids):
        jids = [str(j).zfill(5) for j in jids]
        unknown = [j for j in jids if self.find(j) is None]
        if unknown:
            raise JobError("Job(s) not found: %s." % ", ".join(unknown), status=404)
        self.advance()
        for jid in jids:
            job = self.find(jid)
            for task in job["tasks"]:
                if task["status"] not in FINISHED:
                    task["status"] = "killed"
                    self._force(task)
            if job["status"] not in FINISHED:
                job["status"] = "killed"
        return {"body": "success", "message": "Jobs %s have been kill." % jids}

    def kill_tasks(self, jid, tids):
        job = self.find(jid)
        if job is None:
            raise JobError("Job %s not found." % jid, status=404)
        self.advance()
        tasks = [self._task(job, t) for t in tids]
        for task in tasks:
            if task["status"] not in FINISHED:
                task["status"] = "killed"
                self._force(task)
        job["status"] = self._derive_status(job)
        message = ' %d Tasks set to "kill"' % len(tasks)
        for task in tasks:
            message += "\n\t%s" % task["tid"]
        return {"body": "success", "message": message}

    # --- running by the clock (see .lifecycle) -----------------------------------------

    def set_lifecycle(self, lifecycle):
        """Let jobs run by themselves (a Lifecycle), or stop them moving (None)."""
        self.advance()
        self.lifecycle = lifecycle
        self.advance()

    def mark_failing(self, jid):
        """Make a job end ``failed`` when its tasks finish running."""
        job = self.find(jid)
        if job is None:
            raise KeyError(jid)
        job["fail"] = True

    def advance(self):
        """Move every job's tasks to where the lifecycle's clock puts them."""
        life = self.lifecycle
        if life is None:
            return
        now = life.now()
        for job in self._jobs:
            if "t0" not in job:  # submitted before the lifecycle was set: starts now
                self._start_clock(job)
            changed = False
            for task in job["tasks"]:
                if task.get("forced"):
                    continue
                status = life.status(job, task, now)
                if status != task["status"]:
                    task["status"] = status
                    changed = True
            if changed:
                job["status"] = self._derive_status(job)

    def _start_clock(self, job):
        """Start a job's clock (at submission, or when a lifecycle is set later)."""
        if self.lifecycle is None:
            return
        job["t0"] = self.lifecycle.now()
        for task in job["tasks"]:
            task["held"] = task["status"] == "holding" and not task.get("forced")

    def _force(self, task):
        """A status set by hand or a kill: the clock no longer moves this task."""
        task["forced"] = True
        if self.lifecycle is not None and task.get("forced_at") is None:
            task["forced_at"] = self.lifecycle.now()

    # --- helpers -----------------------------------------------------------------------

    @staticmethod
    def _task(job, tid):
        tid = str(tid).zfill(3)
        for task in job["tasks"]:
            if task["tid"] == tid:
                return task
        raise JobError("Task %s of job %s not found." % (tid, job["jid"]), status=404)

    @staticmethod
    def _derive_status(job):
        statuses = {t["status"] for t in job["tasks"]}
        if "running" in statuses:
            return "running"
        if statuses & {"pending", "preempted"}:
            return "pending"
        if "holding" in statuses:
            return "holding"
        if "failed" in statuses:
            return "failed"
        return "success" if statuses == {"success"} else "killed"
