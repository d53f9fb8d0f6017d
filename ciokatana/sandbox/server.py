"""The local Conductor sandbox: an HTTP server that answers ciocore.

Layer: sandbox (test and demo tooling; stdlib only, no Qt, no Katana).

:class:`Sandbox` serves, on 127.0.0.1 and a free port, the Conductor calls
that ciocore makes for a Katana submission, with the paths, methods, status
codes and answer shapes ciocore 9.2 expects (see
``shared/reference/conductor-api.md``):

============================================  =====================  ==========
call                                          fault endpoint name     auth
============================================  =====================  ==========
GET  /api/oauth_jwt                           oauth                   API key
GET  /api/v1/projects/                        projects                bearer
GET  /api/v1/instance-types                   instance_types          bearer
GET  /api/v1/ee/packages                      packages                bearer
GET  /api/v1/integrations/env-vars-configs    env_vars                bearer
GET  /api/v1/accounts/<id>                    account                 bearer
POST /api/v2/files/get_upload_urls            upload_urls             bearer
PUT  /sandbox-storage/hashstore/<hex md5>     upload                  signed URL
PUT  /sandbox-storage/multipart/<id>/<n>      upload                  signed URL
POST /api/v2/files/multipart/complete         multipart_complete      bearer
POST /jobs/                                   jobs                    bearer
GET  /api/v1/jobs?filter=jid_gt_X,jid_lt_Y    job_list                bearer
GET  /get_log_file?job=J&task=T               logs                    bearer
PUT  /jobs_multi                              kill_jobs               bearer
PUT  /tasks_multi                             kill_tasks              bearer
============================================  =====================  ==========

Anything else answers 404 (405 for a known path with another method), in
JSON. Tokens are HS256 JWTs signed with a per-sandbox secret whose ``aud`` is
the sandbox URL and whose ``account`` claim is :data:`catalog.ACCOUNT_ID`;
only tokens this sandbox issued (and not expired) are accepted.

Admin routes for a sandbox started from the shell (no auth, nothing secret
in them): ``GET /_sandbox/state``, ``GET|POST|DELETE /_sandbox/faults``,
``POST /_sandbox/release``, ``GET|POST|DELETE /_sandbox/lifecycle`` (jobs
that run by themselves, see :mod:`.lifecycle`) and
``POST /_sandbox/jobs/<id>/fail``.

Nothing the sandbox records keeps a credential: the request log replaces
``Authorization`` values, ``client_id``/``client_secret`` and URL
signatures with ``REDACTED``.
"""

import base64
import collections
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import TCPServer
from urllib.parse import parse_qs, parse_qsl, urlsplit

from . import catalog as _catalog
from .endpoints import Endpoints, HttpError, Reply, Request
from .faults import FaultTable
from .jobs import JobBook, JobError
from .lifecycle import Lifecycle
from .storage import FileStore

logger = logging.getLogger(__name__)

REDACTED = "REDACTED"
_SECRET_PARAMS = {"client_id", "client_secret", "private_key", "access_token",
                  "token", "x-sandbox-signature"}
_KEY_FILE = "sandbox-key.json"


class _Route(object):
    def __init__(self, method, pattern, endpoint, handler, auth):
        self.method = method
        self.regex = re.compile("^" + pattern + "$")
        self.endpoint = endpoint
        self.handler = handler
        self.auth = auth  # "bearer", "signed" or None


# method, path regex, fault endpoint name, Sandbox method, auth
_ROUTES = [
    _Route("GET", r"/api/oauth_jwt", "oauth", "_ep_oauth", None),
    _Route("GET", r"/api/v1/projects/?", "projects", "_ep_projects", "bearer"),
    _Route("GET", r"/api/v1/instance-types/?", "instance_types", "_ep_instance_types", "bearer"),
    _Route("GET", r"/api/v1/ee/packages/?", "packages", "_ep_packages", "bearer"),
    _Route("GET", r"/api/v1/integrations/env-vars-configs/?", "env_vars", "_ep_env_vars", "bearer"),
    _Route("GET", r"/api/v1/accounts/([^/]+)/?", "account", "_ep_account", "bearer"),
    _Route("POST", r"/api/v2/files/get_upload_urls/?", "upload_urls", "_ep_upload_urls", "bearer"),
    _Route("PUT", r"/sandbox-storage/hashstore/([0-9a-f]{32})", "upload", "_ep_upload", "signed"),
    _Route("PUT", r"/sandbox-storage/multipart/([^/]+)/(\d+)", "upload", "_ep_upload_part", "signed"),
    _Route("POST", r"/api/v2/files/multipart/complete/?", "multipart_complete",
           "_ep_multipart_complete", "bearer"),
    _Route("POST", r"/jobs/?", "jobs", "_ep_submit", "bearer"),
    _Route("GET", r"/api/v1/jobs/?", "job_list", "_ep_job_list", "bearer"),
    _Route("GET", r"/get_log_file/?", "logs", "_ep_logs", "bearer"),
    _Route("PUT", r"/jobs_multi/?", "kill_jobs", "_ep_kill_jobs", "bearer"),
    _Route("PUT", r"/tasks_multi/?", "kill_tasks", "_ep_kill_tasks", "bearer"),
    # Admin routes: never faulted, never authenticated, never secret.
    _Route("GET", r"/_sandbox/state/?", None, "_admin_state", None),
    _Route("GET", r"/_sandbox/faults/?", None, "_admin_faults_list", None),
    _Route("POST", r"/_sandbox/faults/?", None, "_admin_faults_add", None),
    _Route("DELETE", r"/_sandbox/faults/?", None, "_admin_faults_clear", None),
    _Route("POST", r"/_sandbox/release/?", None, "_admin_release", None),
    _Route("GET", r"/_sandbox/lifecycle/?", None, "_admin_lifecycle_get", None),
    _Route("POST", r"/_sandbox/lifecycle/?", None, "_admin_lifecycle_set", None),
    _Route("DELETE", r"/_sandbox/lifecycle/?", None, "_admin_lifecycle_clear", None),
    _Route("POST", r"/_sandbox/jobs/(\d+)/fail/?", None, "_admin_fail_job", None),
]


def redact_path(raw_path):
    """``raw_path`` with credential-like query values replaced by ``REDACTED``."""
    split = urlsplit(raw_path)
    if not split.query:
        return split.path
    pairs = parse_qsl(split.query, keep_blank_values=True)
    return split.path + "?" + "&".join(
        "%s=%s" % (k, REDACTED if k.lower() in _SECRET_PARAMS else v) for k, v in pairs
    )


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Sandbox(Endpoints):
    """A local Conductor service for ciocore, served from a background thread.

    Args:
        port (int): Port to listen on; 0 picks a free one (see :attr:`port`).
        host (str): Address to bind; the URL always names an IPv4 address
            because ciocore's URL check needs a dot in the host.
        storage_dir (str or None): Keep uploaded files (and the throw-away API
            key, so an exported key survives a restart) under this directory;
            None keeps everything in memory.
        multipart_threshold (int): Files larger than this many bytes are
            uploaded multipart.
        part_size (int): Part size for multipart uploads.
        token_lifetime (int): ``expires_in`` of issued bearer tokens, seconds.

    Inspect it from tests with :attr:`jobs`, :attr:`files`,
    :meth:`file_bytes`, :attr:`upload_log`, :attr:`requests`, and inject
    faults with ``sandbox.faults.add(...)`` (see :mod:`.faults`).
    """

    def __init__(self, port=0, host="127.0.0.1", storage_dir=None,
                 multipart_threshold=64 * 1024 * 1024, part_size=16 * 1024 * 1024,
                 token_lifetime=3600):
        self.host = host
        self._requested_port = int(port)
        self.storage_dir = os.path.abspath(storage_dir) if storage_dir else None
        self.multipart_threshold = int(multipart_threshold)
        self.part_size = int(part_size)
        self.token_lifetime = int(token_lifetime)

        self.catalog = _catalog.Catalog()
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self.faults = FaultTable(self._stopping)
        self._store = FileStore(self.storage_dir)
        self._jobs = JobBook(
            self.catalog.active_project_names,
            self.catalog.instance_type_names,
            self.catalog.package_ids,
        )
        self._sessions = {}
        self._upload_log = []
        self._requests = collections.deque(maxlen=20000)

        key = self._load_or_make_key()
        self._client_id = key["client_id"]
        self._private_key = key["private_key"]
        self._token_secret = key["token_secret"].encode("ascii")

        self._httpd = None
        self._thread = None
        self._stopped = False

    # --- lifecycle ------------------------------------------------------------------

    def start(self):
        """Start serving on a daemon thread. Returns self."""
        with self._lock:
            if self._stopped:
                raise RuntimeError("A stopped Sandbox cannot be restarted; make a new one.")
            if self._httpd is not None:
                return self
            httpd = _Server((self.host, self._requested_port), _Handler, self)
            self._httpd = httpd
            self._thread = threading.Thread(
                target=httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="ciokatana-sandbox-%d" % self.port,
            )
            self._thread.daemon = True
            self._thread.start()
        logger.info("Conductor sandbox serving at %s", self.url)
        return self

    def stop(self, timeout=5.0):
        """Stop serving and join the server's threads.

        Requests held by a ``hang`` or ``delay`` fault are let go and their
        connections closed without an answer, so this returns promptly.
        Safe to call more than once.
        """
        with self._lock:
            if self._httpd is None or self._stopped:
                self._stopped = True
                return
            self._stopped = True
            httpd, thread = self._httpd, self._thread
        deadline = time.time() + timeout
        self.faults.stop()
        httpd.shutdown()
        httpd.server_close()
        httpd.close_connections()
        thread.join(max(0.0, deadline - time.time()))
        httpd.join_handlers(deadline)
        logger.info("Conductor sandbox at %s stopped", self.url)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    @property
    def running(self):
        return self._httpd is not None and not self._stopped

    @property
    def port(self):
        """The port served on (known once started when constructed with port 0)."""
        if self._httpd is not None:
            return self._httpd.server_address[1]
        if self._requested_port:
            return self._requested_port
        raise RuntimeError("The sandbox picks its port when started; call start() first.")

    @property
    def url(self):
        """``http://127.0.0.1:PORT``: what CONDUCTOR_URL should be. No trailing slash."""
        host = self.host
        if host in ("", "0.0.0.0", "localhost"):
            host = "127.0.0.1"
        return "http://%s:%d" % (host, self.port)

    @property
    def api_key(self):
        """The throw-away API key this sandbox accepts (only this one)."""
        return {"client_id": self._client_id, "private_key": self._private_key}

    def client_env(self, home, base=None):
        """A full environment for a subprocess that should use this sandbox.

        See :func:`ciokatana.sandbox.client.client_env`.
        """
        from .client import client_env

        return client_env(self.url, self.api_key, home, base=base)

    def configure_ciocore(self, home):
        """Point this process's ciocore at the sandbox (a context manager too).

        See :func:`ciokatana.sandbox.client.configure_ciocore`.
        """
        from .client import configure_ciocore

        return configure_ciocore(self.url, self.api_key, home)

    # --- inspection -------------------------------------------------------------------

    @property
    def jobs(self):
        """Accepted jobs, oldest first: ``{"jobid", "payload", "status", "created", "tasks"}``."""
        with self._lock:
            records = self._jobs.records()
        return [
            {"jobid": r["jid"], "payload": r["payload"], "status": r["status"],
             "created": r["created"], "tasks": r["tasks"]}
            for r in records
        ]

    @property
    def files(self):
        """``{base64 md5: StoredFile(md5, size, path)}``; ``path`` is None in memory."""
        return self._store.info()

    def file_bytes(self, md5):
        """The bytes stored under a base64 md5 (KeyError if absent)."""
        return self._store.get(md5)

    def has_file(self, md5):
        return self._store.has(md5)

    @property
    def upload_log(self):
        """Every file upload attempt that reached storage, in order.

        Each entry: ``{"kind": "single"|"multipart", "path", "md5", "size",
        "stored": bool, "reason": None or why it was refused, "time"}``. A
        job whose files were all held already adds nothing here.
        """
        with self._lock:
            return [dict(e) for e in self._upload_log]

    @property
    def requests(self):
        """Every request seen: ``{"time", "method", "path", "endpoint", "status",
        "fault", "authorization"}``. ``status`` is None for a dropped
        connection; ``authorization`` is ``"REDACTED"`` or None; query
        credentials are redacted in ``path``."""
        with self._lock:
            return [dict(e) for e in self._requests]

    def release(self):
        """Let every request held by a ``hang`` fault continue. Returns how many."""
        return self.faults.release()

    def set_job_status(self, jobid, status, tasks=None):
        """Move a job (and all its tasks, or only ``tasks``) to ``status``."""
        with self._lock:
            self._jobs.set_status(jobid, status, tasks)

    # --- jobs that run by themselves (see .lifecycle) ------------------------------------

    def run_jobs(self, wait=1.0, run=3.0, lines_per_second=4.0, fail_titles=(), clock=None):
        """Let every job run by itself from now on; returns the :class:`Lifecycle`.

        Each task waits ``wait`` s, runs ``run`` s (its log growing), then
        succeeds, or fails when its job's title contains one of
        ``fail_titles`` or the job was passed to :meth:`fail_job`.
        """
        lifecycle = Lifecycle(wait=wait, run=run, lines_per_second=lines_per_second,
                              fail_titles=fail_titles, clock=clock)
        with self._lock:
            self._jobs.set_lifecycle(lifecycle)
        return lifecycle

    def stop_running_jobs(self):
        """Jobs keep the status they have now and no longer move by themselves."""
        with self._lock:
            self._jobs.set_lifecycle(None)

    @property
    def lifecycle(self):
        """The :class:`Lifecycle` jobs follow, or None when they do not run."""
        return self._jobs.lifecycle

    def fail_job(self, jobid):
        """Make a job end ``failed`` when its tasks finish running (KeyError if unknown)."""
        with self._lock:
            self._jobs.mark_failing(jobid)

    def state(self):
        """A JSON-ready summary with no secrets (what ``GET /_sandbox/state`` answers)."""
        with self._lock:
            jobs = [self._jobs.summary(r) for r in self._jobs.records()]
            uploads = len(self._upload_log)
        return {
            "url": self.url if self._httpd is not None else None,
            "jobs": jobs,
            "file_count": len(self._store),
            "bytes_stored": self._store.total_bytes(),
            "upload_count": uploads,
            "faults": self.faults.list(),
            "held_requests": self.faults.held_count,
            "lifecycle": self._jobs.lifecycle.to_dict() if self._jobs.lifecycle else None,
            "multipart_threshold": self.multipart_threshold,
            "part_size": self.part_size,
            "storage_dir": self.storage_dir,
        }

    # --- credentials ---------------------------------------------------------------------

    def _load_or_make_key(self):
        path = os.path.join(self.storage_dir, _KEY_FILE) if self.storage_dir else None
        if path and os.path.isfile(path):
            with open(path, "r") as fh:
                key = json.load(fh)
            if all(k in key for k in ("client_id", "private_key", "token_secret")):
                return key
        key = {
            "client_id": "sandbox-" + secrets.token_hex(8),
            "private_key": secrets.token_urlsafe(32),
            "token_secret": secrets.token_hex(32),
        }
        if path:
            if not os.path.isdir(self.storage_dir):
                os.makedirs(self.storage_dir)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                json.dump(key, fh)
        return key

    def _issue_token(self, scope):
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": self.url,
            "sub": self._client_id,
            "account": _catalog.ACCOUNT_ID,
            "scope": scope,
            "iat": now,
            "exp": now + self.token_lifetime,
            "jti": secrets.token_hex(8),
        }
        header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode("utf-8"))
        payload = _b64url(json.dumps(claims, sort_keys=True).encode("utf-8"))
        signing_input = (header + "." + payload).encode("ascii")
        signature = hmac.new(self._token_secret, signing_input, hashlib.sha256).digest()
        return header + "." + payload + "." + _b64url(signature)

    def _token_valid(self, token):
        try:
            header, payload, signature = token.split(".")
            expected = hmac.new(self._token_secret, (header + "." + payload).encode("ascii"),
                                hashlib.sha256).digest()
            if not hmac.compare_digest(expected, _b64url_decode(signature)):
                return False
            claims = json.loads(_b64url_decode(payload).decode("utf-8"))
        except (ValueError, TypeError, UnicodeError):
            return False
        return claims.get("exp", 0) > time.time() and claims.get("aud") == self.url

    def _authorized(self, header):
        if not header:
            return False
        scheme, _, token = header.partition(" ")
        return scheme.lower() == "bearer" and self._token_valid(token.strip())

    # --- request plumbing (called by the handler) -------------------------------------------

    @staticmethod
    def _route(method, path):
        """``(route, path groups, path_known)``; route is None when nothing matches."""
        path_known = False
        for route in _ROUTES:
            match = route.regex.match(path)
            if match:
                if route.method == method:
                    return route, match.groups(), True
                path_known = True
        return None, (), path_known

    def _record(self, method, raw_path, endpoint, status, fault, authorization):
        entry = {
            "time": time.time(),
            "method": method,
            "path": redact_path(raw_path),
            "endpoint": endpoint,
            "status": status,
            "fault": fault,
            "authorization": REDACTED if authorization else None,
        }
        with self._lock:
            self._requests.append(entry)
        logger.debug("%s %s -> %s%s", method, entry["path"], status,
                     " (fault %s)" % fault if fault else "")
        return entry

    def _mark_unanswered(self, entry, why):
        with self._lock:
            entry["status"] = None
            entry["fault"] = why

    def _log_upload(self, kind, session, stored, reason=None):
        with self._lock:
            self._upload_log.append({
                "kind": kind,
                "path": session.path,
                "md5": session.md5,
                "size": session.size,
                "stored": stored,
                "reason": reason,
                "time": time.time(),
            })


class _ClientGone(Exception):
    """The client closed the connection or sent a malformed body."""


class _Handler(BaseHTTPRequestHandler):
    """Parses one request, applies faults and auth, and calls the sandbox endpoint."""

    protocol_version = "HTTP/1.1"
    server_version = "ConductorSandbox/1.0"
    timeout = 120  # seconds a connection may sit idle or stall mid-body

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def log_message(self, format, *args):
        # The stdlib logs request lines, which can carry credentials in the
        # query. The sandbox records redacted entries itself.
        pass

    # --- body --------------------------------------------------------------------------

    def _read_exact(self, count):
        data = self.rfile.read(count)
        if len(data) != count:
            raise _ClientGone("body ended early")
        return data

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise _ClientGone("chunked body ended early")
                try:
                    size = int(line.split(b";")[0].strip(), 16)
                except ValueError:
                    raise _ClientGone("bad chunk size line")
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self._read_exact(size))
                self.rfile.readline(3)  # the CRLF after each chunk
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            length = int(length)
        except ValueError:
            raise _ClientGone("bad Content-Length")
        return self._read_exact(length) if length > 0 else b""

    # --- answer ------------------------------------------------------------------------------

    def _send(self, reply):
        if isinstance(reply.body, bytes):
            data = reply.body
        elif reply.body is None:
            data = b""
        else:
            data = json.dumps(reply.body).encode("utf-8")
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.status != 204:
            if data:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data and self.command != "HEAD":
            self.wfile.write(data)
        self.wfile.flush()

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # --- dispatch ------------------------------------------------------------------------

    def _dispatch(self):
        sandbox = self.server.sandbox
        split = urlsplit(self.path)
        route, groups, path_known = sandbox._route(self.command, split.path)
        endpoint = route.endpoint if route else None
        auth_header = self.headers.get("Authorization")

        def record(status, fault=None):
            return sandbox._record(self.command, self.path, endpoint, status, fault, auth_header)

        try:
            body = self._read_body()
        except (_ClientGone, OSError):
            self.close_connection = True
            record(None, "client-gone")
            return

        fault = sandbox.faults.take(endpoint) if endpoint else None
        if fault is not None:
            if fault.delay and not sandbox.faults.wait_delay(fault.delay):
                record(None, fault.kind)
                return self._drop()
            if fault.hang and not sandbox.faults.wait_hang():
                record(None, fault.kind)
                return self._drop()
            if fault.drop:
                record(None, fault.kind)
                return self._drop()
            if fault.status is not None:
                reply = Reply(fault.status, {"error": fault.message, "status": fault.status})
                return self._answer(reply, record, fault.kind)

        if route is None:
            if path_known:
                reply = Reply(405, {"error": "Method %s not allowed on %s." % (
                    self.command, split.path)})
            else:
                reply = Reply(404, {"error": "Not found: %s %s" % (self.command, split.path)})
            return self._answer(reply, record, None)

        if route.auth == "bearer" and not sandbox._authorized(auth_header):
            reply = Reply(401, {"error": "A valid bearer token issued by this sandbox is required."},
                          {"WWW-Authenticate": "Bearer"})
            return self._answer(reply, record, fault.kind if fault else None)

        request = Request(self.command, split.path,
                          parse_qs(split.query, keep_blank_values=True), self.headers, body)
        try:
            reply = getattr(sandbox, route.handler)(request, *groups)
        except HttpError as err:
            reply = Reply(err.status, {"error": err.message}, err.headers)
        except JobError as err:
            reply = Reply(err.status, {"error": str(err)})
        except Exception as err:  # a sandbox bug: answer 500 and keep serving
            logger.exception("Sandbox endpoint %s failed", route.handler)
            reply = Reply(500, {"error": "Sandbox internal error: %s" % err})
        self._answer(reply, record, fault.kind if fault else None)

    def _answer(self, reply, record, fault_kind):
        sandbox = self.server.sandbox
        if sandbox._stopping.is_set():
            record(None, "stopping")
            return self._drop()
        if fault_kind and "lose-answer" in fault_kind:  # served, but the client never hears
            record(None, fault_kind)
            return self._drop()
        # Record first, so a client that has its answer finds it in the log.
        entry = record(reply.status, fault_kind)
        try:
            self._send(reply)
        except OSError:
            self.close_connection = True
            sandbox._mark_unanswered(entry, "client-gone")


class _Server(HTTPServer):
    """HTTPServer with one daemon thread per connection, all tracked so stop() can end them."""

    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address, handler, sandbox):
        self.sandbox = sandbox
        self._conn_lock = threading.Lock()
        self._conns = {}
        HTTPServer.__init__(self, address, handler)

    def server_bind(self):
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn), slow on
        # some hosts; the sandbox does not need a server name.
        TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = host
        self.server_port = port

    def process_request(self, request, client_address):
        thread = threading.Thread(target=self._serve_connection, args=(request, client_address),
                                  name="ciokatana-sandbox-conn")
        thread.daemon = True
        with self._conn_lock:
            self._conns[thread] = request
        thread.start()

    def _serve_connection(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            with self._conn_lock:
                self._conns.pop(threading.current_thread(), None)

    def handle_error(self, request, client_address):
        logger.debug("Sandbox connection from %s ended with an error", client_address,
                     exc_info=True)

    def close_connections(self):
        with self._conn_lock:
            sockets = list(self._conns.values())
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def join_handlers(self, deadline):
        with self._conn_lock:
            threads = list(self._conns)
        for thread in threads:
            thread.join(max(0.0, deadline - time.time()))
