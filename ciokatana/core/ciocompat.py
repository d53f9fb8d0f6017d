"""The one place that knows which ciocore is installed and where they differ.

Layer: core (no Qt, no Katana). ciokatana allows ciocore 7.0.2 on Python 3.7
(Katana 4.x and 5.x: every newer ciocore needs Python 3.8) and 8.x or 9.x
elsewhere. ``docs/ciocore.md`` lists every ciocore function ciokatana relies
on and how each version differs; this module covers the differences, so the
rest of the code calls it instead of checking versions:

- :func:`submit` builds ``conductor_submit.Submit`` that never starts
  ciocore's uploader for an empty file map (that hangs forever: on 7.0.2 to
  8.1 whenever ``upload_paths`` is empty, on 8.3+ when the paths expand to
  no file), and sends ``local_upload: true`` when there is nothing to upload
  (what 8.3+ does), and sends its ``jobs/`` request once (ciocore's
  ``ApiClient.make_request`` retries a lost answer, creating the job
  twice). :func:`stop_uploader_threads` ends the threads its uploader
  leaves waiting after a cancel and keeps a cancelled uploader from
  stopping another one (:func:`uploading`).
- :func:`get_jobs`, :func:`get_log`, :func:`kill_jobs`, :func:`kill_tasks`,
  :func:`request_extra_environment`: ciocore's own (8.0+), or on 7.0.2 the
  same requests made through ciocore's ``ApiClient``.
- :func:`fetch_data`: ``ciocore.data`` with the ``extra_environment`` key
  that 7.0.2 leaves out.
- :class:`PackageEnvironment`: ciocore's, with the ``prepend`` merge policy
  that 7.0.2 rejects.

Everything else ciokatana uses from ciocore is the same in every version
allowed, and is called directly.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Dict, List, Optional

import ciocore
from ciocore.package_environment import PackageEnvironment as _PackageEnvironment

# ciocore 8.0+ has ciocore.version; 7.0.2 only ciocore.__version__.
CIOCORE_VERSION = str(getattr(ciocore, "version", None) or getattr(ciocore, "__version__", "unknown"))


# -- submission ---------------------------------------------------------------

_SUBMIT_CLASS = None


def _submit_class():
    global _SUBMIT_CLASS
    if _SUBMIT_CLASS is None:
        from ciocore import conductor_submit

        class Submit(conductor_submit.Submit):
            """ciocore's Submit that never waits on an uploader with no files."""

            def __init__(self, args):
                super(Submit, self).__init__(args)
                if not self.upload_paths:
                    # ciocore 8.3+: no uploads, so the backend must not wait for
                    # an upload daemon.
                    self.payload["local_upload"] = True
                _send_job_creation_once(self.api_client)

            def _handle_local_upload(self, file_map):
                if not file_map:
                    # ciocore's uploader given no file starts 0 threads and polls
                    # for a completion that never comes.
                    return file_map
                return super(Submit, self)._handle_local_upload(file_map)

        _SUBMIT_CLASS = Submit
    return _SUBMIT_CLASS


def _send_job_creation_once(client) -> None:
    """Make ``client`` (this Submit's own ApiClient) send a ``jobs/`` request once.

    ciocore's ``make_request`` tries every request up to 5 times when it
    ends in a connection error, a lost answer included: for ``jobs/`` that
    creates (and bills) the job again. Other requests keep ciocore's retries.
    """
    own = client.make_request

    def make_request(*args, **kwargs):
        uri = kwargs.get("uri_path", args[0] if args else "")
        if str(uri).strip("/") == "jobs":
            kwargs["tries"] = 1
        return own(*args, **kwargs)

    client.make_request = make_request


def submit(args: Dict[str, Any]):
    """A ``ciocore.conductor_submit.Submit`` for ``args`` (a job payload).

    Same arguments, attributes (``progress_handler``) and methods
    (``main()``, ``stop_work()``) as ciocore's; see the module docstring.
    """
    return _submit_class()(args)


_uploading_lock = threading.Lock()
_uploading = []  # type: List[Any]  # Submits whose main() runs and that were not cancelled


def uploading(submit_obj, running: bool) -> None:
    """Record that ``submit_obj``'s ``main()`` runs (True) or ended or was cancelled (False).

    :func:`stop_uploader_threads` uses it to know whether another uploader
    needs ciocore's module-wide ``WORKING`` flag.
    """
    with _uploading_lock:
        if running:
            _uploading.append(submit_obj)
        else:
            _uploading[:] = [s for s in _uploading if s is not submit_obj]


def _others_uploading(submit_obj) -> bool:
    with _uploading_lock:
        return any(s is not submit_obj for s in _uploading)


def stop_uploader_threads(submit_obj) -> None:
    """End the worker threads of ``submit_obj``'s uploader, if it started any,
    and keep its later ``stop_work`` from stopping every other uploader.

    ciocore's uploader leaves its JobManager's threads (MetricStore,
    ErrorThread, one FileStatWorker and HttpBatchWorker per pool) waiting on
    their queues for ever when it is cancelled after its last task was
    taken: it skips both ``JobManager.stop_work`` and ``join``. This does
    what ``stop_work`` does to them, without touching ciocore's module-wide
    ``WORKING`` flag (another uploader may be running): a poison pill per
    worker thread, the reporters' and the metric store's stop flags.

    A cancelled uploader also wakes from its 5 s sleep and calls its
    manager's ``stop_work``, which clears ``WORKING`` for the whole process:
    an uploader started meanwhile (a new submission) then stops passing
    files on and hangs. So this manager's ``stop_work`` is replaced, on this
    one instance, by the local stop above while another uploader runs (see
    :func:`uploading`); with none running, ciocore's own runs (it also ends
    a file read in flight). Safe to call more than once, and on a Submit
    whose uploader never ran. Same attributes in every ciocore allowed
    (7.0.2 to 9.x).
    """
    uploader = getattr(submit_obj, "uploader_", None)
    manager = getattr(uploader, "manager", None)
    if manager is None:
        return
    _stop_locally(manager)
    if not getattr(manager, "_ciokatana_shielded", False):
        own_stop = manager.stop_work

        def stop_work(force=False):
            if _others_uploading(submit_obj):
                _stop_locally(manager)
                return manager.error
            return own_stop(force)

        manager.stop_work = stop_work
        manager._ciokatana_shielded = True


def _stop_locally(manager) -> None:
    manager.error_handler_stop = True
    metric_store = getattr(manager, "metric_store", None)
    if metric_store is not None:
        metric_store.stop = True
    for reporter in getattr(manager, "reporters", []):
        reporter.terminate = True
    for worker in getattr(manager, "workers", []):
        for thread in getattr(worker, "threads", []):
            if thread.is_alive():
                worker.in_queue.put(worker.PoisonPill())


# -- job information and control ------------------------------------------------


def _api_client():
    from ciocore import api_client

    return api_client


def _request(uri_path: str, what: str, verb: str = "GET", params=None, data=None) -> str:
    """One call through ciocore's ApiClient, raising like ciocore 8+'s helpers do."""
    api = _api_client().ApiClient()
    response, code = api.make_request(
        uri_path=uri_path,
        verb=verb,
        params=params,
        data=json.dumps(data) if data is not None else None,
        raise_on_error=False,
        use_api_key=True,
    )
    if code not in [200]:
        raise Exception("{}\nError {} ...\n{}".format(what, code, response))
    return response


def get_jobs(first_jid, last_jid=None) -> List[Dict[str, Any]]:
    """Jobs ``first_jid`` to ``last_jid`` (inclusive): ``api_client.get_jobs``."""
    native = getattr(_api_client(), "get_jobs", None)
    if native is not None:
        return native(first_jid, last_jid)
    if last_jid is None:
        last_jid = first_jid
    low = str(int(first_jid) - 1).zfill(5)
    high = str(int(last_jid) + 1).zfill(5)
    text = _request(
        "api/v1/jobs",
        "Failed to get jobs {}-{}".format(first_jid, last_jid),
        params={"filter": "jid_gt_{},jid_lt_{}".format(low, high)},
    )
    return json.loads(text).get("data")


def get_log(job_id, task_id) -> str:
    """The raw log answer (JSON text) of one task: ``api_client.get_log``."""
    native = getattr(_api_client(), "get_log", None)
    if native is not None:
        return native(job_id, task_id)
    job_id = str(job_id).zfill(5)
    task_id = str(task_id).zfill(3)
    return _request(
        "get_log_file?job={}&task={}&num_lines[]=0".format(job_id, task_id),
        "Failed to get log for job {} task {}".format(job_id, task_id),
    )


def kill_jobs(*job_ids) -> Dict[str, Any]:
    """Kill jobs: ``api_client.kill_jobs``."""
    native = getattr(_api_client(), "kill_jobs", None)
    if native is not None:
        return native(*job_ids)
    ids = [str(job_id).zfill(5) for job_id in job_ids]
    text = _request(
        "jobs_multi", "Failed to kill jobs {}".format(ids), verb="PUT",
        data={"action": "kill", "jobids": ids},
    )
    return json.loads(text)


def kill_tasks(job_id, *task_ids) -> Dict[str, Any]:
    """Kill tasks of one job: ``api_client.kill_tasks``."""
    native = getattr(_api_client(), "kill_tasks", None)
    if native is not None:
        return native(job_id, *task_ids)
    job_id = str(job_id).zfill(5)
    ids = [str(task_id).zfill(3) for task_id in task_ids]
    text = _request(
        "tasks_multi", "Failed to kill tasks {} of job {}".format(ids, job_id), verb="PUT",
        data={"action": "kill", "jobid": job_id, "taskids": ids},
    )
    return json.loads(text)


def request_extra_environment() -> List[Dict[str, str]]:
    """The account's extra environment: ``api_client.request_extra_environment``."""
    api_client = _api_client()
    native = getattr(api_client, "request_extra_environment", None)
    if native is not None:
        return native()
    text = _request("api/v1/integrations/env-vars-configs", "Failed to get extra environment")
    token = api_client.read_conductor_credentials(True)
    if not token:
        raise Exception("Error: Could not get conductor credentials!")
    account_id = str(api_client.account_id_from_jwt(token))
    for account in json.loads(text).get("data", []):
        if account.get("account_id") == account_id:
            return account.get("env", [])
    raise Exception("Error: Could not get account environment!")


# -- account data ----------------------------------------------------------------


def fetch_data(product: str, force: bool = False) -> Dict[str, Any]:
    """``ciocore.data.data()`` for ``product``, always with ``extra_environment``.

    Blocks on the network; raises what ciocore raises.
    """
    from ciocore import data as coredata

    coredata.init(product=product)
    result = coredata.data(force=force)
    if "extra_environment" not in result:
        # ciocore 7.0.2; 8+ fetches it in data() and ignores failures too.
        try:
            result["extra_environment"] = request_extra_environment()
        except Exception:
            result["extra_environment"] = []
    return result


# -- environment -------------------------------------------------------------------

NATIVE_PREPEND = "_prepend" in vars(_PackageEnvironment)


class PackageEnvironment(_PackageEnvironment):
    """ciocore's PackageEnvironment, with ``prepend`` on every ciocore.

    ciocore 7.0.2 knows only ``append`` and ``exclusive``: there a prepend
    variable is added as an append (ciocore's own checks for clashing
    policies and platforms run) and its value then moved to the front.
    """

    def extend(self, env_list, platform: Optional[str] = None):
        if NATIVE_PREPEND or not env_list:
            return super(PackageEnvironment, self).extend(env_list, platform)
        try:
            variables = env_list["environment"]
            wrap = lambda vs: dict(env_list, environment=vs)  # noqa: E731
        except TypeError:
            variables = env_list
            wrap = lambda vs: vs  # noqa: E731
        if not variables:  # a package with no variables still sets the platform
            return super(PackageEnvironment, self).extend(env_list, platform)
        for var in variables:
            if var.get("merge_policy") != "prepend":
                super(PackageEnvironment, self).extend(wrap([var]), platform)
                continue
            super(PackageEnvironment, self).extend(wrap([dict(var, merge_policy="append")]), platform)
            values = self._env[var["name"]]
            values.insert(0, values.pop())
