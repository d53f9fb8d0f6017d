"""The Conductor endpoints the sandbox answers, as a mixin of :class:`~.server.Sandbox`.

Layer: sandbox (test and demo tooling; stdlib only, no Qt, no Katana).

Each ``_ep_*`` method takes a :class:`Request` (plus any groups captured
from the path) and returns a :class:`Reply` or raises :class:`HttpError`;
:mod:`.server` does the HTTP parsing, routing, faults and authentication
before calling them. Answer shapes follow what ciocore 9.2 reads:

- ``get_upload_urls`` answers 204 when every md5 is held, else 200 with
  ``singlePartURLs`` and ``multiPartURLs`` (both always present, and nothing
  else: ciocore iterates over every value of the answer as a list). A batch
  naming one md5 under two paths gets one URL, for the first path.
- single-part URLs point at the sandbox (never "amazonaws"/"coreweave"), so
  ciocore sends ``Content-MD5`` and a chunked body; the body must match both
  that header and the md5 the URL was issued for.
- multipart parts answer an ``ETag`` (hex md5 of the part, quoted);
  ``multipart/complete`` needs every part with its etag and the whole
  file's md5.
- ``jobs/`` answers 201 ``{"body", "jobid", "status", "uri"}``.
"""

import copy
import hashlib
import hmac
import json
import math
import secrets

from . import catalog as _catalog
from .faults import ENDPOINTS
from .storage import UploadSession, b64_md5, md5_hex


class HttpError(Exception):
    """Raised by an endpoint to answer ``status`` with ``{"error": message}``."""

    def __init__(self, status, message, headers=None):
        super(HttpError, self).__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class Reply(object):
    """What an endpoint answers: a status, a JSON-able body (or None) and headers."""

    def __init__(self, status, body=None, headers=None):
        self.status = status
        self.body = body
        self.headers = headers or {}


class Request(object):
    """One parsed request, as endpoints see it."""

    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    def param(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise HttpError(400, "The request body is not valid JSON.")


class Endpoints(object):
    """The endpoint methods; :class:`~.server.Sandbox` provides the state they use
    (``catalog``, ``faults``, ``_store``, ``_jobs``, ``_sessions``, ``_lock``, ...)."""

    # --- endpoints: auth and catalog ------------------------------------------------------------

    def _ep_oauth(self, req):
        if req.param("grant_type") != "client_credentials":
            raise HttpError(400, "unsupported_grant_type")
        client_id = (req.param("client_id") or "").encode("utf-8")
        secret = (req.param("client_secret") or "").encode("utf-8")
        ok_id = hmac.compare_digest(client_id, self._client_id.encode("utf-8"))
        ok_secret = hmac.compare_digest(secret, self._private_key.encode("utf-8"))
        if not (ok_id and ok_secret):
            raise HttpError(401, "invalid_client: unknown client_id or wrong client_secret")
        scope = req.param("scope") or "user"
        return Reply(200, {
            "access_token": self._issue_token(scope),
            "token_type": "Bearer",
            "expires_in": self.token_lifetime,
            "scope": scope,
        })

    def _ep_projects(self, req):
        return Reply(200, {"data": copy.deepcopy(self.catalog.projects)})

    def _ep_instance_types(self, req):
        # The real service filters on `filter`; the sandbox answers every type.
        return Reply(200, {"data": copy.deepcopy(self.catalog.instance_types)})

    def _ep_packages(self, req):
        return Reply(200, {"data": copy.deepcopy(self.catalog.packages)})

    def _ep_env_vars(self, req):
        return Reply(200, {"data": _catalog.extra_environment(self.catalog.extra_env)})

    def _ep_account(self, req, account_id):
        if account_id != _catalog.ACCOUNT_ID:
            raise HttpError(404, "Account %s not found." % account_id)
        return Reply(200, {"data": {"id": _catalog.ACCOUNT_ID, "name": _catalog.ACCOUNT_NAME}})

    # --- endpoints: uploads --------------------------------------------------------------------

    def _ep_upload_urls(self, req):
        data = req.json()
        files = data.get("upload_files") if isinstance(data, dict) else None
        if not isinstance(files, list):
            raise HttpError(400, "upload_files must be a list of {path, hash, size}.")
        project = data.get("project")
        single, multi, wanted = [], [], set()
        for entry in files:
            if not isinstance(entry, dict):
                raise HttpError(400, "Each upload_files entry must be an object.")
            path, md5, size = entry.get("path"), entry.get("hash"), entry.get("size")
            if not isinstance(path, str) or not path:
                raise HttpError(400, "An upload_files entry has no path.")
            try:
                hex_md5 = md5_hex(md5)
            except ValueError:
                raise HttpError(400, "The hash of %s is not a base64 md5: %r." % (path, md5))
            if not isinstance(size, int) or size < 0:
                raise HttpError(400, "The size of %s is not a byte count: %r." % (path, size))
            if md5 in wanted or self._store.has(md5):
                continue
            wanted.add(md5)
            token = secrets.token_hex(16)
            signature = secrets.token_urlsafe(16)
            if size > self.multipart_threshold:
                count = max(1, int(math.ceil(size / float(self.part_size))))
                session = UploadSession(token, path, md5, size, project, signature,
                                        part_size=self.part_size, part_count=count)
                multi.append({
                    "uploadID": token,
                    "filePath": path,
                    "md5": md5,
                    "fileSize": size,
                    "partSize": self.part_size,
                    "parts": [
                        {"partNumber": n,
                         "url": "%s/sandbox-storage/multipart/%s/%d?X-Sandbox-Signature=%s"
                                % (self.url, token, n, signature)}
                        for n in range(1, count + 1)
                    ],
                })
            else:
                session = UploadSession(token, path, md5, size, project, signature)
                single.append({
                    "filePath": path,
                    "fileSize": size,
                    "preSignedURL": "%s/sandbox-storage/hashstore/%s?X-Sandbox-Signature=%s"
                                    % (self.url, hex_md5, signature),
                })
            with self._lock:
                self._sessions[token if session.multipart else signature] = session
        if not single and not multi:
            return Reply(204)
        return Reply(200, {"singlePartURLs": single, "multiPartURLs": multi})

    def _ep_upload(self, req, hex_md5):
        signature = req.param("X-Sandbox-Signature") or ""
        with self._lock:
            session = self._sessions.get(signature)
        if session is None or session.multipart or md5_hex(session.md5) != hex_md5:
            raise HttpError(403, "SignatureDoesNotMatch: this upload URL is not valid.")
        declared = req.headers.get("Content-MD5")
        if not declared:
            raise HttpError(400, "MissingContentMD5: the Content-MD5 header is required.")
        actual = b64_md5(req.body)
        if declared != actual or actual != session.md5:
            reason = "BadDigest: Content-MD5 %s, body md5 %s, URL md5 %s" % (
                declared, actual, session.md5)
            self._log_upload("single", session, False, reason)
            raise HttpError(400, reason)
        self._store.put(actual, req.body)
        self._log_upload("single", session, True)
        return Reply(200, None, {"ETag": '"%s"' % hex_md5})

    def _ep_upload_part(self, req, upload_id, part_number):
        signature = req.param("X-Sandbox-Signature") or ""
        with self._lock:
            session = self._sessions.get(upload_id)
        if (session is None or not session.multipart
                or not hmac.compare_digest(signature.encode(), session.signature.encode())):
            raise HttpError(403, "SignatureDoesNotMatch: this upload URL is not valid.")
        number = int(part_number)
        if not 1 <= number <= session.part_count:
            raise HttpError(400, "InvalidPart: part %d of %d." % (number, session.part_count))
        etag = hashlib.md5(req.body).hexdigest()
        with self._lock:
            session.parts[number] = (etag, req.body)
        return Reply(200, None, {"ETag": '"%s"' % etag})

    def _ep_multipart_complete(self, req):
        data = req.json()
        if not isinstance(data, dict):
            raise HttpError(400, "The body must be a JSON object.")
        with self._lock:
            session = self._sessions.get(str(data.get("uploadID")))
        if session is None or not session.multipart:
            raise HttpError(404, "NoSuchUpload: unknown uploadID.")
        if session.complete:
            return Reply(200, {"uploadID": session.token, "md5": session.md5, "status": "complete"})
        completed = data.get("completedParts")
        if not isinstance(completed, list):
            raise HttpError(400, "completedParts must be a list of {partNumber, etag}.")
        with self._lock:
            parts = dict(session.parts)
        chunks = []
        numbers = []
        for item in sorted(completed, key=lambda p: p.get("partNumber", 0)):
            number = item.get("partNumber")
            numbers.append(number)
            if number not in parts or str(item.get("etag", "")).strip('"') != parts[number][0]:
                raise HttpError(400, "InvalidPart: part %r was not uploaded or its etag differs."
                                % (number,))
            chunks.append(parts[number][1])
        if numbers != list(range(1, session.part_count + 1)):
            raise HttpError(400, "InvalidPart: expected parts 1-%d, got %s."
                            % (session.part_count, numbers))
        body = b"".join(chunks)
        actual = b64_md5(body)
        if actual != session.md5 or data.get("hash") != session.md5:
            reason = "BadDigest: assembled md5 %s, hash %s, expected %s" % (
                actual, data.get("hash"), session.md5)
            self._log_upload("multipart", session, False, reason)
            raise HttpError(400, reason)
        self._store.put(actual, body)
        with self._lock:
            session.parts = {}
            session.complete = True
        self._log_upload("multipart", session, True)
        return Reply(200, {"uploadID": session.token, "md5": session.md5, "status": "complete"})

    # --- endpoints: jobs -----------------------------------------------------------------------

    def _ep_submit(self, req):
        payload = req.json()
        with self._lock:
            jid = self._jobs.submit(payload, self._store.has)
        return Reply(201, {"body": "job submitted.", "jobid": jid, "status": "success",
                           "uri": "/jobs/%s" % jid})

    def _ep_job_list(self, req):
        with self._lock:
            return Reply(200, {"data": self._jobs.listing(req.param("filter", ""))})

    def _ep_logs(self, req):
        job, task = req.param("job"), req.param("task")
        if not job or not task:
            raise HttpError(400, "get_log_file needs job and task.")
        offset = req.param("num_lines[]") or req.param("num_lines") or 0
        try:
            offset = int(offset)
        except ValueError:
            raise HttpError(400, "num_lines must be a number.")
        with self._lock:
            return Reply(200, self._jobs.log(job, task, offset))

    def _ep_kill_jobs(self, req):
        data = req.json()
        if not isinstance(data, dict) or data.get("action") != "kill":
            raise HttpError(400, "Only the 'kill' action is supported.")
        jobids = data.get("jobids")
        if not isinstance(jobids, list) or not jobids:
            raise HttpError(400, "jobids must be a non-empty list.")
        with self._lock:
            return Reply(200, self._jobs.kill_jobs(jobids))

    def _ep_kill_tasks(self, req):
        data = req.json()
        if not isinstance(data, dict) or data.get("action") != "kill":
            raise HttpError(400, "Only the 'kill' action is supported.")
        taskids = data.get("taskids")
        if not data.get("jobid") or not isinstance(taskids, list) or not taskids:
            raise HttpError(400, "kill needs a jobid and a non-empty taskids list.")
        with self._lock:
            return Reply(200, self._jobs.kill_tasks(data["jobid"], taskids))

    # --- admin ---------------------------------------------------------------------------------

    def _admin_state(self, req):
        return Reply(200, self.state())

    def _admin_faults_list(self, req):
        return Reply(200, {"faults": self.faults.list(), "endpoints": ENDPOINTS})

    def _admin_faults_add(self, req):
        data = req.json()
        items = data if isinstance(data, list) else [data]
        added = []
        try:
            for item in items:
                added.append(self.faults.add_from_dict(item).to_dict())
        except (TypeError, ValueError) as err:
            for fault in added:
                self.faults.remove(fault["id"])
            raise HttpError(400, str(err))
        return Reply(201, {"faults": added})

    def _admin_faults_clear(self, req):
        endpoint = req.param("endpoint")
        if endpoint is not None and endpoint not in ENDPOINTS:
            raise HttpError(400, "Unknown endpoint %r." % endpoint)
        before = len(self.faults)
        self.faults.clear(endpoint)
        return Reply(200, {"cleared": before - len(self.faults)})

    def _admin_release(self, req):
        return Reply(200, {"released": self.release()})

    def _admin_lifecycle_get(self, req):
        life = self.lifecycle
        return Reply(200, {"lifecycle": life.to_dict() if life else None})

    def _admin_lifecycle_set(self, req):
        from .lifecycle import Lifecycle

        try:
            life = Lifecycle.from_dict(req.json())
        except (TypeError, ValueError) as err:
            raise HttpError(400, str(err))
        self.run_jobs(wait=life.wait, run=life.run, lines_per_second=life.lines_per_second,
                      fail_titles=life.fail_titles)
        return Reply(200, {"lifecycle": life.to_dict()})

    def _admin_lifecycle_clear(self, req):
        self.stop_running_jobs()
        return Reply(200, {"lifecycle": None})

    def _admin_fail_job(self, req, jobid):
        try:
            self.fail_job(jobid)
        except KeyError:
            raise HttpError(404, "Job %s not found." % jobid)
        return Reply(200, {"jobid": str(jobid).zfill(5), "fail": True})
