"""Input and output of ``python -m classifier.predict``.

Input is read as bytes and decoded line by line, so a line that is not UTF-8 is
named; its format (JSON Lines, plain text lines or CSV) is decided once for the
whole file. Output to a regular file is written beside it under a hidden name and
renamed over it only when everything succeeded.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

FORMATS = ("auto", "jsonl", "text", "csv")
FORMAT_NAMES = {"jsonl": "JSON Lines", "text": "plain text lines", "csv": "CSV"}

Numbered = Iterable[tuple[int, str]]


class InputError(ValueError):
    """Input that cannot be labelled; the message names the line when there is one."""


def numbered_lines(stream: IO[bytes]) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of a binary stream, decoded as UTF-8 (a BOM is dropped)."""
    for number, raw in enumerate(stream, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"line {number}: not UTF-8 text (byte {raw[exc.start]:#04x} at column "
                f"{exc.start + 1}); save the file as UTF-8"
            ) from None
        yield number, line.removeprefix("\ufeff") if number == 1 else line


def is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def read_records(
    stream: IO[bytes], fmt: str, chosen: Callable[[str, int], None] | None = None
) -> Iterator[dict[str, Any]]:
    """The records of ``stream`` in format ``fmt``, each with a non-empty ``text``.

    With ``auto``, the first non-empty line decides: a JSON object means JSON Lines,
    anything else plain text; ``chosen(format, line number)`` is told which.
    """
    lines: Iterator[tuple[int, str]] = numbered_lines(stream)
    if fmt == "auto":
        seen: list[tuple[int, str]] = []
        for number, line in lines:
            seen.append((number, line))
            if line.strip():
                fmt = "jsonl" if is_json_object(line) else "text"
                if chosen is not None:
                    chosen(fmt, number)
                break
        else:
            return  # nothing but blank lines
        lines = itertools.chain(seen, lines)
    yield from READERS[fmt](lines)


def _jsonl(lines: Numbered) -> Iterator[dict[str, Any]]:
    for number, line in lines:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {number}: invalid JSON: {exc.msg}") from None
        except ValueError as exc:  # an integer over Python's int-string limit
            raise InputError(f"line {number}: invalid JSON: {exc}") from None
        except RecursionError:
            raise InputError(f"line {number}: invalid JSON: nested too deeply") from None
        if not isinstance(record, dict):
            raise InputError(f"line {number}: not a JSON object; every line of JSON Lines "
                             "input is an object with a 'text'")  # fmt: skip
        if not isinstance(record.get("text"), str) or not record["text"].strip():
            raise InputError(f"line {number}: the object needs a non-empty string 'text'")
        yield record


def _text(lines: Numbered) -> Iterator[dict[str, Any]]:
    for _, line in lines:
        if line.strip():
            yield {"text": line.strip()}


def _csv(lines: Numbered) -> Iterator[dict[str, Any]]:
    # the lines keep their endings, so a quoted field may span several of them
    reader = csv.reader((line for _, line in lines), strict=True)
    header: list[str] | None = None
    try:
        for row in reader:
            if not row:
                continue
            if header is None:
                header = [name.strip() for name in row]
                _check_header(header, reader.line_num)
                continue
            if len(row) != len(header):
                raise InputError(f"line {reader.line_num}: {len(row)} fields, but the header "
                                 f"has {len(header)}")  # fmt: skip
            record = dict(zip(header, row))
            if not record["text"].strip():
                raise InputError(f"line {reader.line_num}: the 'text' field is empty")
            yield record
    except csv.Error as exc:
        raise InputError(f"line {reader.line_num}: invalid CSV: {exc}") from None


def _check_header(header: list[str], number: int) -> None:
    if "text" not in header:
        names = ", ".join(repr(name) for name in header)
        raise InputError(f"line {number}: the CSV header needs a 'text' column; it has {names}")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise InputError(f"line {number}: the CSV header names {repeated[0]!r} twice")


READERS: dict[str, Callable[[Numbered], Iterator[dict[str, Any]]]] = {
    "jsonl": _jsonl,
    "text": _text,
    "csv": _csv,
}


def write_reporting_errors(
    name: str, path: str | None, write: Callable[[IO[bytes]], None], progress: Any
) -> int:
    """Run ``write`` on the output (see :func:`output`) and return the exit status: 0, or
    2 after one ``error: ...`` line for a bad input line or an I/O error (the old output
    file is then left as it was). ``progress`` (a tqdm bar) is closed either way."""
    try:
        with output(path) as target:
            write(target)
    except InputError as exc:
        print(f"error: {name}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # reading failed midway, or the output cannot be written
        where = getattr(exc, "filename", None) or path or name
        print(f"error: {where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        progress.close()
    return 0


def encode_line(record: dict[str, Any]) -> bytes:
    """One JSON Lines line, UTF-8; a lone surrogate is written as its JSON escape."""
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")


@contextlib.contextmanager
def output(path: str | None) -> Iterator[IO[bytes]]:
    """Where to write: stdout, a device or pipe as it is, or a regular file that is
    replaced only if the block succeeds (see :func:`replace_on_success`)."""
    if path is None:
        try:
            yield sys.stdout.buffer
        finally:
            sys.stdout.buffer.flush()
        return
    try:
        kind = os.stat(path).st_mode
    except FileNotFoundError:
        kind = stat.S_IFREG
    if stat.S_ISDIR(kind):
        raise IsADirectoryError(21, "Is a directory", path)
    if not stat.S_ISREG(kind):  # /dev/stdout, a named pipe: nothing to replace
        with open(path, "wb") as stream:
            yield stream
        return
    with replace_on_success(Path(os.path.realpath(path))) as stream:
        yield stream


@contextlib.contextmanager
def replace_on_success(path: Path) -> Iterator[IO[bytes]]:
    """A file that becomes ``path`` only if the block succeeds: written in the same
    directory under a hidden name, flushed to disk, then renamed over ``path``. On any
    failure the temporary file is removed and an existing ``path`` is left untouched."""
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        exc.filename = str(path)  # not the temporary name nobody asked for
        raise
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _mode_for(path: Path) -> int:
    """The existing file's permissions, or those a new file would get (0666 less umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
