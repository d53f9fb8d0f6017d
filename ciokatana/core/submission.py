"""One submission pipeline for every entry point: prepare, pick a source, run.

Layer: core (no Qt, no Katana). The dialog (``ui/controller.py``),
``ciokatana submit``/``demo`` (``standalone/submit.py``), Katana's
``batch.submit`` and the farm plugin all go through these three steps:

1. :func:`prepare` - plan every job, validate the plan, sum the assets and
   vet a mock file: a :class:`Prepared` (blocking: it reads the disk, so
   the dialog calls it on a worker thread).
2. :func:`open_source` - what runs: the shared-upload path
   (:class:`~ciokatana.core.shared_upload.SharedUploadSource`, the default:
   upload every job's files once, then create the jobs), ciocore's per-job
   ``Submit`` (:class:`~ciokatana.core.runner.ConductorSource`,
   ``uploader="stock"``), or a mock replay; plus a recorder when asked.
3. :func:`run_in_terminal` - the command line's and Katana batch's
   presentation: live progress, Ctrl-C cancels, one result line per job.
   The dialog instead hands the source to a :class:`~ciokatana.core.runner.Runner`
   whose events go through its Qt bridge.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, List, Optional, Tuple

from ciokatana.core import assets as assets_mod
from ciokatana.core import interrupt, redact
from ciokatana.core.console import TerminalReporter
from ciokatana.core.mock import MockFileError, MockRecorder, MockReplay
from ciokatana.core.plan import plan_submission
from ciokatana.core.runner import CANCELLED, DEFAULT_TIMEOUT, ConductorSource, Runner, RunState
from ciokatana.core.settings import MIN_MOCK_INTERVAL, UPLOADERS
from ciokatana.core.validation import ERROR, WARNING, validate

SHARED = "shared"
STOCK = "stock"


class SourceError(ValueError):
    """A source that cannot be opened; the message says why and what to do."""


# -- 1. prepare -------------------------------------------------------------------


@dataclass(frozen=True)
class AssetRow:
    """One requested asset path and what it stands for on disk."""

    source: str
    location: str
    file_count: int
    size: int

    @property
    def missing(self):
        return self.file_count == 0


@dataclass
class Prepared:
    """A plan with its findings and asset figures (from :func:`prepare`).

    Attributes:
        generation: the caller's request number; older results are stale.
        plan: the :class:`~ciokatana.core.plan.Plan`.
        findings: validation findings, errors first.
        scene_assets / extra_assets: one :class:`AssetRow` per requested path.
        file_count / total_size: distinct files to upload and their bytes.
        mock_error: why the mock file cannot be replayed, or None.
    """

    generation: int
    plan: Any
    findings: List[Any] = field(default_factory=list)
    scene_assets: List[AssetRow] = field(default_factory=list)
    extra_assets: List[AssetRow] = field(default_factory=list)
    file_count: int = 0
    total_size: int = 0
    mock_error: Optional[str] = None

    @property
    def errors(self):
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self):
        return [f for f in self.findings if f.level == WARNING]

    @property
    def jobs(self):
        return self.plan.jobs if self.plan is not None else []

    def job(self, name):
        return self.plan.job(name) if self.plan is not None else None

    @property
    def payloads(self) -> List[dict]:
        return self.plan.payloads if self.plan is not None else []


def _rows(resolved):
    return [
        AssetRow(source=e.source, location=e.location or e.source, file_count=len(e.files), size=e.size)
        for e in resolved.entries
    ]


def prepare(snapshot, settings, conductor_data=None, check_mock: Optional[Callable[[], Any]] = None,
            generation: int = 0) -> Prepared:
    """Plan, validate and sum assets (blocking; the dialog calls it on a worker thread).

    Args:
        snapshot: a :class:`~ciokatana.core.scene.SceneSnapshot`.
        settings: the settings (not changed).
        conductor_data: a ConductorData when connected: validation then
            checks projects and instance types.
        check_mock: optional callable run last; its exception text becomes
            ``mock_error`` (used to vet a mock file before a replay).
        generation: returned unchanged in the result.
    """
    plan = plan_submission(snapshot, settings)
    instance_types = conductor_data.instance_type_map() if conductor_data is not None else None
    projects = list(conductor_data.projects) if conductor_data is not None else None
    findings = validate(plan, instance_types=instance_types, projects=projects)
    files = set(plan.assets.files) | set(plan.extra_assets.files)
    file_count, total = assets_mod.sizes_of(sorted(files))
    result = Prepared(
        generation=generation,
        plan=plan,
        findings=findings,
        scene_assets=_rows(plan.assets),
        extra_assets=_rows(plan.extra_assets),
        file_count=file_count,
        total_size=total,
    )
    if check_mock is not None:
        try:
            check_mock()
        except Exception as err:  # reported to the artist
            result.mock_error = str(err)
    return result


# -- 2. open a source -------------------------------------------------------------


@dataclass
class SourceSpec:
    """What to run: a submission (shared or stock uploader) or a replay, recorded or not.

    Attributes:
        replay_file: replay this mock file instead of submitting.
        interval: seconds between replayed events.
        record_file: also record the run's events to this mock file.
        uploader: ``shared`` (upload once, then create every job; the
            default) or ``stock`` (ciocore's ``Submit`` per job).
        timeout: seconds without progress or answer before a step is
            ended as stalled.
        database_filepath: ciocore's md5 cache; by default the one
            ``submit_factory`` carries, else ciocore's default.
        submit_factory: builds ciocore's ``Submit`` for the stock path
            (:func:`~ciokatana.core.runner.conductor_submit_factory`); any
            other factory (a test stand-in) implies the stock path.
        url: the Conductor URL, for messages.
    """

    replay_file: str = ""
    interval: float = 0.0
    record_file: str = ""
    uploader: str = SHARED
    timeout: float = DEFAULT_TIMEOUT
    database_filepath: str = ""
    submit_factory: Any = None
    url: Optional[str] = None

    @classmethod
    def from_settings(cls, settings, mock_mode: str = "off", **overrides) -> "SourceSpec":
        """The spec a dialog's settings ask for (``mock_mode``: off, use, generate).

        Raises SourceError when a mock mode has no file.
        """
        spec = cls(uploader=getattr(settings, "uploader", SHARED) or SHARED,
                   timeout=float(getattr(settings, "timeout", DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT))
        if mock_mode == "use":
            if not settings.mock_file:
                raise SourceError("Use Mock is on but no mock file is chosen: pick one in Advanced")
            spec.replay_file = settings.mock_file
            spec.interval = max(float(settings.mock_interval), MIN_MOCK_INTERVAL)
        elif mock_mode == "generate":
            if not settings.mock_file:
                raise SourceError("Generate Mock is on but no mock file is chosen: pick one in Advanced")
            spec.record_file = settings.mock_file
        for name, value in overrides.items():
            setattr(spec, name, value)
        return spec


def _payloads(prepared_or_payloads) -> List[dict]:
    if isinstance(prepared_or_payloads, (list, tuple)):
        return list(prepared_or_payloads)
    return list(getattr(prepared_or_payloads, "payloads", None) or [])


def open_source(prepared_or_payloads, spec: SourceSpec,
                secret_values: Optional[List[str]] = None) -> Tuple[Any, Optional[MockRecorder]]:
    """The event source and the recorder (or None) a spec asks for.

    Args:
        prepared_or_payloads: a :class:`Prepared`, a Plan, or a list of
            payloads (ignored for a replay).
        spec: a :class:`SourceSpec`.
        secret_values: the values the run keeps masked while it lives (the
            runner holds them); by default the plan's, else those of the
            latest plan (payloads given alone).

    Raises:
        SourceError: nothing to submit, an unknown uploader, or a mock
            file that cannot be read or written.
    """
    source = _source(prepared_or_payloads, spec)
    if not spec.replay_file:
        # the runner keeps these masked while this run lives (a replan may set others)
        if secret_values is None:
            plan = getattr(prepared_or_payloads, "plan", prepared_or_payloads)
            secret_values = getattr(plan, "secret_values", None)
        source.secret_values = list(redact.configured_secret_values() if secret_values is None else secret_values)
    recorder = None
    if spec.record_file:
        try:
            recorder = MockRecorder(spec.record_file)
        except MockFileError as err:
            raise SourceError(str(err))
    return source, recorder


def _source(prepared_or_payloads, spec: SourceSpec):
    if spec.replay_file:
        try:
            return MockReplay(spec.replay_file, interval=spec.interval)
        except (MockFileError, ValueError) as err:
            raise SourceError(str(err))
    payloads = _payloads(prepared_or_payloads)
    if not payloads:
        raise SourceError("No job can be built: see the validation errors")
    uploader = (spec.uploader or SHARED).lower()
    if spec.submit_factory is not None and not getattr(spec.submit_factory, "uses_ciocore", False):
        uploader = STOCK  # a stand-in Submit only exists on the per-job path
    if uploader not in UPLOADERS:
        raise SourceError("unknown uploader {!r}: use {}".format(spec.uploader, " or ".join(UPLOADERS)))
    database = spec.database_filepath or getattr(spec.submit_factory, "database_filepath", "") or ""
    if uploader == STOCK:
        return ConductorSource(payloads, submit_factory=spec.submit_factory or _stock_factory(database),
                               timeout=spec.timeout, url=spec.url)
    from ciokatana.core.shared_upload import SharedUploadSource

    return SharedUploadSource(payloads, database_filepath=database, timeout=spec.timeout, url=spec.url)


def _stock_factory(database_filepath: str):
    from ciokatana.core.runner import conductor_submit_factory

    return conductor_submit_factory(database_filepath)


# -- 3. run in a terminal ------------------------------------------------------------


@dataclass
class TerminalRun:
    """What :func:`run_in_terminal` did."""

    state: RunState
    reporter: TerminalReporter
    runner: Runner
    recorder: Optional[MockRecorder]
    seconds: float

    @property
    def results(self):
        return self.reporter.results

    @property
    def ok(self) -> bool:
        return self.state != CANCELLED and self.reporter.all_ok

    @property
    def cancelled(self) -> bool:
        return self.state == CANCELLED


def run_until_done(runner, err) -> str:
    """Run a :class:`~ciokatana.core.runner.Runner` on its worker thread so
    Ctrl-C in the terminal cancels it cleanly; return the final state."""
    interrupt.check()  # a Ctrl-C whose exception Python lost: send nothing
    runner.start()
    try:
        while not runner.wait(0.2):
            interrupt.check()
    except KeyboardInterrupt:
        err.write("\nCancelling: stopping the current job, starting no more...\n")
        runner.cancel()
        runner.wait(10)
    return runner.state


def run_in_terminal(prepared_or_payloads, spec: SourceSpec, out=None, err=None, quiet: bool = False,
                    url: Optional[str] = None, source=None, recorder=None) -> TerminalRun:
    """Run a submission with live progress in a terminal and print the summary.

    Ctrl-C cancels (the current job stops, no more start). Prints one
    result line per job, the upload summary, and how long it took.

    Args:
        prepared_or_payloads / spec: as :func:`open_source`.
        out / err: progress and results / messages (stdout / stderr).
        quiet: print only the results.
        url: the Conductor URL for job links (None for a replay).
        source / recorder: an already opened source (skips open_source).
    """
    out = out or sys.stdout
    err = err or sys.stderr
    if source is None:
        source, recorder = open_source(prepared_or_payloads, spec)
    reporter = TerminalReporter(out, url=url, quiet=quiet)
    runner = Runner(source, reporter, recorder)
    started = time.monotonic()
    state = run_until_done(runner, err)
    seconds = time.monotonic() - started
    out.write(reporter.summary() + "\n")
    if recorder is not None:
        out.write("Recorded {} event(s) to {}\n".format(recorder.count, recorder.path))
    out.write("Finished in {:.1f} s\n".format(seconds))
    out.flush()
    return TerminalRun(state=state, reporter=reporter, runner=runner, recorder=recorder, seconds=seconds)
