"""gunicorn's sync worker, without waiting for the client to hang up after each answer.

gunicorn 27 ends every sync-worker connection with ``util.close_graceful`` (RFC 9112
section 9.6): it half-closes, then reads until the client closes its side (up to
2 s), so that unread request bytes in the kernel's buffer cannot turn the close into
a reset that destroys the answer before the client reads it. But that wait is a round
trip to the client for every request, and a sync worker does nothing else meanwhile:
side by side under ``wrk`` here (8 connections, 2 workers), the same service answered
519 and 912 single predictions/s with it against 918 and 1,337 without
(bench/README.md).

The reset can only happen when request bytes are left unread. So when the request's
body was read to its end and the kernel holds nothing more from the client, the
socket is closed at once (a FIN after the answer, as gunicorn did before 27); any
other case (a body refused unread, say a 413, a chunked body, bytes pending) keeps
gunicorn's graceful close. ``handle`` still calls ``close_graceful`` afterwards, which
returns at once on a closed socket.
"""

from __future__ import annotations

import socket

from gunicorn.http.body import LengthReader
from gunicorn.workers.sync import SyncWorker


def _read_to_the_end(req) -> bool:
    reader = getattr(getattr(req, "body", None), "reader", None)
    return isinstance(reader, LengthReader) and reader.length == 0


def _nothing_pending(client: socket.socket) -> bool:
    try:
        # non-blocking: with a timeout set, Python would first wait that long for data
        # (close_graceful sets its own timeout if it runs)
        client.setblocking(False)
        data = client.recv(1, socket.MSG_PEEK)
    except BlockingIOError:
        return True  # nothing in the buffer
    except OSError:
        return False
    return data == b""  # b"": the client already closed its side


class PromptCloseSyncWorker(SyncWorker):
    """``worker_class = "service.gunicorn_worker.PromptCloseSyncWorker"``."""

    def handle_request(self, listener, req, client, addr) -> None:
        super().handle_request(listener, req, client, addr)
        if _read_to_the_end(req) and _nothing_pending(client):
            client.close()
