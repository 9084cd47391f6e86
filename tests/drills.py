"""What the reliability drills need (tests/core/test_drills.py, `make drills`): a Redis the test
starts, stops, freezes and starts again on a port of its own; a broker address that accepts
connections and never answers (a hung Redis); pointing this process's Celery app at either; and
busy loops on every core."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], Any], *, timeout: float, what: str) -> Any:
    """Poll `condition()` until it is true and return what it returned; fail after `timeout`
    seconds saying `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class RedisServer:
    """A redis-server of the test's own, on a free port, keeping nothing on disk: stopping it loses
    its queue, as a crash or a flush would."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=30, what=f"redis-server on port {self.port}")

    def _answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None

    def freeze(self) -> None:
        """SIGSTOP: the port still accepts connections, and nothing answers (a hung Redis)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


@contextmanager
def silent_server() -> Iterator[str]:
    """A TCP server that accepts every connection and never says a word: a broker address for a
    Redis that hangs. Yields its redis:// URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()


@contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """This process's Celery app pointed at `url` (its connection pools dropped, so the next
    publish connects there)."""
    from config.celery import app as celery_app
    from core import reminders as core_reminders

    conf = celery_app.conf
    saved = (conf.broker_url, conf.broker_write_url, celery_app._pool, celery_app.amqp._producer_pool)
    conf.broker_url = conf.broker_write_url = url
    celery_app._pool = celery_app.amqp._producer_pool = None
    core_reminders._broker_paused_until = 0.0
    try:
        yield
    finally:
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()
        conf.broker_url, conf.broker_write_url, celery_app._pool, celery_app.amqp._producer_pool = saved
        core_reminders._broker_paused_until = 0.0


@contextmanager
def busy_cpu(processes: int | None = None) -> Iterator[None]:
    """A busy loop on every core (or `processes` of them) for as long as the block runs: the
    tests inside must not depend on the machine's speed."""
    count = processes or os.cpu_count() or 2
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait(timeout=10)
