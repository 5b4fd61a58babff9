"""One `claimlint check` run: which files, which packs, lint each, collect the results.

The command line (cli.py) turns flags and the configuration file into `CheckOptions`;
everything after that lives here, so the CLI stays a thin layer and other front ends (the
pre-commit hook, `baseline create`) reuse the same run.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter

from claimlint.config import Config, matches
from claimlint.engine import FileResult, Linter, lint_text
from claimlint.inputs import DEFAULT_MAX_FILE_SIZE, InputError, decode, discover, read_stdin, read_text
from claimlint.packs import DEFAULT_PACKS, load_packs
from claimlint.readers import format_for
from claimlint.report import RunResult


class RunError(Exception):
    """A problem with the run as a whole (not one file): exit 2 with this message."""


@dataclass
class CheckOptions:
    paths: list[str]
    extra_packs: list[str] = field(default_factory=list)  # from --pack
    config: Config = field(default_factory=Config)
    language: str = "blank"
    stdin_filename: str | None = None
    baseline: Counter | None = None
    changed_since: str | None = None
    progress: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # bytes; 0 = no limit
    fail_fast: bool = False  # stop at the first input that cannot be linted
    jobs: int = 0  # worker processes for many files; 0 = one per core, 1 = lint in this process
    cache_dir: str | None = None  # the result cache's folder; None = no cache
    profile: bool = False  # time the stages; the sums land in RunResult.timings


_WARM: dict | None = None  # `claimlint server`: Linters kept from one run to the next


def keep_linters_warm() -> None:
    """Keep each Linter (compiled packs, language pipeline) for later runs in this process,
    as long as its pack files are unchanged. Only the server, a long-lived process, wants this."""
    global _WARM
    _WARM = {}


def warm_up(language: str = "blank") -> None:
    """Build the default Linter and load the language pipeline now, before the first run."""
    if _WARM is None:
        keep_linters_warm()
    linters = _Linters(list(DEFAULT_PACKS), language)
    linters.load_segmenter()


def _pack_files_stamp(packs) -> tuple | None:
    try:
        return tuple((f, os.stat(f).st_mtime_ns, os.stat(f).st_size) for p in packs for f in p.files)
    except OSError:
        return None


def _build_linter(names: tuple[str, ...], language: str) -> Linter:
    if _WARM is None:
        return Linter(load_packs(list(names)), language=language)
    kept = _WARM.get((names, language))
    if kept is not None and kept[0] is not None and kept[0] == _pack_files_stamp(kept[1].packs):
        return kept[1]
    linter = Linter(load_packs(list(names)), language=language)
    segmenter = next((w[1]._segmenter for w in _WARM.values() if w[1].language == language), None)
    linter._segmenter = segmenter
    _WARM[(names, language)] = (_pack_files_stamp(linter.packs), linter)
    return linter


class _Linters:
    """One Linter per distinct pack list (per-path overrides can add packs), built on demand."""

    def __init__(self, base: list[str], language: str) -> None:
        self.base = base
        self.language = language
        self._cache: dict[tuple[str, ...], Linter] = {}
        self._fingerprints: dict[tuple[str, ...], str] = {}
        self.profile = False

    def get(self, extra: list[str]) -> Linter:
        names = tuple(dict.fromkeys(self.base + extra))
        if names not in self._cache:
            shared = next(iter(self._cache.values()), None)
            linter = _build_linter(names, self.language)
            if shared is not None and linter._segmenter is None:
                linter._segmenter = shared._segmenter  # one language pipeline per run
            linter.profile = {} if self.profile else None
            self._cache[names] = linter
        return self._cache[names]

    def load_segmenter(self) -> None:
        """Load the language pipeline once and share it with every Linter (a trained pipeline
        imports spaCy; the blank one does not, see segment.py).
        Called only when some file is to be linted: a run served by the cache never imports spaCy."""
        linters = list(self._cache.values()) or [self.get([])]
        segmenter = linters[0].segmenter  # raises segment.LanguageError here, outside any file
        for linter in linters:
            linter._segmenter = segmenter

    def fingerprint(self, extra: list[str]) -> str:
        """What a cache key needs to know about the Linter for these extra packs."""
        names = tuple(dict.fromkeys(self.base + extra))
        if names not in self._fingerprints:
            from claimlint.cache import packs_fingerprint

            self._fingerprints[names] = packs_fingerprint(self.get(extra).packs, self.language)
        return self._fingerprints[names]


def changed_files(ref: str) -> set[str]:
    """Files changed against `ref` (committed, staged or not), as resolved paths."""
    import subprocess  # here: only --changed-since needs it (~10 ms to import)

    def git(*args: str) -> str:
        try:
            proc = subprocess.run(["git", *args], capture_output=True, text=True, timeout=60)
        except FileNotFoundError:
            raise RunError("--changed-since needs git, which is not installed") from None
        if proc.returncode != 0:
            message = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "git failed"
            raise RunError(f"--changed-since {ref}: {message}")
        return proc.stdout

    top = Path(git("rev-parse", "--show-toplevel").strip())
    names = git("diff", "--name-only", "--diff-filter=ACMRT", ref, "--").splitlines()
    names += git("ls-files", "--others", "--exclude-standard").splitlines()
    return {str((top / name).resolve()) for name in names if name}


def _apply_config(result: FileResult, config: Config) -> FileResult:
    rules = config.for_path(result.path)
    kept = []
    for finding in result.findings:
        if rules.select and not any(matches(finding.rule, s) for s in rules.select):
            continue
        if any(matches(finding.rule, s) for s in rules.ignore):
            continue
        for selector, severity in rules.severity.items():
            if matches(finding.rule, selector):
                finding.severity = severity
        kept.append(finding)
    result.findings = kept
    return result


def _progress(total: int):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.console import Console

    return Progress(TextColumn("claimlint"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=Console(stderr=True), transient=True)


@contextmanager
def _fewer_collections():
    """Run the lint loop with the cyclic garbage collector mostly out of the way.

    Linting allocates millions of small containers, almost none of them in a reference cycle,
    so the collector's default every-700-allocations pass found next to nothing (a few hundred
    objects over 1,000 files) yet took ~5% of a run's CPU, and each full pass walked the packs
    and every result so far again. Objects alive now (packs, compiled patterns) are set aside
    (gc.freeze) and the youngest generation waits for 10,000 allocations; both are undone
    afterwards, so a long-lived `claimlint server` collects as before between runs."""
    import gc

    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(_LINT_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


_LINT_GC_THRESHOLD = 10_000


POOL_MIN_FILES = 8  # fewer files than this to lint: starting workers costs more than it saves


@dataclass
class _Job:
    """One input on its way through the run: read in this process, then served by the cache
    or linted (here or in a worker); `result` is the FileResult before the configuration."""

    path: str
    format: str
    extra: list[str]  # packs the configuration adds for this path
    text: str | None = None
    key: str | None = None
    result: FileResult | None = None


def run_check(options: CheckOptions) -> RunResult:
    """Lint every input. Raises segment.LanguageError before any file is linted if the pipeline
    is missing, RunError for a problem with the run itself, PackError for a broken pack."""
    config = options.config
    linters = _Linters(list(DEFAULT_PACKS) + config.packs + options.extra_packs, options.language)
    linters.profile = options.profile
    timings: Counter = Counter()
    clock = perf_counter()
    if options.cache_dir:
        from claimlint import packfacts

        packfacts.use_folder(options.cache_dir)  # what earlier runs worked out about the packs
    base = linters.get([])
    run = RunResult(rules={r.definition.id: r.definition for r in base.rules})
    clock = _lap(timings, "load packs", clock)
    inputs, errors = discover([p for p in options.paths if p != "-"])
    run.errors.extend(errors)
    given = {os.path.realpath(p) for p in options.paths if p != "-"}
    inputs = [i for i in inputs if config.wants(i.path) or os.path.realpath(i.path) in given]
    if options.changed_since:
        changed = changed_files(options.changed_since)
        inputs = [i for i in inputs if os.path.realpath(i.path) in changed]
    jobs: list[_Job] = []
    if "-" in options.paths:
        name = options.stdin_filename or "-"
        try:
            text = decode(read_stdin(name, sys.stdin.buffer, options.max_file_size), name)
        except InputError as exc:
            run.errors.append(str(exc))
        else:
            jobs.append(_Job(name, format_for(name) or "markdown", config.for_path(name).packs, text))
    for item in inputs:
        if options.fail_fast and run.errors:
            break  # --fail-fast: the first input that failed ends the run (exit 2)
        extra = config.for_path(item.path).packs
        try:
            text = read_text(item.path, options.max_file_size)  # regular files only, size-limited, never blocks
        except InputError as exc:
            jobs.append(_Job(item.path, item.format, extra, result=FileResult(item.path, error=str(exc))))
            if options.fail_fast:
                break
            continue
        jobs.append(_Job(item.path, item.format, extra, text))
    clock = _lap(timings, "discover+read", clock)

    cache = None
    hits = 0
    if options.cache_dir:
        from claimlint.cache import ResultCache

        cache = ResultCache(options.cache_dir)
        for job in jobs:
            if job.result is None:
                job.key = cache.key(linters.fingerprint(job.extra), job.path, job.format, job.text)
                job.result = cache.get(job.key, job.path)
                if job.result is not None:
                    hits += 1
                    job.text = None  # served: the text is no longer needed (memory on big repos)
        clock = _lap(timings, "cache", clock)
    misses = [job for job in jobs if job.result is None]
    if misses:
        linters.load_segmenter()  # a trained pipeline imports spaCy: only when a file is to be linted
        clock = _lap(timings, "load pipeline", clock)
    workers = options.jobs if options.jobs > 0 else (os.cpu_count() or 1)
    with _fewer_collections():
        pool = _Pool(linters, min(workers, len(misses)), misses) if workers > 1 and len(misses) > POOL_MIN_FILES else None
        results = pool.results() if pool is not None else (
            lint_text(linters.get(job.extra), job.path, job.text, job.format) for job in misses)
        show = options.progress and len(misses) > 20 and sys.stderr.isatty()
        try:
            with (_progress(len(misses)) if show else _NoProgress()) as bar:
                task = bar.add_task("lint", total=len(misses))
                for job, result in zip(misses, results):
                    job.result = result
                    job.text = None
                    if cache is not None and job.key is not None:
                        cache.put(job.key, result)
                    bar.advance(task)
                    if options.fail_fast and result.error:
                        break
        finally:
            if pool is not None:
                pool.close()
    clock = _lap(timings, "lint (wall)", clock)
    if cache is not None:
        cache.prune_if_due()
        from claimlint import packfacts

        packfacts.save()
    for job in jobs:
        if job.result is None:
            break  # not linted: --fail-fast stopped at an earlier file
        if job.result.timings:
            timings.update(job.result.timings)
        run.files.append(_apply_config(job.result, config))
        if options.fail_fast and job.result.error:
            break
    for linter in linters._cache.values():
        run.rules.update({r.definition.id: r.definition for r in linter.rules})
    run.errors.extend(r.error for r in run.files if r.error)
    if options.baseline is not None:
        from claimlint.baseline import filter_new

        left = filter_new(run.findings, options.baseline)
        keep = {id(f) for f in left}
        for result in run.files:
            result.findings = [f for f in result.findings if id(f) in keep]
    if options.profile:
        _lap(timings, "config+baseline", clock)
        run.timings = dict(timings)
        run.timings["files linted"] = len(misses)
        run.timings["cache hits"] = hits
        run.timings["workers"] = pool.workers if pool is not None else 1
    return run


def _lap(timings: Counter, stage: str, start: float) -> float:
    now = perf_counter()
    timings[stage] += now - start
    return now


# --jobs: a process pool of our own. Each worker builds its Linters once (initializer) and
# lints batches of (path, text, format, extra packs); results come back in input order.

_worker_linters: _Linters | None = None
# The parent's Linters, which a forked worker finds already built (packs loaded and compiled so
# far): only with the blank pipeline, as forking a loaded trained pipeline is not known safe.
# A spawned worker imports this module afresh, finds None, and builds its own.
_inherited_linters: _Linters | None = None


def _init_worker(base: list[str], language: str, profile: bool, parent: int, facts: str | None = None) -> None:
    import signal

    from claimlint import packfacts

    global _worker_linters
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # a forked worker inherits the parent's held signals
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD_SIGNALS)
    _die_with_parent(parent)
    # The pack facts: a forked worker has the parent's; a spawned one reads the file. What a
    # worker works out goes back with its results (_lint_batch): only the parent saves them.
    packfacts.take_learnt()  # forked: what the parent learnt is the parent's to save
    if facts is not None and packfacts.folder() is None:
        packfacts.use_folder(facts)
    inherited = _inherited_linters
    if inherited is not None and inherited.base == base and inherited.language == language:
        _worker_linters = inherited
    else:
        _worker_linters = _Linters(base, language)
    _worker_linters.profile = profile
    _worker_linters.load_segmenter()
    # as _fewer_collections, for this process's life (a spawned worker inherits nothing)
    import gc

    gc.freeze()
    gc.set_threshold(_LINT_GC_THRESHOLD, *gc.get_threshold()[1:])


def _die_with_parent(parent: int) -> None:
    """On Linux, ask for SIGTERM when the parent dies (killed, out of memory): a worker left
    behind would wait for work for ever and hold the run's stdout open. A parent that died
    before the request (between fork and here) is caught by looking at who the parent is now."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, 15)  # PR_SET_PDEATHSIG, SIGTERM
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


def _lint_batch(batch: list[tuple[str, str, str, list[str]]]) -> tuple[list[FileResult], dict | None]:
    """The batch's results, and the pack facts this worker worked out meanwhile."""
    from claimlint import packfacts

    assert _worker_linters is not None
    results = [lint_text(_worker_linters.get(extra), path, text, format) for path, text, format, extra in batch]
    return results, packfacts.take_learnt()


_HELD_SIGNALS = {2, 15}  # SIGINT and SIGTERM, by number: `signal` is imported only with a pool


@contextmanager
def _signals_held():
    """Block SIGINT and SIGTERM in this thread for the block; they are delivered after it."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _Pool:
    def __init__(self, linters: _Linters, workers: int, jobs: list[_Job]) -> None:
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        from claimlint import packfacts

        self.linters = linters
        self.workers = workers
        self.jobs = jobs
        global _inherited_linters

        size = max(1, min(16, len(jobs) // (workers * 8)))
        self.batches = [jobs[i : i + size] for i in range(0, len(jobs), size)]
        _inherited_linters = linters if linters.language == "blank" else None
        self.executor = None
        # Ctrl-C while the workers are forked would reach our handler inside an at-fork callback,
        # where its exception is printed and dropped: hold SIGINT/SIGTERM until they exist. One
        # that arrived meanwhile is raised on leaving the block; the workers must not outlive it.
        try:
            with _signals_held():
                self.executor = ProcessPoolExecutor(
                    max_workers=workers, initializer=_init_worker,
                    initargs=(linters.base, linters.language, linters.profile, os.getpid(), packfacts.folder()))
                # submit everything now, before a progress bar starts a thread (workers may be forked)
                self.futures = []
                for batch in self.batches:
                    try:
                        self.futures.append(self.executor.submit(
                            _lint_batch, [(j.path, j.text, j.format, j.extra) for j in batch]))
                    except BrokenProcessPool:
                        break  # a worker died already: results() lints the batches not sent here
        except BaseException:
            self.close()
            raise

    def results(self):
        from concurrent.futures.process import BrokenProcessPool

        from claimlint import packfacts

        for index in range(len(self.batches)):
            try:
                if index >= len(self.futures):
                    raise BrokenProcessPool
                batch, learnt = self.futures[index].result()
            except BrokenProcessPool:  # a worker died (killed, out of memory): finish here
                for job in (j for b in self.batches[index:] for j in b):
                    yield lint_text(self.linters.get(job.extra), job.path, job.text, job.format)
                return
            packfacts.merge_learnt(learnt)  # saved by this process at the end of the run
            yield from batch

    def close(self) -> None:
        global _inherited_linters

        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
        _inherited_linters = None


class _NoProgress:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def add_task(self, *args, **kwargs) -> int:
        return 0

    def advance(self, *args) -> None:
        return None
