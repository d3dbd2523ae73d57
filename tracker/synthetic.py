"""A synthetic dated archive whose tracker is known: planted levels per (actor,
recipient) that change in known months, so a test can check that the change points
found are exactly the planted ones.

Every sentence is team-written here (templates filled with an actor and a recipient,
and neutral filler sentences about schedules and weather); no published text. The
test must be about the tracker, not about model error, so :func:`verified_pools`
keeps only the sentences the given model labels as intended: the planted level with
confidence >= :data:`MIN_CONFIDENCE`, not flagged for review, relevant, and the
intended actor and recipient; fillers only when the model finds them irrelevant
(relevance < :data:`MAX_FILLER_RELEVANCE`); and "doubtful" sentences only when the
model does flag them for review (they must then be listed in the report and move
no timeline). A plan that the model cannot express raises :class:`GeneratorError`.

    python -m tracker.synthetic --out DIR [--scale N] [--seed S] [--model PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from classifier.model import StanceModel, load_model

MIN_CONFIDENCE = 0.9
MAX_FILLER_RELEVANCE = 0.2

TEMPLATES: dict[str, list[str]] = {
    "lethal": [
        "{actor} will send artillery shells and air-defence missiles to {recipient}.",
        "{actor} delivered tanks and ammunition to {recipient} this week.",
        "{actor} approved the transfer of fighter jets to {recipient}.",
        "{actor} will supply {recipient} with rocket launchers and shells.",
    ],
    "non_lethal": [
        "{actor} pledged humanitarian aid and generators to {recipient}.",
        "{actor} sent field hospitals and medical supplies to {recipient}.",
        "{actor} will give {recipient} ambulances, blankets and power generators.",
        "{actor} announced 200 million euros in humanitarian aid for {recipient}.",
    ],
    "diplomatic": [
        "{actor} voted for the United Nations resolution backing {recipient}.",
        "{actor} expressed its full political support for {recipient}.",
        "{actor} said it stands firmly with {recipient} and will back it at the United Nations.",
        "{actor} signed a joint declaration of support for {recipient}.",
    ],
    "neutral": [
        "{actor} said it will not send weapons to {recipient}.",
        "{actor} ruled out any military aid to {recipient}.",
        "{actor} said it has no plans to send aid to {recipient}.",
        "{actor} refused to send weapons to {recipient}.",
    ],
    "opposed": [
        "{actor} blocked the European Union aid package for {recipient}.",
        "{actor} vetoed the military aid package for {recipient}.",
        "{actor} blocked new funding for {recipient} at the summit.",
    ],
}
DOUBTFUL = [
    "{actor} condemned the attack and reaffirmed its support for {recipient}.",
    "{actor} is studying a request from {recipient} for more help.",
    "{actor} may consider further steps to assist {recipient}.",
    "{actor} discussed the situation in {recipient} with its allies.",
    "{actor} will review its support for {recipient} after the elections.",
    "{actor} hinted that help for {recipient} could come later this year.",
    "{actor} sent a delegation to {recipient} to assess its needs.",
]
FILLERS = [
    "The talks were held in a hotel near the airport.",
    "Rain fell across the region for most of the week.",
    "The minister arrived late after a delayed flight.",
    "Reporters waited outside the building for several hours.",
    "The meeting lasted about two hours.",
    "Local markets reopened on Tuesday morning.",
    "The conference will continue on Thursday.",
    "Traffic in the capital was heavy during the visit.",
    "Several journalists asked about the new budget.",
    "Prices of bread and fuel rose again last month.",
    "The delegation toured an old harbour and a museum.",
    "Schools in the city closed early because of the snow.",
    "The press conference started twenty minutes late.",
    "A new railway line to the coast opened in the spring.",
    "The football match was postponed until next week.",
    "Organisers said the festival drew record crowds.",
]
SOURCES = ["Northern Herald", "Daily Ledger", "Harbour Wire", "Evening Courier", "Valley Times"]
NAMES = {"DEU": "Germany", "POL": "Poland", "JPN": "Japan", "HUN": "Hungary", "FRA": "France",
         "GBR": "Britain", "UKR": "Ukraine", "MDA": "Moldova"}  # fmt: skip

Plan = dict[tuple[str, str], list[tuple[int, str]]]
"""(actor code, recipient code) -> [(first month index, label), ...], in month order."""

DEFAULT_PLAN: Plan = {
    ("DEU", "UKR"): [(0, "diplomatic"), (3, "non_lethal"), (7, "lethal")],
    ("POL", "UKR"): [(0, "lethal")],
    ("JPN", "UKR"): [(0, "neutral"), (5, "non_lethal")],
    ("HUN", "UKR"): [(0, "neutral"), (6, "opposed")],
    ("FRA", "MDA"): [(2, "diplomatic"), (8, "non_lethal")],
    ("GBR", "MDA"): [(0, "diplomatic")],
    ("GBR", "UKR"): [(0, "lethal"), (9, "neutral")],
}
BAD_LINES = [
    b'{"date": "2023-01-09", "source": "Daily Ledger", "title": "Empty", "text": "  "}\n',
    b'{"date": "2023-02-30", "source": "Daily Ledger", "text": "The talks were held."}\n',
    b'{"date": "2023-01-10", "source": "Daily Ledger", "text": "Caf\xe9 talks."}\n',
    b"this line is not JSON\n",
]
"""One of each reject: no text, a bad date, not UTF-8, not a JSON object."""


class GeneratorError(Exception):
    """The model does not label enough of the templates as the plan needs."""


@dataclass(frozen=True)
class Pools:
    planted: dict[tuple[str, str, str], list[str]]  # (actor, recipient, label) -> sentences
    doubtful: list[str]
    fillers: list[str]


def verified_pools(model: StanceModel, plan: Plan) -> Pools:
    """The sentences the model labels as intended (see the module's docstring)."""
    wanted = {(a, r, label) for (a, r), steps in plan.items() for _, label in steps}
    planted: dict[tuple[str, str, str], list[str]] = {}
    for actor, recipient, label in sorted(wanted):
        texts = [t.format(actor=NAMES[actor], recipient=NAMES[recipient]) for t in TEMPLATES[label]]
        planted[(actor, recipient, label)] = [
            text for text, p in zip(texts, model.predict(texts))
            if p.label == label and p.confidence >= MIN_CONFIDENCE and not p.review
            and (p.relevance is None or p.relevance >= 0.5)
            and p.actor is not None and p.actor.code == actor
            and p.recipient is not None and p.recipient.code == recipient
        ]  # fmt: skip
        if not planted[(actor, recipient, label)]:
            raise GeneratorError(f"the model labels no template {label} for {actor} -> {recipient}")
    doubtful_texts = [t.format(actor=NAMES[a], recipient=NAMES[r]) for t in DOUBTFUL
                      for a, r in sorted(plan)]  # fmt: skip
    doubtful = [t for t, p in zip(doubtful_texts, model.predict(doubtful_texts))
                if p.review and (p.relevance is None or p.relevance >= 0.5)]  # fmt: skip
    fillers = [t for t, p in zip(FILLERS, model.predict(FILLERS))
               if p.relevance is not None and p.relevance < MAX_FILLER_RELEVANCE]  # fmt: skip
    if len(fillers) < 4:
        raise GeneratorError(f"only {len(fillers)} filler sentences are irrelevant to the model")
    return Pools(planted, doubtful, fillers)


def month_name(start: str, index: int) -> str:
    year, month = map(int, start.split("-"))
    year, month = year + (month - 1 + index) // 12, (month - 1 + index) % 12 + 1
    return f"{year:04d}-{month:02d}"


def level_in(plan: Plan, pair: tuple[str, str], month: int) -> str | None:
    """The planted label of ``pair`` in month ``month`` (None before its first step)."""
    label = None
    for first, step_label in plan[pair]:
        if month >= first:
            label = step_label
    return label


def expected_change_points(plan: Plan, start: str, months: int) -> list[dict[str, Any]]:
    """The planted changes that fall within the archive's ``months``."""
    found = []
    for (actor, recipient), steps in sorted(plan.items()):
        for (_, before), (first, after) in pairwise(steps):
            if first >= months:
                continue
            found.append({"actor": actor, "recipient": recipient, "month": month_name(start, first),
                          "from_label": before, "to_label": after})  # fmt: skip
    return found


def generate(
    model: StanceModel,
    out: Path,
    plan: Plan = DEFAULT_PLAN,
    start: str = "2023-01",
    months: int = 12,
    scale: int = 1,
    seed: int = 0,
    parquet_months: int = 1,
    bad: bool = True,
) -> dict[str, Any]:
    """Write the archive into ``out`` (one JSON Lines file per month, the last
    ``parquet_months`` months as Parquet) and ``out/expected.json``; returns that."""
    pools = verified_pools(model, plan)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    total_articles = total_sentences = planted = doubtful = 0
    for index in range(months):
        month = month_name(start, index)
        active = [pair for pair in sorted(plan) if level_in(plan, pair, index)]
        articles = []
        for pair in active:
            for copy in range(scale):
                articles.append(_article(pools, plan, active, pair, index, month, copy, rng))
        total_articles += len(articles)
        total_sentences += sum(a.pop("_sentences") for a in articles)
        planted += sum(a.pop("_statements") for a in articles)
        doubtful += sum(a.pop("_doubtful") for a in articles)
        _write_month(out, month, articles, index >= months - parquet_months,
                     BAD_LINES if bad and index == 0 else [])  # fmt: skip
    expected = {"start": start, "months": months, "articles": total_articles,
                "sentences": total_sentences, "rejects": len(BAD_LINES) if bad else 0,
                "change_points": expected_change_points(plan, start, months),
                "planted_statements": planted, "doubtful_statements": doubtful}  # fmt: skip
    (out / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
    return expected


def _article(pools: Pools, plan: Plan, active: list, pair: tuple[str, str], index: int,
             month: str, copy: int, rng: random.Random) -> dict[str, Any]:  # fmt: skip
    """One article: a planted statement for ``pair``, maybe one for another active pair,
    maybe a doubtful one, and fillers around them."""
    pairs = [pair] + ([rng.choice(active)] if len(active) > 1 and rng.random() < 0.5 else [])
    body = [rng.choice(pools.planted[(a, r, level_in(plan, (a, r), index))]) for a, r in pairs]
    doubtful = 1 if pools.doubtful and rng.random() < 0.25 else 0
    body += [rng.choice(pools.doubtful) for _ in range(doubtful)]
    body += rng.sample(pools.fillers, k=min(len(pools.fillers), rng.randint(3, 7)))
    rng.shuffle(body)
    paragraphs = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
    day = rng.randint(1, 28)
    actor, recipient = pair
    return {"id": f"{month}-{actor}-{recipient}-{copy}", "date": f"{month}-{day:02d}",
            "source": rng.choice(SOURCES), "title": f"{NAMES[actor]} and {NAMES[recipient]}",
            "text": "\n\n".join(paragraphs), "_sentences": len(body),
            "_statements": len(pairs), "_doubtful": doubtful}  # fmt: skip


def _write_month(out: Path, month: str, articles: list[dict], parquet: bool,
                 bad_lines: list[bytes]) -> None:  # fmt: skip
    if parquet:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(articles), out / f"{month}.parquet",
                       row_group_size=max(1, len(articles) // 2 + 1))  # fmt: skip
        return
    lines = [json.dumps(a, ensure_ascii=False).encode() + b"\n" for a in articles]
    (out / f"{month}.jsonl").write_bytes(b"".join(lines[:1] + bad_lines + lines[1:]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tracker.synthetic",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--scale", type=int, default=1, help="articles per pair and month")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", help="model directory (default: models/current)")
    args = parser.parse_args(argv)
    try:
        expected = generate(load_model(args.model, lean=True), args.out, scale=args.scale,
                            seed=args.seed)  # fmt: skip
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.out}: {expected['articles']} articles, {expected['sentences']} sentences, "
          f"{len(expected['change_points'])} planted change points", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
