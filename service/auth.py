"""Bearer tokens: the admin token (STANCEMETER_ADMIN_TOKEN), the analysts' tokens
(STANCEMETER_ANNOTATOR_TOKENS) and the metrics token (STANCEMETER_METRICS_TOKEN), always
compared in constant time."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from pathlib import Path

from flask import request

from service.errors import APIError

NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True)
class Caller:
    """Who sent a request: an analyst (``name``) or the admin."""

    name: str
    admin: bool = False


def parse_annotator_tokens(value: str | None) -> dict[str, str]:
    """``{token: name}`` from ``name:token,name:token`` or ``@file`` (one ``name:token``
    a line, ``#`` comments). A malformed entry, a short token or one used twice raises
    ValueError naming the entry's position (never the token)."""
    if not value:
        return {}
    if value.startswith("@"):
        try:
            entries = Path(value[1:]).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ValueError(
                f"STANCEMETER_ANNOTATOR_TOKENS: cannot read {value[1:]}: {exc.strerror}"
            ) from None
    else:
        entries = value.split(",")
    tokens: dict[str, str] = {}
    for number, entry in enumerate(entries, 1):
        entry = entry.split("#", 1)[0].strip() if value.startswith("@") else entry.strip()
        if not entry:
            continue
        name, _, token = entry.partition(":")
        where = f"STANCEMETER_ANNOTATOR_TOKENS entry {number}"
        if not NAME.match(name.strip()) or len(token.strip()) < 8:
            raise ValueError(
                f"{where}: expected name:token, a name of [A-Za-z0-9._-] and a "
                "token of at least 8 characters"
            )
        if token.strip() in tokens:
            raise ValueError(f"{where}: this token is given to another annotator too")
        tokens[token.strip()] = name.strip()
    return tokens


def bearer_token() -> str | None:
    """The request's ``Authorization: Bearer`` credentials, if any."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode())


def identify(tokens: dict[str, str], admin_token: str | None, admin: bool = True) -> Caller:
    """The caller of this request, or a 401. Every annotator token is compared (in
    constant time each), so the time taken does not tell which one came close."""
    given = bearer_token()
    caller = None
    if given is not None:
        for token, name in tokens.items():
            if _same(given, token) and caller is None:
                caller = Caller(name)
        if admin and admin_token and _same(given, admin_token):
            caller = caller or Caller("admin", admin=True)
    if caller is None:
        who = "an annotator token" + (" or the admin token" if admin and admin_token else "")
        configured = "" if tokens else " (none is configured: set STANCEMETER_ANNOTATOR_TOKENS)"
        raise APIError(
            401, "unauthorized", f"send 'Authorization: Bearer <token>' with {who}{configured}"
        )
    return caller


def bearer_matches(header: str, token: str) -> bool:
    """Whether an ``Authorization`` header carries ``Bearer <token>`` (constant time)."""
    scheme, _, credentials = header.partition(" ")
    return scheme.lower() == "bearer" and _same(credentials.strip(), token)
