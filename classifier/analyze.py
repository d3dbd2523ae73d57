"""Command line: read whole articles, write their stance sentences or their summaries.

    python -m classifier.analyze [--model PATH] [--summary] [--input PATH] [--output FILE]

The input is a ``.txt`` file (one article), a folder of them (read in name order;
``file`` names each), or JSON Lines with a ``text`` per line (every other field,
``id`` or ``date`` say, is passed through); stdin is read as JSON Lines. Output is
JSON Lines: by default one line per sentence (the article's fields, then
``sentence``: index, offsets, text, relevance, relevant, and ``prediction`` for the
relevant ones); with ``--summary`` one line per article with its ``summary`` (who
supports whom, the highest level, the sentences). An output file is replaced only
when every article was read (as ``classifier.predict`` does); a bad article (no
text, not UTF-8) is one ``error: ...`` line naming it, and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

from classifier.articles import analyze_article
from classifier.artifact import ArtifactError
from classifier.cli_io import InputError, encode_line, write_reporting_errors
from classifier.model import load_model


def read_articles(path: str | None) -> Iterator[dict[str, Any]]:
    """Articles as records with a ``text``: from a .txt file, a folder of them, JSON Lines."""
    if path is not None and Path(path).is_dir():
        files = sorted(p for p in Path(path).iterdir() if p.suffix == ".txt" and p.is_file())
        if not files:
            raise InputError(f"{path}: no .txt files in this folder")
        for file in files:
            yield {"file": file.name, "text": _read_text(file)}
        return
    if path is not None and Path(path).suffix == ".txt":
        yield {"file": Path(path).name, "text": _read_text(Path(path))}
        return
    stream = open(path, "rb") if path else sys.stdin.buffer  # noqa: SIM115
    try:
        for number, raw in enumerate(stream, 1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise InputError(f"line {number}: not UTF-8") from None
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                raise InputError(f"line {number}: not a JSON object") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise InputError(f"line {number}: expected an object with a string 'text'")
            if not record["text"].strip():
                raise InputError(f"line {number}: 'text' is empty")
            yield record
    finally:
        if path:
            stream.close()


def _read_text(file: Path) -> str:
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{file}: not UTF-8") from None
    if not text.strip():
        raise InputError(f"{file}: empty")
    return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m classifier.analyze",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--model", help="model directory (default: models/current)")
    parser.add_argument("--summary", action="store_true", help="one line per article")
    parser.add_argument("--input", help=".txt file, folder of .txt files, or JSON Lines")
    parser.add_argument("--output", help="JSON Lines file (default: stdout)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    name = args.input or "<stdin>"
    try:
        model = load_model(args.model, lean=True)
    except ArtifactError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    progress = tqdm(unit=" articles", disable=None, file=sys.stderr)

    def write(target: IO[bytes]) -> None:
        for record in read_articles(args.input):
            fields = {k: v for k, v in record.items() if k != "text"}
            article = analyze_article(model, record["text"]).to_dict()
            if args.summary:
                target.write(encode_line({**fields, "summary": article["summary"]}))
            else:
                for sentence in article["sentences"]:
                    target.write(encode_line({**fields, "sentence": sentence}))
            progress.update(1)

    return write_reporting_errors(name, args.output, write, progress)


if __name__ == "__main__":
    sys.exit(main())
