"""Command line: label statements from JSON Lines, plain text lines or CSV.

    python -m classifier.predict [--model PATH] [--explain] [--top-k K] [--fields F,F...]
                                 [--format auto|jsonl|text|csv] [--input FILE] [--output FILE]

The format is decided once per input:

- ``jsonl``: every non-empty line is a JSON object with a non-empty string ``text``;
  every other field (``id`` included) is passed through unchanged.
- ``text``: every non-empty line is one statement (``{"text": ...}`` on output),
  whatever it starts with.
- ``csv``: a header row with a ``text`` column; the other columns are passed
  through as strings.
- ``auto`` (the default): the first non-empty line decides, JSON Lines if it is a
  JSON object, else plain text; the choice is printed on stderr.

Output is JSON Lines: each input record with a ``prediction`` object added (all its
fields, or those ``--fields`` names: ``--fields label,probabilities`` skips the
relevance model and, but for statements with a verb of asking, the actor ranker). Input
is read as UTF-8 (a BOM is allowed). With ``--output`` naming a file, the output is
written to a hidden file beside it and renamed over it only when every line was
labelled: on any error the old file is left as it was. Errors (a bad line, named
by its number; an input that cannot be read) are one ``error: ...`` line on stderr
and exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import IO, Any

from tqdm import tqdm

from classifier.artifact import ArtifactError
from classifier.cli_io import (
    FORMAT_NAMES,
    FORMATS,
    encode_line,
    read_records,
    write_reporting_errors,
)
from classifier.model import FIELDS, StanceModel, load_model, prediction_fields

BATCH = 512


def label_records(
    model: StanceModel,
    records: list[dict[str, Any]],
    explain: bool,
    top_k: int = 10,
    fields: frozenset[str] | None = None,
) -> list[dict[str, Any]]:
    """The records, each with a ``prediction`` added (only ``fields`` of it, if given)."""
    texts = [record["text"] for record in records]
    if explain:
        predictions = [model.explain(text, top_k) for text in texts]
    else:
        predictions = model.predict(texts, fields)
    return [
        {**record, "prediction": prediction.to_dict(fields)}
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


def _fields(value: str) -> frozenset[str]:
    try:
        return prediction_fields([name.strip() for name in value.split(",") if name.strip()])
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m classifier.predict", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("--model", help="model directory (default: models/current)")
    parser.add_argument("--explain", action="store_true", help="add the deciding terms")
    parser.add_argument("--top-k", type=int, default=10, help="terms per direction (10)")
    parser.add_argument(
        "--fields", type=_fields, default=None,
        help=f"comma-separated prediction fields to write (default: all of {','.join(FIELDS)})",
    )  # fmt: skip
    parser.add_argument(
        "--format", choices=FORMATS, default="auto",
        help="input format (default: auto, from the first non-empty line)",
    )  # fmt: skip
    parser.add_argument("--input", help="file to read (default: stdin)")
    parser.add_argument("--output", help="JSON Lines file to write (default: stdout)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    name = args.input or "<stdin>"
    with contextlib.ExitStack() as files:
        try:
            source = files.enter_context(open(args.input, "rb")) if args.input else sys.stdin.buffer
        except OSError as exc:
            print(f"error: cannot read {name}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        try:
            model = load_model(args.model)
        except ArtifactError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

        def chosen(fmt: str, line: int) -> None:
            why = "a JSON object" if fmt == "jsonl" else "not a JSON object"
            print(f"{name}: reading {FORMAT_NAMES[fmt]}: its first non-empty line (line "
                  f"{line}) is {why}; --format overrides", file=sys.stderr)  # fmt: skip

        progress = tqdm(unit=" statements", disable=None, file=sys.stderr)

        def write(target: IO[bytes]) -> None:
            for batch in _batches(read_records(source, args.format, chosen), BATCH):
                for record in label_records(model, batch, args.explain, args.top_k, args.fields):
                    target.write(encode_line(record))
                progress.update(len(batch))

        return write_reporting_errors(name, args.output, write, progress)


if __name__ == "__main__":
    sys.exit(main())
