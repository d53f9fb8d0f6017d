"""Fault injection for the local Conductor sandbox.

Layer: sandbox (test and demo tooling; stdlib only, no Qt, no Katana).

A :class:`FaultTable` holds rules keyed by a short, stable endpoint name
(see :data:`ENDPOINTS`). When a request reaches an endpoint, the server takes
the first matching rule, counts it down and applies it in this order:

1. ``delay`` -- wait that many seconds (cut short if the sandbox stops);
2. ``hang`` -- wait until :meth:`FaultTable.release` or the sandbox stops;
3. ``drop`` -- close the connection without answering, or
   ``status`` -- answer with that HTTP status and a JSON error body, or
   ``lose_answer`` -- serve the request (a job is created, a file stored),
   then close the connection instead of answering: the answer is lost;
   with none of them, the request is then served normally (a pure delay or hang).

``times`` counts requests down (``1`` by default); ``times=None`` keeps the
rule until it is cleared. The same rules can be set over HTTP on a sandbox
started from the shell (``POST /_sandbox/faults``), so the JSON form of a rule
is the keyword arguments of :meth:`FaultTable.add` plus ``endpoint``.
"""

import itertools
import threading

#: Endpoint names a fault can target, with what each one covers.
ENDPOINTS = {
    "oauth": "GET api/oauth_jwt (API key -> bearer token)",
    "projects": "GET api/v1/projects/",
    "instance_types": "GET api/v1/instance-types",
    "packages": "GET api/v1/ee/packages",
    "env_vars": "GET api/v1/integrations/env-vars-configs",
    "account": "GET api/v1/accounts/<id>",
    "upload_urls": "POST api/v2/files/get_upload_urls",
    "upload": "PUT of file bytes to a presigned URL (single-part files and multipart parts)",
    "multipart_complete": "POST api/v2/files/multipart/complete",
    "jobs": "POST jobs/ (job submission)",
    "job_list": "GET api/v1/jobs",
    "logs": "GET get_log_file",
    "kill_jobs": "PUT jobs_multi",
    "kill_tasks": "PUT tasks_multi",
}


class Fault(object):
    """One fault rule. Plain data; the table owns the counting.

    Attributes:
        id (int): Unique within the table, to remove one rule.
        endpoint (str): One of :data:`ENDPOINTS`.
        status (int or None): Answer with this HTTP status.
        drop (bool): Close the connection without answering.
        delay (float): Seconds to wait before acting.
        hang (bool): Block until released or the sandbox stops.
        lose_answer (bool): Serve the request, then close the connection unanswered.
        times (int or None): Requests left to affect; None means until cleared.
        message (str): Error text put in the JSON body of a ``status`` answer.
        hits (int): Requests this rule has affected so far.
    """

    def __init__(self, fault_id, endpoint, status=None, drop=False, delay=0.0,
                 hang=False, times=1, message=None, lose_answer=False):
        self.id = fault_id
        self.endpoint = endpoint
        self.status = status
        self.drop = bool(drop)
        self.lose_answer = bool(lose_answer)
        self.delay = float(delay or 0.0)
        self.hang = bool(hang)
        self.times = times
        self.message = message or "Injected fault (ciokatana sandbox)"
        self.hits = 0

    @property
    def kind(self):
        """A short label for logs: drop, status:NNN, hang, delay, or a combination."""
        parts = []
        if self.delay:
            parts.append("delay:%g" % self.delay)
        if self.hang:
            parts.append("hang")
        if self.drop:
            parts.append("drop")
        if self.lose_answer:
            parts.append("lose-answer")
        if self.status is not None:
            parts.append("status:%d" % self.status)
        return "+".join(parts)

    def to_dict(self):
        """The rule as JSON-ready data (what ``GET /_sandbox/faults`` returns)."""
        return {
            "id": self.id,
            "endpoint": self.endpoint,
            "status": self.status,
            "drop": self.drop,
            "delay": self.delay,
            "hang": self.hang,
            "lose_answer": self.lose_answer,
            "times": self.times,
            "message": self.message,
            "hits": self.hits,
        }

    def __repr__(self):
        return "Fault(%s %s times=%s)" % (self.endpoint, self.kind, self.times)


class FaultTable(object):
    """Thread-safe set of fault rules, plus the gate that hung requests wait on.

    Args:
        stopping (threading.Event): Set when the sandbox stops; it cuts delays
            short and releases every hang.
    """

    def __init__(self, stopping=None):
        self._lock = threading.Lock()
        self._rules = []
        self._ids = itertools.count(1)
        self._hung = set()
        self._delayed = 0
        self._stopping = stopping or threading.Event()

    # --- rules -------------------------------------------------------------

    def add(self, endpoint, status=None, times=1, drop=False, delay=0.0,
            hang=False, message=None, lose_answer=False):
        """Add a rule and return the :class:`Fault`.

        Args:
            endpoint (str): One of :data:`ENDPOINTS`.
            status (int): HTTP status to answer with (400-599).
            times (int or None): How many requests to affect; None = until cleared.
            drop (bool): Close the socket without answering.
            delay (float): Seconds to wait first.
            hang (bool): Block until :meth:`release` or stop.
            message (str): Error text for a ``status`` answer.
            lose_answer (bool): Serve the request, then close the connection unanswered.

        Raises:
            ValueError: Unknown endpoint, no effect given, both ``drop`` and
                ``status``, or out-of-range values.
        """
        if endpoint not in ENDPOINTS:
            raise ValueError(
                "Unknown endpoint %r; expected one of: %s"
                % (endpoint, ", ".join(sorted(ENDPOINTS)))
            )
        if status is not None:
            status = int(status)
            if not 100 <= status <= 599:
                raise ValueError("status must be an HTTP status code, got %r" % status)
        if sum(1 for x in (drop, status is not None, lose_answer) if x) > 1:
            raise ValueError("A fault drops the connection, answers a status or loses the answer: one of them")
        delay = float(delay or 0.0)
        if delay < 0:
            raise ValueError("delay must not be negative")
        if times is not None:
            times = int(times)
            if times < 1:
                raise ValueError("times must be at least 1 (or None for until cleared)")
        if status is None and not drop and not delay and not hang and not lose_answer:
            raise ValueError("A fault needs at least one of status, drop, delay, hang or lose_answer")
        with self._lock:
            fault = Fault(next(self._ids), endpoint, status=status, drop=drop,
                          delay=delay, hang=hang, times=times, message=message,
                          lose_answer=lose_answer)
            self._rules.append(fault)
        return fault

    def add_from_dict(self, data):
        """Add a rule from its JSON form (``{"endpoint": ..., "status": ...}``)."""
        if not isinstance(data, dict):
            raise ValueError("A fault must be a JSON object")
        allowed = {"endpoint", "status", "times", "drop", "delay", "hang", "message", "lose_answer"}
        unknown = set(data) - allowed
        if unknown:
            raise ValueError("Unknown fault field(s): %s" % ", ".join(sorted(unknown)))
        if "endpoint" not in data:
            raise ValueError("A fault needs an 'endpoint'")
        kwargs = dict(data)
        return self.add(kwargs.pop("endpoint"), **kwargs)

    def remove(self, fault):
        """Remove one rule (a :class:`Fault` or its id). Returns True if it was there."""
        fault_id = fault.id if isinstance(fault, Fault) else int(fault)
        with self._lock:
            before = len(self._rules)
            self._rules = [f for f in self._rules if f.id != fault_id]
            return len(self._rules) != before

    def clear(self, endpoint=None):
        """Remove every rule, or only those for ``endpoint``. Hung requests stay hung."""
        with self._lock:
            if endpoint is None:
                self._rules = []
            else:
                self._rules = [f for f in self._rules if f.endpoint != endpoint]

    def list(self):
        """The current rules as dicts, oldest first."""
        with self._lock:
            return [f.to_dict() for f in self._rules]

    def take(self, endpoint):
        """Return the rule to apply to one request to ``endpoint`` (counting it down), or None."""
        with self._lock:
            for fault in self._rules:
                if fault.endpoint != endpoint:
                    continue
                fault.hits += 1
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._rules.remove(fault)
                return fault
        return None

    def __len__(self):
        with self._lock:
            return len(self._rules)

    # --- waiting -----------------------------------------------------------

    def wait_delay(self, seconds):
        """Sleep ``seconds`` unless the sandbox stops first. Returns False if it stopped."""
        with self._lock:
            self._delayed += 1
        try:
            return not self._stopping.wait(seconds)
        finally:
            with self._lock:
                self._delayed -= 1

    def wait_hang(self):
        """Block until :meth:`release` or stop. Returns False if the sandbox stopped."""
        gate = threading.Event()
        with self._lock:
            if self._stopping.is_set():
                return False
            self._hung.add(gate)
        try:
            gate.wait()
        finally:
            with self._lock:
                self._hung.discard(gate)
        return not self._stopping.is_set()

    @property
    def hung_count(self):
        """How many requests are blocked on a ``hang`` fault right now."""
        with self._lock:
            return len(self._hung)

    @property
    def held_count(self):
        """How many requests are held by a ``hang`` or ``delay`` fault right now."""
        with self._lock:
            return len(self._hung) + self._delayed

    def release(self):
        """Let every request blocked on a ``hang`` fault go on. Returns how many."""
        with self._lock:
            gates = list(self._hung)
            self._hung.clear()
        for gate in gates:
            gate.set()
        return len(gates)

    def stop(self):
        """Mark the sandbox stopping and release everything waiting."""
        with self._lock:
            self._stopping.set()
        self.release()
