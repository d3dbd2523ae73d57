"""Strict JSON parsing of request bodies: every problem a clear :class:`BodyError`.

``json.loads`` alone accepts duplicate keys silently (the last one wins) and raises
a bare ValueError deep inside the decoder for an integer of more digits than
Python converts (``sys.get_int_max_str_digits()``, 4300 by default). Here both are
marked while parsing (a too-long integer only on a second parse, after the first
failed, so ordinary bodies pay for the duplicate check alone) and then located, so
the error names the field.
"""

from __future__ import annotations

import json
import sys
from typing import Any


class BodyError(ValueError):
    """A body that is not acceptable JSON; ``field`` is where, when known."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


class _HugeInt:
    """Stands in for an integer too long to convert."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


class _Duplicated(dict):
    """An object in which ``key`` appeared more than once."""

    key: str


def _parse_int(text: str) -> int | _HugeInt:
    try:
        return int(text)
    except ValueError:  # over the int-string conversion limit
        return _HugeInt(len(text.lstrip("-")))


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            marked = _Duplicated(result)
            marked.key = key
            return marked
        seen.add(key)
    return result  # pragma: no cover - a shorter dict means a repeated key


def _path(parts: list[str | int]) -> str:
    return ".".join(str(part) for part in parts) or "body"


def _first_problem(data: Any) -> BodyError | None:
    """The first marked value in document order, as an error naming its path."""
    stack: list[tuple[Any, list[str | int]]] = [(data, [])]
    while stack:
        value, parts = stack.pop()
        if isinstance(value, _HugeInt):
            what = f"'{_path(parts)}'" if parts else "the body"
            return BodyError(
                f"{what} is an integer of {value.digits} digits; this server reads "
                f"integers of at most {sys.get_int_max_str_digits()} digits",
                _path(parts),
            )
        if isinstance(value, _Duplicated):
            where = _path([*parts, value.key])
            return BodyError(f"duplicate key '{value.key}' in the JSON object", where)
        if isinstance(value, dict):
            stack.extend((v, [*parts, k]) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((v, [*parts, i]) for i, v in reversed(list(enumerate(value))))
    return None


def load_body(raw: bytes | str) -> Any:
    """The parsed body; :class:`BodyError` for anything that is not clean JSON."""
    marked: list[bool] = []

    def parse_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        value = _object(pairs)
        if isinstance(value, _Duplicated):
            marked.append(True)
        return value

    def parse_int(text: str) -> int | _HugeInt:
        value = _parse_int(text)
        if isinstance(value, _HugeInt):
            marked.append(True)
        return value

    try:
        try:
            data = json.loads(raw, object_pairs_hook=parse_object)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise
        except ValueError:  # an integer too long: parse again, marking it (a rare, slow path)
            marked.clear()
            data = json.loads(raw, parse_int=parse_int, object_pairs_hook=parse_object)
    except UnicodeDecodeError:
        raise BodyError("the body is not UTF-8 encoded") from None
    except json.JSONDecodeError as exc:
        raise BodyError(
            f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise BodyError("JSON is nested too deeply") from None
    if marked:
        problem = _first_problem(data)
        if problem is not None:
            raise problem
    return data
