"""Test helpers shared across apps: a real HTTP receiver (a partner's webhook: the outside world) and a
real Mosquitto broker."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

# the broker settings of scripts/services.sh: unlimited queues, so a persistent session keeps everything
MOSQUITTO_CONF = (
    "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
    "max_queued_messages 0\nmax_inflight_messages 0\n"
)


class Receiver:
    """A real HTTP server on loopback that records notifications (optionally failing the first N)."""

    def __init__(self, fail_first: int = 0, delay: float = 0.0) -> None:
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.fail_first = fail_first
        self.delay = delay
        self.fail_status = 503
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                time.sleep(receiver.delay)
                if receiver.fail_first > 0:
                    receiver.fail_first -= 1
                    self.send_response(receiver.fail_status)
                else:
                    receiver.received.append(body)
                    receiver.headers.append(dict(self.headers))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/notify"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def mosquitto() -> Iterator[str]:
    """The Mosquitto broker of scripts/test (KOTACERDAS_TEST_MQTT_URL), or one started here."""
    given = os.environ.get("KOTACERDAS_TEST_MQTT_URL")
    if given:
        yield given
        return
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not Path(binary).exists():
        pytest.fail("mosquitto is missing: scripts/test installs Debian's mosquitto package")
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        conf = Path(folder) / "mosquitto.conf"
        conf.write_text(MOSQUITTO_CONF.format(port=port))
        process = subprocess.Popen(
            [binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            for _ in range(50):
                with socket.socket() as client:
                    if client.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.1)
            yield f"mqtt://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=5)


PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PostgresServer:
    """A throwaway PostgreSQL 15 cluster of its own (as scripts/services.sh starts), which a test may stop
    and start again."""

    def __init__(self) -> None:
        if not (PG_BIN / "initdb").exists():
            pytest.fail("PostgreSQL 15 is missing: scripts/test installs Debian's postgresql-15 package")
        self.folder = Path(tempfile.mkdtemp(prefix="kotacerdas-pg-own-"))
        self.port = free_port()
        if os.getuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.folder / "data"), "-U", "kotacerdas", "-A", "trust", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "kotacerdas", "kotacerdas")
        self.url = f"postgresql://kotacerdas@127.0.0.1:{self.port}/kotacerdas"

    def _run(self, tool: str, *args: str) -> None:
        command = [str(PG_BIN / tool), *args]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.folder / "data"),
            "-l",
            str(self.folder / "log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
