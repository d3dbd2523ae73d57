"""The sync worker closes a connection once its answer is sent, instead of waiting
for the client to hang up, unless request bytes were left unread."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time

import pytest

from service.process import Server

pytestmark = pytest.mark.slow


@pytest.fixture()
def one_worker(models, tmp_path):
    log = tmp_path / "gunicorn.log"
    server = Server(workers=1, log_path=log, STANCEMETER_MODELS_DIR=str(models),
                    STANCEMETER_MAX_BODY_BYTES="2000")  # fmt: skip
    with server:
        yield server


def request(body: bytes) -> bytes:
    return (b"POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)  # fmt: skip


def read_answer(client: socket.socket) -> bytes:
    """Everything the server sends until it closes its side."""
    chunks = []
    while chunk := client.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_the_worker_is_free_while_the_client_keeps_its_side_open(one_worker):
    lingering = socket.create_connection(("127.0.0.1", one_worker.port))
    lingering.sendall(request(b'{"text": "Oslo sent tents to Gaza."}'))
    first = read_answer(lingering)  # the server's FIN came; this client does not close
    assert first.startswith(b"HTTP/1.1 200")
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", one_worker.port)) as other:
        other.sendall(request(b'{"text": "Japan will not send weapons."}'))
        second = read_answer(other)
    took = time.monotonic() - started
    lingering.close()
    assert second.startswith(b"HTTP/1.1 200")
    # gunicorn's graceful close would hold the only worker until the first client hung up
    # (2 s at most); closed at once, the second request is answered in milliseconds
    assert took < 1.5, took


def test_a_body_refused_unread_still_gets_its_whole_answer(one_worker):
    body = json.dumps({"text": "word " * 200_000}).encode()  # 1 MB against a 2,000-byte limit
    with socket.create_connection(("127.0.0.1", one_worker.port)) as client:
        sender = threading.Thread(target=lambda: _send_quietly(client, request(body)))
        sender.start()
        answer = read_answer(client)
        sender.join(10)
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert json.loads(payload)["error"]["code"] == "payload_too_large"


def _send_quietly(client: socket.socket, data: bytes) -> None:
    with contextlib.suppress(OSError):  # the server may close before reading it all: the point
        client.sendall(data)
