"""Heartbeats for floating licences, with the heartbeat thread's waits released by hand so each
delay can be read: the server's interval with jitter, back-off on failures, a stop on a
definitive refusal (the Node SDK's heartbeat.test.ts, case for case)."""
from __future__ import annotations

import queue
import threading
import time

import pytest

from seatkey import LicenseRevokedError, NetworkError, NotActivatedError, RateLimitedError

TIMEOUT = 10  # a broken loop fails the test instead of hanging the run


class ManualWaits:
    """Stands in for the thread's waits: records each one's delay and holds it until fire()."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.pending = None  # the delay of the wait in progress
        self.entered = 0
        self._go = False

    def __call__(self, delay: float, stop: threading.Event) -> bool:
        with self._cond:
            self.pending = delay
            self.entered += 1
            self._cond.notify_all()
            while not self._go and not stop.is_set():
                self._cond.wait(0.005)
            fired, self._go, self.pending = self._go, False, None
            return not fired

    def delay(self) -> float:
        """The delay of the wait the loop is in (waiting for it to get there)."""
        deadline = time.monotonic() + TIMEOUT
        with self._cond:
            while self.pending is None:
                assert time.monotonic() < deadline, "the loop never waited"
                self._cond.wait(0.01)
            return self.pending

    def fire(self) -> None:
        self.delay()
        with self._cond:
            self._go = True
            self._cond.notify_all()


class Recorder:
    def __init__(self) -> None:
        self.events: "queue.Queue[tuple]" = queue.Queue()

    def on_beat(self, result):
        self.events.put(("beat", result))

    def on_error(self, error, retry_in):
        self.events.put(("error", error, retry_in))

    def on_stopped(self, error):
        self.events.put(("stopped", error))

    def next(self):
        return self.events.get(timeout=TIMEOUT)

    @property
    def handlers(self):
        return {"on_beat": self.on_beat, "on_error": self.on_error, "on_stopped": self.on_stopped}


@pytest.fixture
def floating(fakes, activated):
    def build(random: float = 0.5):
        waits = ManualWaits()
        fake = fakes()
        fake.heartbeat_seconds = 100
        f = activated(fake=fake, license={"license_type": "floating"}, client={"heartbeat_wait": waits, "random": lambda: random})
        f.waits = waits
        return f

    return build


@pytest.fixture
def beating(floating):
    started = []

    def build(random: float = 0.5):
        f = floating(random)
        f.events = Recorder()
        f.client.start_heartbeats(**f.events.handlers)
        started.append(f.client)
        return f

    yield build
    for client in started:
        client.stop()


def loop_ended(client) -> bool:
    """Waits for the client's heartbeat thread to end; whether it did."""
    thread = client._heartbeats._thread
    thread.join(TIMEOUT)
    return not thread.is_alive()


class TestHeartbeatCall:
    def test_renews_the_lease_and_returns_the_servers_interval(self, floating):
        f = floating()
        r = f.client.heartbeat()
        assert r.next_heartbeat_seconds == 100
        assert r.lease_expires_at.timestamp() > f.clock.t
        assert sorted(f.fake.last_body["heartbeat"]) == ["licenseKey", "machineFingerprint", "token"]
        assert f.fake.last_body["heartbeat"]["licenseKey"] == f.license.key
        assert f.stored()["leaseExpiresAt"].startswith(r.lease_expires_at.strftime("%Y-%m-%dT%H:%M:%S"))

    def test_not_activated_when_nothing_is_cached(self, make):
        f = make()
        with pytest.raises(NotActivatedError):
            f.client.heartbeat()
        assert f.fake.calls == {}

    def test_clears_the_cache_on_a_definitive_refusal(self, floating):
        f = floating()
        f.license.status = "revoked"
        with pytest.raises(LicenseRevokedError):
            f.client.heartbeat()
        assert f.stored() is None


class TestHeartbeatThread:
    def test_beats_at_once_then_at_the_servers_interval_jittered_early(self, beating):
        f = beating(0.5)
        assert f.waits.delay() == 0, "the first beat goes at once"
        f.waits.fire()
        assert f.events.next()[0] == "beat"
        assert f.waits.delay() == pytest.approx(100 * 0.9), "between 80 % and 100 % of the interval"
        f.fake.heartbeat_seconds = 40
        f.waits.fire()
        assert f.events.next()[0] == "beat"
        assert f.waits.delay() == pytest.approx(40 * 0.9), "follows a new interval"
        assert f.fake.calls["heartbeat"] == 2

    @pytest.mark.parametrize("random,expected", [(0.0, 100), (0.999999, 80)])
    def test_keeps_every_delay_within_80_to_100_percent_of_the_interval(self, beating, random, expected):
        f = beating(random)
        f.waits.fire()
        f.events.next()
        assert f.waits.delay() == pytest.approx(expected, abs=0.01)

    def test_backs_off_on_failures_doubling_up_to_the_interval_then_resumes(self, beating):
        f = beating(0.999999)
        f.fake.offline = True
        delays = []
        for _ in range(7):
            f.waits.fire()
            kind, error, retry_in = f.events.next()
            assert kind == "error" and isinstance(error, NetworkError)
            assert retry_in == f.waits.delay()
            delays.append(round(retry_in))
        # 5 s, 10 s, 20 s, … (times a jitter factor near 1 here), capped at the interval.
        assert delays == [5, 10, 20, 40, 80, 100, 100]
        f.fake.offline = False
        f.waits.fire()
        assert f.events.next()[0] == "beat"
        f.waits.fire()
        assert f.events.next()[0] == "beat", "back to normal"

    def test_waits_at_least_as_long_as_the_servers_retry_after(self, beating):
        f = beating()
        f.fake.fail("heartbeat", 429, "rate_limited", retry_after=90)
        f.waits.fire()
        kind, error, _ = f.events.next()
        assert kind == "error" and isinstance(error, RateLimitedError)
        assert f.waits.delay() == 90

    def test_stops_on_a_definitive_refusal_says_why_once_and_clears_the_cache(self, beating):
        f = beating()
        f.waits.fire()
        assert f.events.next()[0] == "beat"
        f.license.status = "revoked"
        f.waits.fire()
        kind, error = f.events.next()
        assert kind == "stopped" and isinstance(error, LicenseRevokedError)
        assert loop_ended(f.client) and f.waits.entered == 2, "nothing more is scheduled"
        assert f.events.events.empty(), "said once"
        assert f.stored() is None

    def test_stops_when_validate_learns_the_licence_was_revoked(self, beating):
        f = beating()
        f.license.status = "revoked"
        r = f.client.validate(online=True)
        assert not r.valid and isinstance(r.error, LicenseRevokedError)
        kind, error = f.events.next()
        assert kind == "stopped" and error is r.error
        assert loop_ended(f.client), "the waiting loop was released and ended"

    def test_stop_cancels_the_pending_beat_and_a_beat_in_flight_schedules_nothing(self, beating):
        f = beating()
        f.waits.delay()
        f.client.stop()
        assert loop_ended(f.client) and "heartbeat" not in f.fake.calls

        f.fake.delay = 0.2
        f.client.start_heartbeats(**f.events.handlers)
        f.waits.fire()
        time.sleep(0.05)  # the beat is in flight
        f.client.stop()
        f.client.validate()  # queued behind the beat in flight, so it is done
        assert f.fake.calls["heartbeat"] == 1, "the beat in flight finished"
        assert loop_ended(f.client) and f.waits.entered == 2, "and scheduled nothing"
        assert f.events.events.empty()

    def test_starting_twice_runs_one_loop(self, floating):
        f = floating()
        f.client.start_heartbeats()
        f.client.start_heartbeats()
        f.waits.delay()
        thread = f.client._heartbeats._thread
        f.client.stop()
        assert loop_ended(f.client) and f.waits.entered == 1, "one loop, one wait"
        assert f.client._heartbeats._thread is thread


def test_validate_from_an_on_stopped_callback_answers_instead_of_waiting_on_itself(floating):
    f = floating()
    answers = []
    f.client.start_heartbeats(on_stopped=lambda error: answers.append(f.client.validate()))
    f.waits.delay()
    f.license.status = "revoked"
    r = f.client.validate(online=True)  # forgets the activation, stops the loop: on_stopped runs here
    assert not r.valid and isinstance(r.error, LicenseRevokedError)
    assert len(answers) == 1 and not answers[0].valid and isinstance(answers[0].error, NotActivatedError)
    assert loop_ended(f.client)
