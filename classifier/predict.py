"""Command line: label statements from JSON Lines or plain text lines.

    python -m classifier.predict [--model PATH] [--explain] [--input FILE] [--output FILE]

Each input line is either a JSON object with a ``text`` field (every other field,
``id`` included, is passed through unchanged) or a plain line of text. Each
output line is the input object (``{"text": ...}`` for plain lines) with a
``prediction`` object added.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from typing import IO, Any

from tqdm import tqdm

from classifier.artifact import ArtifactError
from classifier.model import StanceModel, load_model

BATCH = 512


def parse_line(line: str, number: int) -> dict[str, Any]:
    """One input line as a record with a non-empty ``text``; ValueError says what is wrong."""
    stripped = line.strip()
    if stripped.startswith("{"):
        try:
            record = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ValueError(f"line {number}: invalid JSON: {exc.msg}") from exc
        if not isinstance(record.get("text"), str) or not record["text"].strip():
            raise ValueError(f"line {number}: the object needs a non-empty string 'text'")
        return record
    return {"text": stripped}


def read_records(stream: IO[str]) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(stream, 1):
        if line.strip():
            yield parse_line(line, number)


def label_records(
    model: StanceModel, records: list[dict[str, Any]], explain: bool, top_k: int = 10
) -> list[dict[str, Any]]:
    """The records, each with a ``prediction`` added."""
    texts = [record["text"] for record in records]
    if explain:
        predictions = [model.explain(text, top_k) for text in texts]
    else:
        predictions = model.predict(texts)
    return [
        {**record, "prediction": prediction.to_dict()}
        for record, prediction in zip(records, predictions)
    ]


def _batches(records: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classifier.predict", description=__doc__)
    parser.add_argument("--model", help="model directory (default: models/current)")
    parser.add_argument("--explain", action="store_true", help="add the deciding terms")
    parser.add_argument("--top-k", type=int, default=10, help="terms per direction (10)")
    parser.add_argument("--input", help="JSON Lines or text file (default: stdin)")
    parser.add_argument("--output", help="JSON Lines file to write (default: stdout)")
    args = parser.parse_args(argv)
    try:
        model = load_model(args.model)
    except ArtifactError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    progress = tqdm(unit=" statements", disable=None, file=sys.stderr)
    with contextlib.ExitStack() as files:
        source = (
            files.enter_context(open(args.input, encoding="utf-8")) if args.input else sys.stdin
        )
        target = (
            files.enter_context(open(args.output, "w", encoding="utf-8"))
            if args.output
            else sys.stdout
        )
        try:
            for batch in _batches(read_records(source), BATCH):
                for record in label_records(model, batch, args.explain, args.top_k):
                    target.write(json.dumps(record, ensure_ascii=False) + "\n")
                progress.update(len(batch))
        except ValueError as exc:
            print(f"error: {args.input or '<stdin>'}: {exc}", file=sys.stderr)
            return 2
        finally:
            progress.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
