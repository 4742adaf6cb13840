"""The heartbeat thread for floating licences: a beat as soon as it starts, then one per
interval the server asks for (``nextHeartbeatSeconds``), a little early and jittered so a fleet
of machines started together does not beat in step; on a failure, retries backing off from a
few seconds up to the interval; on a definitive refusal, stops.
"""
from __future__ import annotations

import threading
from typing import Callable, Optional

from .errors import SeatkeyError
from .results import HeartbeatResult

#: Beats go between 80 % and 100 % of the interval: early enough for a lease exactly as long.
JITTER = 0.2
FIRST_RETRY = 5.0

OnBeat = Callable[[HeartbeatResult], None]
OnError = Callable[[SeatkeyError, float], None]
OnStopped = Callable[[SeatkeyError], None]
#: Waits ``seconds`` or until the event is set; True when it was set (the loop should stop).
Wait = Callable[[float, threading.Event], bool]


def _wait(seconds: float, stop: threading.Event) -> bool:
    return stop.wait(seconds)


class HeartbeatLoop:
    def __init__(self, beat: Callable[[], HeartbeatResult], interval: Callable[[], float], random: Callable[[], float], wait: Optional[Wait] = None) -> None:
        self._beat = beat
        self._interval = interval
        self._random = random
        self._wait = wait or _wait
        self._lock = threading.Lock()
        self._stop: Optional[threading.Event] = None
        self._thread: Optional[threading.Thread] = None
        self._handlers: tuple = (None, None, None)

    @property
    def active(self) -> bool:
        return self._stop is not None

    def start(self, on_beat: Optional[OnBeat], on_error: Optional[OnError], on_stopped: Optional[OnStopped]) -> None:
        """Starts the thread, or, if it runs, only swaps the handlers."""
        with self._lock:
            self._handlers = (on_beat, on_error, on_stopped)
            if self._stop is not None:
                return
            stop = self._stop = threading.Event()
            # A daemon: a host application (Blender, say) must be able to quit without stopping it.
            self._thread = threading.Thread(target=self._run, args=(stop,), name="seatkey-heartbeat", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        with self._lock:
            if self._stop is not None:
                self._stop.set()
                self._stop = None

    def halt(self, error: SeatkeyError) -> None:
        """Stops the loop because the licence was refused, and says so (once)."""
        with self._lock:
            running = self._stop is not None
            on_stopped = self._handlers[2]
        if not running:
            return
        self.stop()
        if on_stopped:
            on_stopped(error)

    def _run(self, stop: threading.Event) -> None:
        delay = 0.0
        failures = 0
        while not self._wait(delay, stop):
            try:
                result = self._beat()
            except SeatkeyError as error:
                if stop.is_set():
                    return
                if error.definitive:
                    return self.halt(error)
                failures += 1
                backoff = min(self._interval(), FIRST_RETRY * 2 ** (failures - 1)) * (0.5 + self._random() / 2)
                delay = max(backoff, error.retry_after or 0.0)
                if self._handlers[1]:
                    self._handlers[1](error, delay)
                continue
            if stop.is_set():
                return
            failures = 0
            delay = self._interval() * (1 - JITTER * self._random())
            if self._handlers[0]:
                self._handlers[0](result)
