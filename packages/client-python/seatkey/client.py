"""SeatkeyClient: what a shipped add-on or tool calls. Offline first: ``validate()`` trusts the
cached, signed token and asks the server only when a check is due; everything that talks to the
server or changes the cache runs one call at a time (it is safe to call from several threads).

Trust: the keys that verify tokens come only from the app (``public_keys``) or from the server
in this process, never from the cache file; the offline grace is measured from the token's
signed ``iat``, never from a time in the file; a token whose licence expiry (``lexp``) has
passed is refused offline.
"""
from __future__ import annotations

import random as _random
import socket
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Callable, Dict, Optional, Tuple, Union

from .errors import (
    BadResponseError,
    ClockRollbackError,
    FingerprintMismatchError,
    InvalidRequestError,
    InvalidTokenError,
    LicenseExpiredError,
    NetworkError,
    NotActivatedError,
    OfflineGraceExpiredError,
    SeatkeyError,
    StorageError,
    WrongProductError,
)
from .fingerprint import default_fingerprint
from .heartbeat import HeartbeatLoop, OnBeat, OnError, OnStopped, Wait
from .keys import KeySet, jwk_list, key_factory
from .results import (
    ActivationResult,
    DeactivationResult,
    HeartbeatResult,
    InvalidLicense,
    KeyStatus,
    LicenseInfo,
    LocalStatus,
    ValidationResult,
    ValidLicense,
    utc,
)
from .state import ClockMarks, State, StoredActivation, after_reply, lag, parse_state, rolled_back
from .storage import FileStorage, Storage, default_storage_path
from .token import TokenClaims, TokenRejected, decode_claims, fingerprint_claim, verify_token
from .transport import Transport, UrlOpen

MINUTE = 60.0
DAY = 86_400.0
#: The contract's default lease interval, until the server names one.
DEFAULT_HEARTBEAT_SECONDS = 300.0
#: lastSeenAt is saved at most this often: often enough to catch a clock turned back, without a
#: write per validate().
LAST_SEEN_SAVE_INTERVAL = MINUTE

Duration = Union[float, int, timedelta]
Fingerprint = Union[str, Callable[[], str], None]


def _seconds(value: Duration) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _str(v: Any) -> Optional[str]:
    return v if isinstance(v, str) else None


def _num(v: Any) -> Optional[float]:
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and abs(v) != float("inf") else None


def _interval(v: Any) -> Optional[float]:
    """A heartbeat interval: a zero or negative one would spin the loop."""
    n = _num(v)
    return n if n is not None and n > 0 else None


def _time(v: Any) -> Optional[float]:
    """Seconds since the epoch of an ISO 8601 time as the server writes it, else None."""
    if not isinstance(v, str):
        return None
    try:
        parsed = datetime.fromisoformat(v[:-1] + "+00:00" if v.endswith("Z") else v)
    except ValueError:
        return None
    return parsed.timestamp() if parsed.tzinfo else None


def _same_key(a: str, b: str) -> bool:
    """Licence keys compare without case, spaces or dashes, as the server normalises them."""
    def norm(k: str) -> str:
        return "".join(c for c in k.upper() if c.isalnum())

    return norm(a) == norm(b)


@dataclass(frozen=True)
class _Timeline:
    last_online_at: float
    next_online_check_at: float
    grace_ends_at: float


class SeatkeyClient:
    """A licensed app's client of one Seatkey product.

    ``public_keys``: the JWKS (or its list of keys) to bundle with the add-on, from
    ``python -m seatkey keys --base-url …``; then only these keys are trusted and none are
    fetched. Without it, keys are fetched from the server's ``publicKey`` endpoint by each
    process that needs them (never read back from the cache), so every new run needs the
    network once before it can validate offline.

    ``storage``: default, a 0600 JSON file in the user's config directory. ``fingerprint``: a
    string or a function returning one; default, the OS machine id hashed with the product id.
    Durations are seconds (or ``timedelta``).
    """

    def __init__(
        self,
        base_url: str,
        product_id: str,
        public_keys: Any = None,
        storage: Optional[Storage] = None,
        fingerprint: Fingerprint = None,
        *,
        issuer: Optional[str] = None,
        verifier: Optional[str] = None,
        online_interval: Duration = DAY,
        offline_grace: Duration = 7 * DAY,
        clock_tolerance: Duration = 5 * MINUTE,
        retry_interval: Duration = 5 * MINUTE,
        timeout: Duration = 15.0,
        urlopen: Optional[UrlOpen] = None,
        now: Optional[Callable[[], float]] = None,
        random: Optional[Callable[[], float]] = None,
        heartbeat_wait: Optional[Wait] = None,
    ) -> None:
        if not product_id or not isinstance(product_id, str):
            raise ValueError("SeatkeyClient needs a product_id")
        self.product_id = product_id
        self.issuer = issuer
        self._transport = Transport(base_url, _seconds(timeout), urlopen)
        self._storage: Storage = storage if storage is not None else FileStorage(default_storage_path(product_id))
        self._keys = KeySet(key_factory(verifier))
        self._keys_pinned = public_keys is not None
        if public_keys is not None:
            self._keys.add(jwk_list(public_keys))
            if not len(self._keys):
                raise ValueError("public_keys holds no Ed25519 key with a kid")
        self.online_interval = _seconds(online_interval)
        self.offline_grace = _seconds(offline_grace)
        self.clock_tolerance = _seconds(clock_tolerance)
        self.retry_interval = _seconds(retry_interval)
        self._now = now or time.time
        self._fingerprint_source = fingerprint
        self._fingerprint: Optional[Tuple[str, str]] = None
        self._lock = threading.RLock()
        self._state: Optional[State] = None
        #: This process's last successful online check (local time): for scheduling only.
        self._checked_at = float("-inf")
        self._backoff: Optional[Tuple[float, SeatkeyError]] = None
        self._saved_last_seen = 0.0
        #: In-flight validations by mode, with the thread running each, shared by concurrent callers.
        self._pending: Dict[Optional[bool], Tuple["Future[ValidationResult]", int]] = {}
        self._pending_lock = threading.Lock()
        self._heartbeats = HeartbeatLoop(self.heartbeat, self._heartbeat_interval, random or _random.random, heartbeat_wait)

    # ---- the app's calls ----

    def fingerprint(self) -> str:
        """This machine's fingerprint, as sent to the server."""
        return self._machine()[0]

    def activate(self, license_key: str, hostname: Optional[str] = None) -> ActivationResult:
        """Activates this machine with ``license_key`` and caches the verified token. Idempotent
        on the server: the same machine again takes no new seat. Raises a typed SeatkeyError
        (MachineLimitError, LicenseRevokedError, NetworkError, …); a failure leaves any existing
        activation as it was."""
        key = (license_key or "").strip()
        if not key:
            raise InvalidRequestError("invalid_request", "A licence key is required")
        with self._lock:
            activation, claims, reply = self._activate_online(key, hostname or socket.gethostname(), self._save)
            return ActivationResult(
                license=self._license_info(activation, claims),
                message=_str(reply.get("message")) or "Activated",
                warning=_str(reply.get("warning")),
                next_heartbeat_seconds=activation.nextHeartbeatSeconds,
            )

    def validate(self, online: Optional[bool] = None) -> ValidationResult:
        """Whether this machine is licensed. Never raises for a licensing reason: the answer is
        a ValidLicense (``source`` ``cached``, ``online`` or ``grace``) or an InvalidLicense with
        the ``error``; both are truthy exactly when valid.

        Offline first: the cached token is verified locally and the server is asked only when a
        check is due (daily by default, or sooner as the token or the grace nears its end), or
        the clock looks turned back. ``online=True`` asks the server now; ``online=False`` never
        uses the network (a due check then counts as failed). Concurrent calls share one check."""
        me = threading.get_ident()
        with self._pending_lock:
            shared = self._pending.get(online) or (self._pending.get(True) if online is None else None)
            if shared is not None and shared[1] == me:
                # Called again from inside this thread's own check (an on_stopped callback, say):
                # waiting for it would wait forever, so answer directly.
                shared = None
                mine = None
            elif shared is None:
                mine = (Future(), me)
                self._pending[online] = mine
        if shared is not None:
            return shared[0].result()
        if mine is None:
            with self._lock:
                return self._validate_now(online)
        try:
            with self._lock:
                result = self._validate_now(online)
            mine[0].set_result(result)
            return result
        except BaseException as e:
            mine[0].set_exception(e)
            raise
        finally:
            with self._pending_lock:
                del self._pending[online]

    def heartbeat(self) -> HeartbeatResult:
        """Renews this machine's floating seat (its lease). Raises a typed SeatkeyError."""
        with self._lock:
            state = self._load()
            a = state.activation
            if a is None:
                raise NotActivatedError("not_activated", "This machine is not activated")
            try:
                reply = self._transport.post("heartbeat", {"licenseKey": a.licenseKey, "machineFingerprint": self.fingerprint(), "token": a.token})
            except SeatkeyError as e:
                if e.definitive:
                    self._forget(e)
                raise
            activation = replace(a, leaseExpiresAt=_str(reply.get("leaseExpiresAt")), nextHeartbeatSeconds=_interval(reply.get("nextHeartbeatSeconds")) or a.nextHeartbeatSeconds)
            self._save_quietly(State(activation=activation, clock=self._marks_after(reply, state)))
            return HeartbeatResult(lease_expires_at=utc(_time(activation.leaseExpiresAt)), next_heartbeat_seconds=activation.nextHeartbeatSeconds)

    def start_heartbeats(self, on_beat: Optional[OnBeat] = None, on_error: Optional[OnError] = None, on_stopped: Optional[OnStopped] = None) -> None:
        """Sends heartbeats from a daemon thread until stop(): one now, then at the interval the
        server names, jittered; failures are retried with back-off (``on_error(error,
        retry_in_seconds)``), and a definitive refusal stops the loop (``on_stopped(error)``).
        The callbacks run on the heartbeat thread."""
        self._heartbeats.start(on_beat, on_error, on_stopped)

    def stop(self) -> None:
        """Stops the heartbeat thread (a beat in flight finishes, and nothing more is sent)."""
        self._heartbeats.stop()

    def deactivate(self, license_key: Optional[str] = None) -> DeactivationResult:
        """Frees this machine's seat and forgets the activation. ``license_key`` deactivates this
        machine for another key (support work when the cache is gone). Raises a typed
        SeatkeyError; a definitive refusal (not activated, revoked, …) still clears the cache."""
        with self._lock:
            state = self._load()
            key = (license_key or "").strip() or (state.activation.licenseKey if state.activation else "")
            if not key:
                raise NotActivatedError("not_activated", "This machine has no activation to deactivate")
            ours = state.activation is not None and _same_key(state.activation.licenseKey, key)
            try:
                reply = self._transport.post("deactivate", {"licenseKey": key, "machineFingerprint": self.fingerprint()})
            except SeatkeyError as e:
                if ours and e.definitive:
                    self._forget(e)
                raise
            if ours:
                self._heartbeats.stop()
                self._save(replace(state, activation=None))
            return DeactivationResult(machines_used=_int(reply.get("machinesUsed")), max_machines=_int(reply.get("maxMachines")))

    def verify(self, license_key: str) -> KeyStatus:
        """The server's view of ``license_key`` for this product, without touching this machine's
        activation."""
        r = self._transport.post("verify", {"licenseKey": (license_key or "").strip(), "productId": self.product_id})
        lt = _str(r.get("licenseType"))
        return KeyStatus(
            status=_str(r.get("status")) or "unknown",
            license_type=lt if lt in ("per-machine", "floating", "site") else None,
            product_id=_str(r.get("productId")),
            variant=_str(r.get("variant")),
            expires_at=utc(_time(r.get("expiresAt"))),
            machines_used=_int(r.get("machinesUsed")),
            max_machines=_int(r.get("maxMachines")),
        )

    def status(self) -> LocalStatus:
        """What this machine holds, from the cache alone: no network and no signature check (use
        validate() to decide whether the app is licensed)."""
        with self._lock:
            state = self._load()
            a = state.activation
            claims = decode_claims(a.token) if a else None
            if a is None or claims is None:
                return LocalStatus(activated=False)
            t = self._timeline(claims, state)
            return LocalStatus(True, self._license_info(a, claims), utc(t.last_online_at), utc(t.next_online_check_at), utc(t.grace_ends_at))

    # ---- validation ----

    def _validate_now(self, online: Optional[bool]) -> ValidationResult:
        state = self._load()
        a = state.activation
        if a is None:
            return InvalidLicense(NotActivatedError("not_activated", "This machine is not activated"))
        now = self._now()
        try:
            claims = self._verify(a.token, may_fetch=online is not False)
        except SeatkeyError as e:
            # No fingerprint, or the token's key could not be fetched: it can be judged neither way yet.
            return InvalidLicense(e)
        except TokenRejected as e:
            error = _token_error(e)
            self._forget(error)
            return InvalidLicense(error)
        server_now = now + lag(state.clock)
        token_expired = server_now >= claims.exp
        licence_expired = claims.lexp is not None and server_now >= claims.lexp
        turned_back = rolled_back(state.clock, now, claims.iat, self.clock_tolerance)
        timeline = self._timeline(claims, state)
        if online is not True and not (turned_back or token_expired or licence_expired) and now < timeline.next_online_check_at:
            self._saw_time(now)
            return self._valid("cached", a, claims, timeline)

        if online is False:
            failure: SeatkeyError = NetworkError("network", "validate(online=False) does not ask the server")
        elif online is not True and self._backoff and now < self._backoff[0]:
            failure = self._backoff[1]
        else:
            try:
                if token_expired:
                    # An expired token is renewed by activating again: no new seat.
                    activation, fresh, reply = self._activate_online(a.licenseKey, a.hostname, self._save_quietly)
                else:
                    activation, fresh, reply = self._validate_online(a)
                return self._valid("online", activation, fresh, self._timeline(fresh, self._state or state), warning=_str(reply.get("warning")))
            except SeatkeyError as e:
                if e.definitive:
                    self._forget(e)
                    return InvalidLicense(e)
                failure = e
                self._backoff = (now + (e.retry_after if e.retry_after is not None else self.retry_interval), e)
        if turned_back:
            return _invalid(ClockRollbackError("clock_rollback", "This machine's clock is behind the last time seen; Seatkey must be reached to validate"), failure)
        if licence_expired:
            return _invalid(LicenseExpiredError("expired", "The licence has expired; Seatkey could not be reached to confirm a renewal"), failure)
        if token_expired or now >= timeline.grace_ends_at:
            return _invalid(OfflineGraceExpiredError("offline_grace_expired", f"Seatkey could not be reached and the offline grace period is over ({failure.message})"), failure)
        self._saw_time(now)
        return self._valid("grace", a, claims, timeline, offline_error=failure)

    def _validate_online(self, a: StoredActivation) -> Tuple[StoredActivation, TokenClaims, Dict[str, Any]]:
        body = {"token": a.token, "machineFingerprint": self.fingerprint(), "licenseKey": a.licenseKey, "productId": self.product_id}
        reply = self._transport.post("validate", body)
        activation, claims = self._commit_reply(reply, a, self._save_quietly)
        return activation, claims, reply

    def _activate_online(self, license_key: str, hostname: str, save: Callable[[State], None]) -> Tuple[StoredActivation, TokenClaims, Dict[str, Any]]:
        body = {"licenseKey": license_key, "machineFingerprint": self.fingerprint(), "hostname": hostname, "productId": self.product_id}
        reply = self._transport.post("activate", body)
        base = StoredActivation(
            licenseKey=license_key,
            token="",
            activationId=_str(reply.get("activationId")) or "",
            status="active",
            variant=_str(reply.get("variant")),
            machinesUsed=None,
            maxMachines=None,
            hostname=hostname,
            leaseExpiresAt=_str(reply.get("leaseExpiresAt")),
            nextHeartbeatSeconds=_interval(reply.get("nextHeartbeatSeconds")),
        )
        activation, claims = self._commit_reply(reply, base, save)
        return activation, claims, reply

    def _commit_reply(self, reply: Dict[str, Any], base: StoredActivation, save: Callable[[State], None]) -> Tuple[StoredActivation, TokenClaims]:
        """Verifies the token of a successful activate/validate reply, then stores it with the
        reply's facts. A token that does not verify is the server's fault (or a forger's), never
        a reason to drop the cache: it is a BadResponseError."""
        state = self._load()
        now = self._now()
        clock = self._marks_after(reply, state)
        token = reply.get("token")
        if not isinstance(token, str):
            raise BadResponseError("bad_response", "The server sent no token")
        try:
            claims = self._verify(token, may_fetch=True)
        except TokenRejected as e:
            raise BadResponseError("bad_response", f"The server's token did not verify: {e}") from None
        activation = replace(
            base,
            licenseKey=claims.sub,
            token=token,
            status=_str(reply.get("status")) or base.status,
            machinesUsed=_num(reply.get("machinesUsed")) if _num(reply.get("machinesUsed")) is not None else base.machinesUsed,
            maxMachines=_num(reply.get("maxMachines")) if _num(reply.get("maxMachines")) is not None else base.maxMachines,
        )
        save(State(activation=activation, clock=clock))
        self._checked_at = now
        self._backoff = None
        return activation, claims

    def _verify(self, token: str, may_fetch: bool) -> TokenClaims:
        """Verifies ``token``; a ``kid`` we do not know sends us to ``publicKey`` once (unless the
        keys are bundled), and a failure to get there raises that network error."""
        fp = self._machine()[1]
        try:
            return verify_token(token, self._keys, self.product_id, fp, self.issuer)
        except TokenRejected as e:
            if e.problem != "unknown_key" or self._keys_pinned:
                raise
        if not may_fetch:
            raise NetworkError("network", "The token's signing key is not known to this process, and the server may not be asked for it")
        self._keys.add(jwk_list(self._transport.get("publicKey")))
        return verify_token(token, self._keys, self.product_id, fp, self.issuer)

    def _timeline(self, claims: TokenClaims, state: State) -> _Timeline:
        """On this machine's clock, corrected by its known lag: when the server last vouched for
        this machine (the token's signed ``iat``), the grace past it (never past the token's or
        the licence's own expiry), and when to ask the server next: the online interval after
        the last check (the signed one, or one this process made while a server handed back the
        token it was sent), or half of the token's remaining life if sooner, and never after the
        grace ends. A check by this process schedules the next one; it never extends the grace."""
        shift = lag(state.clock)
        signed_at = claims.iat - shift
        token_end = claims.exp - shift
        ends = [signed_at + self.offline_grace, token_end]
        if claims.lexp is not None:
            ends.append(claims.lexp - shift)
        grace_end = min(ends)
        checked = max(signed_at, self._checked_at)
        due = checked + min(self.online_interval, max(0.0, (token_end - checked) / 2))
        return _Timeline(signed_at, min(due, grace_end), grace_end)

    def _valid(self, source: str, a: StoredActivation, claims: TokenClaims, t: _Timeline, offline_error: Optional[SeatkeyError] = None, warning: Optional[str] = None) -> ValidLicense:
        return ValidLicense(
            source=source,
            license=self._license_info(a, claims),
            last_online_at=utc(t.last_online_at),  # type: ignore[arg-type]
            next_online_check_at=utc(t.next_online_check_at),  # type: ignore[arg-type]
            grace_ends_at=utc(t.grace_ends_at),  # type: ignore[arg-type]
            offline_error=offline_error,
            warning=warning,
        )

    @staticmethod
    def _license_info(a: StoredActivation, claims: TokenClaims) -> LicenseInfo:
        return LicenseInfo(
            license_key=claims.sub,
            product_id=claims.pid,
            license_type=claims.lt,
            status=a.status,
            variant=a.variant,
            activation_id=a.activationId,
            expires_at=utc(claims.lexp),
            token_expires_at=utc(claims.exp),  # type: ignore[arg-type]
            machines_used=_int(a.machinesUsed),
            max_machines=_int(a.maxMachines),
            lease_expires_at=utc(_time(a.leaseExpiresAt)),
        )

    # ---- state ----

    def _load(self) -> State:
        """The state, read from storage on first use. A damaged or unreadable record is discarded."""
        if self._state is not None:
            return self._state
        try:
            text = self._storage.read()
        except Exception:
            # Unreadable (permissions, a folder in the way): start empty; activate() reports the
            # storage error when it tries to write.
            text = None
        parsed = parse_state(text) if text is not None else None
        if text is not None and parsed is None:
            try:
                self._storage.clear()
            except Exception:
                pass
        self._adopt(parsed or State())
        return self._state  # type: ignore[return-value]

    def _save(self, state: State) -> None:
        """Writes the state, then adopts it: a failed write raises StorageError and changes nothing."""
        try:
            self._storage.write(state.dumps())
        except Exception as e:
            raise StorageError("storage", f"Could not save the activation: {e}") from e
        self._adopt(state)

    def _save_quietly(self, state: State) -> None:
        """Adopts the state, then tries to write it: for where a failed write must not fail the
        caller (validate(), heartbeats). The state stays right in memory for this run, and the
        next successful write catches the file up."""
        self._adopt(state)
        try:
            self._storage.write(state.dumps())
        except Exception:
            pass

    def _adopt(self, state: State) -> None:
        self._state = state
        self._saved_last_seen = state.clock.lastSeenAt if state.clock else 0.0

    def _forget(self, reason: SeatkeyError) -> None:
        """Drops the activation after a definitive refusal, then stops heartbeats with that reason
        (so an on_stopped callback already sees the activation gone)."""
        self._save_quietly(replace(self._load(), activation=None))
        self._heartbeats.halt(reason)

    def _marks_after(self, reply: Dict[str, Any], state: State) -> Optional[ClockMarks]:
        t = _time(reply.get("serverTime"))
        return state.clock if t is None else after_reply(t, self._now())

    def _saw_time(self, now: float) -> None:
        """Moves lastSeenAt forward, saving it now and then."""
        state = self._state
        clock = state.clock if state else None
        if state is None or clock is None or now <= clock.lastSeenAt:
            return
        clock.lastSeenAt = now
        if now - self._saved_last_seen >= LAST_SEEN_SAVE_INTERVAL:
            self._save_quietly(state)

    # ---- helpers ----

    def _machine(self) -> Tuple[str, str]:
        """(fingerprint, its token claim); a failure is not cached, so the next call tries again."""
        if self._fingerprint is None:
            source = self._fingerprint_source
            fp = source if isinstance(source, str) else source() if callable(source) else default_fingerprint(self.product_id)
            if not isinstance(fp, str) or not fp:
                raise ValueError("the fingerprint must be a non-empty string")
            self._fingerprint = (fp, fingerprint_claim(fp))
        return self._fingerprint

    def _heartbeat_interval(self) -> float:
        a = self._state.activation if self._state else None
        return (a.nextHeartbeatSeconds if a and a.nextHeartbeatSeconds else None) or DEFAULT_HEARTBEAT_SECONDS


def _int(v: Any) -> Optional[int]:
    n = _num(v)
    return int(n) if n is not None else None


def _invalid(error: SeatkeyError, cause: SeatkeyError) -> InvalidLicense:
    error.__cause__ = cause
    return InvalidLicense(error)


def _token_error(e: TokenRejected) -> SeatkeyError:
    message = f"The cached activation is not valid: {e}"
    if e.problem == "fingerprint_mismatch":
        return FingerprintMismatchError("fingerprint_mismatch", message)
    if e.problem == "wrong_product":
        return WrongProductError("wrong_product", message)
    return InvalidTokenError("invalid_token", message)
