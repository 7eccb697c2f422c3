"""A tiny SMTP server for tests that send real mail over the loopback network.

It speaks just enough SMTP for Django's SMTP backend (EHLO/HELO, MAIL, RCPT, DATA, RSET,
NOOP, QUIT), keeps every message it accepted, and can be started on a port chosen
beforehand, so a test can point workers at a port where nothing listens yet ("the mail
server is down") and bring the server up later.
"""

from __future__ import annotations

import email
import socket
import socketserver
import threading
import time
from email.message import Message


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        sink: SmtpSink = self.server.sink  # type: ignore[attr-defined]
        self._reply("220 sink ESMTP")
        recipients: list[str] = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 sink")
            elif verb == "MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                data = bytearray()
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk in (b".\r\n", b".\n"):
                        break
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                time.sleep(sink.delay)
                sink.accept(recipients, bytes(data))
                self._reply("250 OK queued")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:  # RSET, NOOP and anything else
                self._reply("250 OK")

    def _reply(self, text: str) -> None:
        self.wfile.write(text.encode("ascii") + b"\r\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    """`with SmtpSink(port) as sink:` serves until the block ends; `sink.messages` holds
    (recipients, parsed message) pairs. `delay` seconds pass before each message is
    accepted, like a slow mail server."""

    def __init__(self, port: int | None = None, *, delay: float = 0) -> None:
        self.port = port or free_port()
        self.delay = delay
        self.messages: list[tuple[list[str], Message]] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None

    def accept(self, recipients: list[str], data: bytes) -> None:
        with self._lock:
            self.messages.append((recipients, email.message_from_bytes(data)))

    def start(self) -> SmtpSink:
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.sink = self  # type: ignore[attr-defined]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def count(self) -> int:
        with self._lock:
            return len(self.messages)

    def wait_for(self, n: int, timeout: float = 30) -> bool:
        """Wait until at least `n` messages arrived (False on timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count() >= n:
                return True
            time.sleep(0.05)
        return self.count() >= n

    def message_ids(self) -> list[str]:
        with self._lock:
            return [message["Message-ID"] for _, message in self.messages]
