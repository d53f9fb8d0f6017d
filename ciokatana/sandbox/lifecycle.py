"""Jobs that run by themselves in the sandbox: waiting, running, then done.

Layer: sandbox (test and demo tooling; stdlib only, no Qt, no Katana).

By default the sandbox's jobs never run (tests move them with
``Sandbox.set_job_status``). Give the sandbox a :class:`Lifecycle` and every
task of every job follows a clock instead, the way a job on Conductor does
as seen from a job monitor:

- ``pending`` for ``wait`` seconds after the sandbox first sees the job
  (a task the job's scout frames hold stays ``holding``: the sandbox never
  releases held tasks by itself, as Conductor waits for the artist);
- ``running`` for ``run`` seconds, while its log grows by
  ``lines_per_second`` progress lines;
- then ``success``, or ``failed`` when the job was marked to fail
  (:meth:`Lifecycle.fails`: a title containing one of ``fail_titles``, or a
  job id passed to ``Sandbox.fail_job``).

A task whose status was set by hand (``set_status``) or killed keeps that
status; the clock no longer moves it.

Everything here is a pure function of the job record, the task and the time,
so the owning :class:`~ciokatana.sandbox.jobs.JobBook` applies it under the
sandbox's lock whenever a job is read.
"""

import time

WAITING = "pending"
HELD = "holding"
RUNNING = "running"
DONE = "success"
FAILED = "failed"


class Lifecycle(object):
    """How the sandbox's jobs move over time.

    Args:
        wait (float): Seconds a task stays ``pending``.
        run (float): Seconds a task stays ``running``.
        lines_per_second (float): How fast a running task's log grows.
        fail_titles (iterable of str): Jobs whose title contains one of these
            end ``failed`` instead of ``success``.
        clock (callable): Returns the time in seconds (``time.time``); tests
            may pass their own.
    """

    def __init__(self, wait=1.0, run=3.0, lines_per_second=4.0, fail_titles=(), clock=None):
        wait, run, rate = float(wait), float(run), float(lines_per_second)
        if wait < 0 or run < 0 or rate < 0:
            raise ValueError("wait, run and lines_per_second must not be negative")
        self.wait = wait
        self.run = run
        self.lines_per_second = rate
        self.fail_titles = tuple(str(t) for t in fail_titles if str(t))
        self.clock = clock or time.time

    @classmethod
    def from_dict(cls, data):
        """A lifecycle from its JSON form (``POST /_sandbox/lifecycle``)."""
        if not isinstance(data, dict):
            raise ValueError("A lifecycle must be a JSON object")
        allowed = {"wait", "run", "lines_per_second", "fail_titles"}
        unknown = set(data) - allowed
        if unknown:
            raise ValueError("Unknown lifecycle field(s): %s" % ", ".join(sorted(unknown)))
        titles = data.get("fail_titles", ())
        if isinstance(titles, str) or not isinstance(titles, (list, tuple)):
            raise ValueError("fail_titles must be a list of strings")
        return cls(wait=data.get("wait", 1.0), run=data.get("run", 3.0),
                   lines_per_second=data.get("lines_per_second", 4.0), fail_titles=titles)

    def to_dict(self):
        return {"wait": self.wait, "run": self.run, "lines_per_second": self.lines_per_second,
                "fail_titles": list(self.fail_titles)}

    def now(self):
        return self.clock()

    # --- per task ----------------------------------------------------------------

    def fails(self, job):
        """Whether ``job`` ends failed rather than successful."""
        if job.get("fail"):
            return True
        title = str(job["payload"].get("job_title", ""))
        return any(part in title for part in self.fail_titles)

    def elapsed(self, job, now):
        return max(0.0, now - job.get("t0", now))

    def status(self, job, task, now):
        """The status the clock gives ``task`` of ``job`` at ``now``."""
        if task.get("held"):
            return HELD
        elapsed = self.elapsed(job, now)
        if elapsed < self.wait:
            return WAITING
        if elapsed < self.wait + self.run:
            return RUNNING
        return FAILED if self.fails(job) else DONE

    def log_lines(self, job, task, now):
        """The task's log as it stands at ``now`` (empty while it waits)."""
        status = task["status"]
        if status in (WAITING, HELD):
            return []
        payload = job["payload"]
        lines = [
            "Conductor sandbox: job %s task %s on %s"
            % (job["jid"], task["tid"], payload.get("instance_type")),
            "Frames: %s" % task["frames"],
            "$ %s" % task["command"],
        ]
        running_for = self.elapsed(job, now) - self.wait
        if task.get("forced_at") is not None:
            running_for = min(running_for, task["forced_at"] - job.get("t0", now) - self.wait)
        running_for = max(0.0, min(running_for, self.run))
        count = int(running_for * self.lines_per_second)
        for index in range(count):
            seconds = index / self.lines_per_second if self.lines_per_second else 0.0
            percent = int(100 * seconds / self.run) if self.run else 100
            lines.append("[%6.2fs] Rendering frames %s: %d%%" % (seconds, task["frames"], percent))
        if status == DONE:
            lines += ["Render finished.", "Task complete."]
        elif status == FAILED:
            lines += ["Render failed: the sandbox was told to fail this job.", "Exit code 1"]
        elif status == "killed":
            lines += ["Task killed."]
        elif status == "preempted":
            lines += ["Instance preempted."]
        return lines
