"""In-process figures: prediction latency and throughput, explain, the analyzer."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer

from bench.common import OtherLoad, percentile, repeat, summary
from classifier.model import StanceModel
from classifier.pipeline import word_vectorizer


def single_latency(model: StanceModel, sample: list[str], calls: int, reps: int) -> dict:
    """p50 and p99 of one-statement ``predict`` calls, in microseconds."""
    p50s, p99s = [], []
    for _ in range(reps):
        times = []
        for text in (sample * (calls // len(sample) + 1))[:calls]:
            started = time.perf_counter()
            model.predict([text])
            times.append((time.perf_counter() - started) * 1e6)
        p50s.append(percentile(times, 0.5))
        p99s.append(percentile(times, 0.99))
    return {"p50_us": summary(p50s), "p99_us": summary(p99s)}


def batch_throughput(
    model: StanceModel, sample: list[str], size: int, reps: int, seconds: float
) -> dict:
    """Statements per second for ``predict`` on batches of ``size``; each repetition
    predicts the batch again until ``seconds`` have passed, so one slow moment of a
    shared machine weighs little."""
    batch = (sample * (size // len(sample) + 1))[:size]
    model.predict(batch[:100])  # warm caches

    def once() -> float:
        started, done = time.perf_counter(), 0
        while True:
            model.predict(batch)
            done += size
            elapsed = time.perf_counter() - started
            if elapsed >= seconds:
                return done / elapsed

    return repeat(once, reps)


def explain_figures(model: StanceModel, sample: list[str], calls: int, reps: int) -> dict:
    latency = []
    for _ in range(reps):
        times = []
        for text in sample[:calls]:
            started = time.perf_counter()
            model.explain(text, 10)
            times.append((time.perf_counter() - started) * 1e6)
        latency.append(percentile(times, 0.5))
    batch = sample[:calls]

    def rate() -> float:
        started = time.perf_counter()
        for text in batch:
            model.explain(text, 10)
        return len(batch) / (time.perf_counter() - started)

    return {"p50_us": summary(latency), "statements_per_s": repeat(rate, reps)}


def default_pipeline_ratio(
    model: StanceModel, sample: list[str], size: int, reps: int, seconds: float
) -> dict[str, Any]:
    """The stance model's batch probabilities against scikit-learn's default text
    pipeline on the same batch, like for like: ``predict_proba`` both (the five
    labels' probabilities; the peer has no relevance model, actor ranker or review
    flags, whose cost ``batch_1000_per_s`` includes).

    The peer is what a user would write first: ``TfidfVectorizer(ngram_range=(1, 2))``
    (its regex analyzer) and ``LogisticRegression``, fitted on the sample with the
    model's own labels for it (the labels do not change its speed), rounds of the two
    interleaved."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    batch = (sample * (size // len(sample) + 1))[:size]
    labels = [p.label for p in model.predict(sample)]
    peer = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(max_iter=1000))
    peer.fit(sample, labels)
    ours = lambda: model.predict_proba(batch)  # noqa: E731
    theirs = lambda: peer.predict_proba(batch)  # noqa: E731

    def rate(run: Callable[[], Any]) -> float:
        started, done = time.perf_counter(), 0
        while True:
            run()
            done += size
            elapsed = time.perf_counter() - started
            if elapsed >= seconds:
                return done / elapsed

    ours(), theirs()  # warm caches
    rounds = [(rate(ours), rate(theirs)) for _ in range(reps)]
    return {
        "stancemeter_per_s": summary([a for a, _ in rounds]),
        "sklearn_default_per_s": summary([b for _, b in rounds]),
        "ratio": summary([a / b for a, b in rounds]),
    }


def analyzer_ratio(sample: list[str], reps: int) -> dict[str, Any]:
    """The NLTK analyzer against scikit-learn's default regex analyzer, same texts, same n-grams."""
    ours = word_vectorizer().build_analyzer()
    default = TfidfVectorizer(ngram_range=(1, 2)).build_analyzer()
    for text in sample:  # warm the stem cache, as a serving process has
        ours(text)

    def rate(analyze) -> float:
        started = time.perf_counter()
        for text in sample:
            analyze(text)
        return len(sample) / (time.perf_counter() - started)

    rounds = [(rate(ours), rate(default)) for _ in range(reps)]
    return {
        "nltk_analyzer_per_s": summary([a for a, _ in rounds]),
        "sklearn_default_per_s": summary([b for _, b in rounds]),
        "ratio": summary([a / b for a, b in rounds]),
    }


def run(model: StanceModel, sample: list[str], quick: bool) -> dict[str, Any]:
    """Each figure, and the CPU seconds the rest of the machine used while it ran."""
    reps, seconds = 3, (0.3 if quick else 1.0)
    sections: dict[str, Callable[[], dict]] = {
        "single": lambda: single_latency(model, sample, 300 if quick else 3000, reps),
        "batch_1000_per_s": lambda: batch_throughput(model, sample, 1000, reps, seconds),
        "batch_10000_per_s": lambda: batch_throughput(
            model, sample, 2000 if quick else 10000, reps, seconds
        ),
        "explain": lambda: explain_figures(model, sample, 100 if quick else 1000, reps),
        "analyzer": lambda: analyzer_ratio(sample[: 1000 if quick else 6000], reps),
        "default_pipeline": lambda: default_pipeline_ratio(model, sample, 1000, reps, seconds),
    }
    result: dict[str, Any] = {"other_cpu_s": {}}
    for name, measure in sections.items():
        with OtherLoad([]) as other:
            result[name] = measure()
        result["other_cpu_s"][name] = other.cpu_s
    return result
