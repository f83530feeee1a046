"""Running real `ridni` processes on loopback ports, for end-to-end and browser tests."""

from __future__ import annotations

import os
import selectors
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.helpers import TEST_KEYS

READY = "Ridni is running at"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ridni(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the `ridni` command as a user would, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "ridni", *args],
        env={**os.environ, "RIDNI_KEYS": TEST_KEYS.to_json(), **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class Server:
    url: str
    output: list[str] = field(default_factory=list)


@contextmanager
def running(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> Iterator[Server]:
    """Start `ridni ARGS` and wait until it says it is serving; stop it afterwards."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ridni", *args],
        env={**os.environ, "COLUMNS": "200", "RIDNI_KEYS": TEST_KEYS.to_json(), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert process.stdout is not None
    output: list[str] = []
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    url = None
    pending = b""
    try:
        while url is None:
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError("ridni did not start:\n" + "".join(output))
            if not selector.select(timeout=0.5):
                continue
            # Raw reads, split here: a buffered readline() would keep the lines after the first
            # of a chunk where select() cannot see them, and wait for output that never comes.
            pending += os.read(process.stdout.fileno(), 65536)
            *lines, pending = pending.split(b"\n")
            for raw in lines:
                line = raw.decode("utf-8", errors="replace") + "\n"
                output.append(line)
                if url is None and READY in line:
                    url = line.split(READY, 1)[1].split()[0].rstrip("/")
        yield Server(url=url, output=output)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        selector.close()
        process.stdout.close()
