"""The Detector: Presidio recognizers driven in batches, fast or accurate.

Why not ``AnalyzerEngine.analyze`` per text: it runs the whole spaCy pipeline per call and
matches context by lemma. Here the text is normalized once, Sudachi runs once, GiNZA NER runs
batched and only on texts where it can add something (a run of letters outside what the
pattern recognizers already found), never twice on the same text (a per-detector cache of
repeated texts), and large inputs are spread over worker processes. The recognizers and
their results are Presidio's; :meth:`Detector.analyzer_engine` gives a stock
``AnalyzerEngine`` over the same recognizers for anyone who wants Presidio's own driver.
"""

from __future__ import annotations

import gc
import os
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence, Sized
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from presidio_analyzer import RecognizerResult

from anonymizer.detect.calibration import Calibrator, load_calibration
from anonymizer.detect.finding import Finding
from anonymizer.detect.ner_stage import NerStage
from anonymizer.detect.prefilter import union_prefilter
from anonymizer.detect.relations import apply_relations, load_relations
from anonymizer.detect.resolve import merge_findings, to_findings
from anonymizer.detect.segment import MAX_CHARS, segments
from anonymizer.entities import parse_entities
from anonymizer.errors import UsageError
from anonymizer.gcpolicy import use_batch_thresholds
from anonymizer.i18n import N_, _
from anonymizer.nlp.artifacts import JaNlpArtifacts
from anonymizer.nlp.engine import MODES, JaNlpEngine
from anonymizer.progress import ProgressFactory, no_progress
from anonymizer.recognizers import build_recognizers
from anonymizer.recognizers.base import JaRecognizer
from anonymizer.text.gaiji import read_gaiji
from anonymizer.text.normalize import normalize

#: NER can only add a name or place where letters remain outside the pattern findings
_LETTER_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaffA-Za-z\uff21-\uff5a]{2,}")
#: a character a name can be written in: kana, kanji, or a capitalized Latin word
_NAME_CAPABLE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f々〆ヶ]|[A-Z][a-z]|[A-Z]{3}")
#: below this many uncached texts, worker processes cost more than they save
_PARALLEL_MIN = 256
_CHUNK = 128
_BATCH = 1024
_PARALLEL_BATCH = 8192

#: evidence (the recognizers' own scale) from which a finding counts on its own: NER is not
#: run over it, whatever threshold the findings are reported at (so the findings at any
#: threshold are the default's, filtered)
COVER_EVIDENCE = 0.5


class Detector:
    """Detect personal information in texts.

    ``mode``: ``fast`` (patterns + Sudachi morphology) or ``accurate`` (fast ∪ GiNZA NER).
    ``workers``: processes for large inputs (``None``: one per core).
    ``calibrated``: scores are calibrated probabilities (``rules/calibration.yaml``) and
    ``min_score`` is one (default: the table's ``default_min_score``); ``False``: the
    recognizers' raw evidence levels (for fitting), the default threshold evidence 0.5.
    """

    def __init__(
        self,
        mode: str = "accurate",
        entities: Iterable[str] | str | None = None,
        min_score: float | None = None,
        rules: str | os.PathLike[str] | None = None,
        workers: int | None = 1,
        cache_size: int = 200_000,
        calibrated: bool = True,
    ) -> None:
        if mode not in MODES:
            raise UsageError(
                _("unknown mode {mode!r}; valid: {modes}").format(mode=mode, modes=', '.join(MODES))
            )
        table = load_calibration(rules)
        if min_score is None:
            min_score = table.default_min_score if calibrated else COVER_EVIDENCE
        if not 0.0 <= min_score <= 1.0:
            raise UsageError(_("min-score must be between 0 and 1"))
        self.mode = mode
        self.entities = parse_entities(entities)
        self._entity_set = frozenset(self.entities) if self.entities else None
        self.min_score = min_score
        self.rules = rules
        self.calibrated = calibrated
        self._calibrate: Calibrator | None = (
            Calibrator(table, mode) if calibrated else None
        )
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.recognizers: list[JaRecognizer] = build_recognizers(rules)
        for r in self.recognizers:
            r.explain = False  # findings carry the recognizer name; explanations are unused here
        self._relations = load_relations(rules)
        self._ner_users = [r for r in self.recognizers if r.USES_NER]
        self._recheck_below = {
            r.NAME: r.ner_recheck_below for r in self._ner_users if r.ner_recheck_below is not None
        }
        self._any_prefilter = union_prefilter([r.spec.prefilter for r in self.recognizers])
        self.nlp = JaNlpEngine(mode)  # type: ignore[arg-type]
        self._ner = NerStage(self.nlp.ginza) if self.nlp.ginza is not None else None
        self._cache: OrderedDict[str, list[Finding]] = OrderedDict()
        self._cache_size = cache_size
        self._pool: ProcessPoolExecutor | None = None
        self.stats = {"texts": 0, "cache_hits": 0, "ner_texts": 0}
        #: bars over the texts of each call (the CLI sets it: :mod:`anonymizer.progress`)
        self.progress: ProgressFactory = no_progress

    # -- public API --------------------------------------------------------------------
    def detect(self, text: str) -> list[Finding]:
        return next(self.detect_many([text]))

    def detect_many(
        self, texts: Iterable[str], batch_size: int | None = None, context_chars: int = 0
    ) -> Iterator[list[Finding]]:
        """Findings per text, in input order; batches are processed as they stream in.

        ``batch_size``: texts held at once (default: 1,024 in one process; 8,192 with
        workers, so they wait at batch ends less often). ``context_chars``: leading
        characters that are context only (a header), so they never decide whether NER runs.
        """
        total = len(texts) if isinstance(texts, Sized) else None
        for found in self._detect(texts, batch_size, context_chars, total):
            yield list(found)  # the cache keeps its own list

    def detect_cells(
        self, values: Iterable[str], header: str = "", batch_size: int | None = None
    ) -> Iterator[list[Finding]]:
        """Findings per table cell, with the column header as context.

        Each cell is analysed as ``"<header>：<value>"`` so a 生年月日 column gives its dates
        birth context and a 電話番号 column its numbers phone context; findings inside the
        header are dropped and offsets index the cell value.
        """
        prefix = f"{header}：" if header else ""
        n = len(prefix)
        if not n:
            yield from self.detect_many(values, batch_size)
            return
        total = len(values) if isinstance(values, Sized) else None
        texts = (prefix + v if v else "" for v in values)
        shift = Finding.shifted
        for found in self._detect(texts, batch_size, n, total):
            yield [shift(f, -n) for f in found if f.start >= n]

    def _detect(
        self, texts: Iterable[str], batch_size: int | None, context_chars: int,
        total: int | None = None,
    ) -> Iterator[list[Finding]]:
        """As :meth:`detect_many`, but the lists may be the cache's own: read them only."""
        if batch_size is None:
            batch_size = _BATCH if self.workers <= 1 else _PARALLEL_BATCH
        # a bar per call, counted per batch; shown only for calls that last (a run makes many)
        with self.progress(N_("detection"), total, N_("texts"), delay=0.5) as bar:
            # With workers, the next batch is handed to them before this one's findings are
            # yielded, so they keep computing while the caller uses the findings (one batch
            # of input is read ahead).
            pending: _Batch | None = None
            for batch in _batches(texts, batch_size):
                started = self._start_batch(batch, context_chars)
                if pending is not None:
                    yield from self._finish_batch(pending)
                    bar.update(len(pending.texts))
                    pending = None
                if started.futures is None:  # computed here: nothing to wait for
                    yield from self._finish_batch(started)
                    bar.update(len(batch))
                else:
                    pending = started
            if pending is not None:
                yield from self._finish_batch(pending)
                bar.update(len(pending.texts))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Detector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def versions(self) -> dict[str, str]:
        """Versions of the models and libraries behind the findings (for manifests)."""
        from importlib.metadata import version

        out = {p: version(p) for p in ("presidio-analyzer", "spacy", "sudachipy", "sudachidict-core")}
        if self.mode == "accurate":
            out["ja-ginza"] = version("ja-ginza")
        return out

    def analyzer_engine(self) -> Any:
        """A stock Presidio ``AnalyzerEngine`` over the same recognizers and NLP engine."""
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

        registry = RecognizerRegistry(supported_languages=["ja"])
        for r in build_recognizers(self.rules):  # own instances: explanations on
            registry.add_recognizer(r)
        return AnalyzerEngine(registry=registry, nlp_engine=self.nlp, supported_languages=["ja"])

    # -- internals ---------------------------------------------------------------------
    def _start_batch(self, texts: Sequence[str], context_chars: int) -> _Batch:
        """Find what is not cached yet; compute it here, or hand it to the workers."""
        self.stats["texts"] += len(texts)
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        self.stats["cache_hits"] += len(texts) - len(todo)
        parallel = self.workers > 1 and len(todo) >= _PARALLEL_MIN
        if parallel:
            todo = self._settle_trivial(todo)
            parallel = len(todo) >= _PARALLEL_MIN
        if parallel:
            return _Batch(texts, context_chars, todo, futures=self._submit(todo, context_chars))
        for text, findings in zip(todo, self._compute(todo, context_chars), strict=True):
            self._remember(text, findings)
        return _Batch(texts, context_chars, [])

    def _finish_batch(self, batch: _Batch) -> list[list[Finding]]:
        if batch.futures is not None:
            computed = [found for fut in batch.futures for found in fut.result()]
            for text, findings in zip(batch.todo, computed, strict=True):
                self._remember(text, findings)
        cache = self._cache
        return [
            cache[t] if t in cache else self._compute([t], batch.context_chars)[0]
            for t in batch.texts
        ]

    def _settle_trivial(self, texts: list[str]) -> list[str]:
        """Remember "nothing found" for texts no recognizer can match; return the others.

        Codes and pseudonyms are cheaper to rule out here with one search than to ship to
        a worker. Fast mode only (in accurate mode NER decides on letters of its own).
        """
        union = self._any_prefilter
        if union is None or self._ner is not None:
            return texts
        rest = []
        for t in texts:
            # the raw text first (NFKC leaves ASCII as it is); a match is only a reason
            # to look closer
            if union.search(t) or (not t.isascii() and union.search(normalize(t).text)):
                rest.append(t)
            else:
                self._remember(t, [])
        return rest

    def _remember(self, text: str, findings: list[Finding]) -> None:
        self._cache[text] = findings
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def _compute(self, texts: Sequence[str], context_chars: int = 0) -> list[list[Finding]]:
        """Findings for distinct texts, computed in this process (long texts in segments)."""
        if all(len(t) <= MAX_CHARS for t in texts):
            return self._compute_short(texts, context_chars)
        pieces: list[str] = []
        owners: list[tuple[int, int]] = []  # (text index, offset)
        for i, t in enumerate(texts):
            for offset, piece in segments(t):
                pieces.append(piece)
                owners.append((i, offset))
        out: list[list[Finding]] = [[] for _ in texts]
        for (i, offset), found in zip(owners, self._compute_short(pieces), strict=True):
            out[i].extend(f.shifted(offset) for f in found)
        return [merge_findings(f) if len(f) > 1 else f for f in out]

    def _compute_short(self, texts: Sequence[str], context_chars: int = 0) -> list[list[Finding]]:
        sudachi = self.nlp.sudachi
        # 外字 placeholders (髙橋〓子) read as a name's kanji, one for one: offsets unchanged
        texts = [read_gaiji(t) for t in texts]
        nts = [normalize(t) for t in texts]
        # morphology only where a name could be written (pseudonyms, numbers, codes: no)
        arts = [
            JaNlpArtifacts(t, sudachi.morphemes(t) if _NAME_CAPABLE.search(t) else (), (), self.nlp)
            for t in texts
        ]
        raw: list[list[RecognizerResult]] = [[] for _ in texts]
        # one search rules out every recognizer at once (codes, pseudonyms, numbers)
        union = self._any_prefilter
        live = [
            i for i, nt in enumerate(nts)
            if nt.text.strip() and (union is None or union.search(nt.text))
        ]
        # recognizer by recognizer over the batch, not text by text: each one's code and
        # data stay hot in the CPU caches (8% faster side by side); results keep their order
        for r in self.recognizers:
            analyze = r.analyze_normalized
            for i in live:
                found = analyze(nts[i], arts[i])
                if found:
                    raw[i].extend(found)
        if self._ner is not None and self._ner_users:
            need = [i for i, t in enumerate(texts) if self._needs_ner(t, raw[i], context_chars)]
            self.stats["ner_texts"] += len(need)
            if need:
                covered = [
                    [
                        (r.start, r.end) for r in raw[i]
                        if r.score >= COVER_EVIDENCE and not self._recheck(r)
                    ]
                    + ([(0, context_chars)] if context_chars else [])
                    for i in need
                ]
                ner_names = {r.NAME for r in self._ner_users}
                spans = self._ner.spans([texts[i] for i in need], covered)
                for i, ner in zip(need, spans, strict=True):
                    if not ner:
                        continue
                    art = JaNlpArtifacts(texts[i], arts[i].morphemes, ner, self.nlp)
                    keep = [
                        x for x in raw[i]
                        if x.recognition_metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY) not in ner_names
                    ]
                    for r in self._ner_users:
                        keep.extend(r.analyze_normalized(nts[i], art))
                    raw[i] = keep
        cal = self._calibrate
        out = [
            apply_relations(
                t, to_findings(res, self.min_score, None, cal), self._relations, self._entity_set
            )
            for t, res in zip(texts, raw, strict=True)
        ]
        if cal is None:
            return out
        # overlaps and relations were resolved on the evidence (a workplace's name holds the
        # person's inside it); what is reported is the probability
        new = tuple.__new__  # as Finding.shifted: skips the NamedTuple's Python-level __new__
        return [
            [new(Finding, (f[0], f[1], f[2], cal(f[0], f[4], f[3]), f[4])) for f in found]
            for found in out
        ]

    def _recheck(self, r: RecognizerResult) -> bool:
        """A NER user's weak finding NER should see (its reading is evidence for or against)."""
        below = self._recheck_below.get(str(r.recognition_metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY)))
        return below is not None and r.score < below

    def _needs_ner(self, text: str, results: list[RecognizerResult], skip: int = 0) -> bool:
        """True when letters remain outside the context prefix and the non-name findings."""
        if not _LETTER_RUN.search(text, skip):
            return False
        covered = [
            (r.start, r.end) for r in results
            if r.score >= COVER_EVIDENCE and r.entity_type not in ("PERSON",)
        ]
        if not covered:
            return True
        chars = list(text)
        for s, e in covered:
            chars[s:e] = [" "] * (e - s)
        return bool(_LETTER_RUN.search("".join(chars), skip))

    def _submit(self, texts: Sequence[str], context_chars: int) -> list[Future[list[list[Finding]]]]:
        """Hand ``texts`` to the worker processes in chunks; one future per chunk, in order."""
        if self._pool is None:
            import multiprocessing as mp

            if "fork" in mp.get_all_start_methods():
                # Load every model, dictionary and gazetteer here, then fork: the workers
                # reuse this detector and share those pages copy-on-write instead of each
                # loading its own GiNZA (peak memory stays under 2 GB with two workers).
                self._compute([_WARM_UP])
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=mp.get_context("fork"),
                    initializer=_worker_adopt,
                    initargs=(self,),  # inherited by fork, not pickled
                )
            else:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    initializer=_worker_init,
                    initargs=(
                        self.mode, self.entities, self.min_score, self.rules, self.calibrated
                    ),
                )
        pool = self._pool
        return [
            pool.submit(_worker_compute, (texts[i : i + _CHUNK], context_chars))
            for i in range(0, len(texts), _CHUNK)
        ]


@dataclass
class _Batch:
    """Texts of one batch and, when workers compute it, their futures (in chunk order)."""

    texts: Sequence[str]
    context_chars: int
    todo: list[str]
    futures: list[Future[list[list[Finding]]]] | None = None


def _batches(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_WORKER: Detector | None = None


#: a text that exercises every recognizer, the gazetteer and the NER stage once
_WARM_UP = "国立市富士見台2-47-1の山田太郎さん、電話090-1234-5678、〒186-0004、taro@example.jp、昭和45年3月2日生"


def _worker_adopt(parent: Detector) -> None:
    """Forked worker: use the parent's detector (models already loaded, pages shared)."""
    global _WORKER  # one detector per worker process
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    # everything inherited (models, dictionaries, gazetteer index) is long-lived: keep it out
    # of the cyclic collector's scans (about a tenth of the per-text time) and its writes
    # from un-sharing the pages
    gc.freeze()
    # collecting less often saves about 5% per text (measured side by side)
    use_batch_thresholds()
    parent._pool = None  # the worker never fans out itself
    parent._cache = OrderedDict()
    parent._cache_size = 0
    _WORKER = parent


def _worker_init(
    mode: str, entities: Any, min_score: float, rules: Any, calibrated: bool
) -> None:
    global _WORKER  # one detector per worker process, built once
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _WORKER = Detector(
        mode, entities, min_score, rules, workers=1, cache_size=0, calibrated=calibrated
    )


def _worker_compute(job: tuple[Sequence[str], int]) -> list[list[Finding]]:
    assert _WORKER is not None
    return _WORKER._compute(*job)
