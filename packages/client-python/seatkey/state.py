"""What the client keeps between runs, the strict reading of it back, and the clock marks that
catch a clock turned back.

The file is the user's to edit, so nothing in it can make a licence valid: public keys are
never stored (they come from the app or from the server in this process), and every time that
decides validity offline is a signed claim of the token (``iat``, ``exp``, ``lexp``). A file that
is not exactly this shape (truncated, edited, from another version) is discarded, never
trusted and never a crash.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Dict, Optional

VERSION = 1


@dataclass
class StoredActivation:
    """This machine's activation, as the server last confirmed it. What the token says
    (licence type, expiry) is read from the token, where it is signed."""

    licenseKey: str
    token: str
    activationId: str
    status: str
    """The licence's status at the last check ("active", "degraded", …)."""
    variant: Optional[str]
    machinesUsed: Optional[float]
    maxMachines: Optional[float]
    hostname: str
    """Sent on activation, and again when an expired token is renewed."""
    leaseExpiresAt: Optional[str]
    """Floating licences: when the seat's lease runs out (ISO 8601)."""
    nextHeartbeatSeconds: Optional[float]


@dataclass
class ClockMarks:
    """The server's time at its last reply and this machine's time when it came (seconds), and
    the latest this machine's clock has been seen at since."""

    serverTime: float
    localAtServerTime: float
    lastSeenAt: float


@dataclass
class State:
    activation: Optional[StoredActivation] = None
    clock: Optional[ClockMarks] = None
    v: int = field(default=VERSION)

    def dumps(self) -> str:
        return json.dumps({"v": self.v, "activation": asdict(self.activation) if self.activation else None, "clock": asdict(self.clock) if self.clock else None})


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


_OPTIONAL = {"variant", "machinesUsed", "maxMachines", "leaseExpiresAt", "nextHeartbeatSeconds"}
_NUMBERS = {"machinesUsed", "maxMachines", "nextHeartbeatSeconds"}


def _activation(v: Any) -> Optional[StoredActivation]:
    if not isinstance(v, dict):
        return None
    for f in fields(StoredActivation):
        value = v.get(f.name)
        if value is None and f.name in _OPTIONAL:
            continue
        if not (_is_num(value) if f.name in _NUMBERS else _is_str(value)):
            return None
    return StoredActivation(**{f.name: v.get(f.name) for f in fields(StoredActivation)})


def _clock(v: Any) -> Optional[ClockMarks]:
    if not isinstance(v, dict) or not all(_is_num(v.get(f.name)) for f in fields(ClockMarks)):
        return None
    return ClockMarks(**{f.name: float(v[f.name]) for f in fields(ClockMarks)})


def parse_state(text: str) -> Optional[State]:
    """The state in ``text``, or None when it is not a state this version wrote."""
    try:
        v = json.loads(text)
    except ValueError:
        return None
    if not isinstance(v, dict) or v.get("v") != VERSION:
        return None
    activation = _activation(v.get("activation")) if v.get("activation") is not None else None
    clock = _clock(v.get("clock")) if v.get("clock") is not None else None
    if (v.get("activation") is not None and activation is None) or (v.get("clock") is not None and clock is None):
        return None
    return State(activation=activation, clock=clock)


def after_reply(server_time: float, now: float) -> ClockMarks:
    """Marks after a reply from the server stamped ``server_time``, received at local ``now``."""
    return ClockMarks(serverTime=server_time, localAtServerTime=now, lastSeenAt=now)


def lag(marks: Optional[ClockMarks]) -> float:
    """How far this clock is behind the server's (seconds), or 0 when it is ahead: subtracted from
    the server's times before comparing them with local time, so a slow clock never lengthens a
    token's life, and a fast one only shortens it. Editing the marks can only make it larger
    (shorter validity) or zero (no correction)."""
    return max(0.0, marks.serverTime - marks.localAtServerTime) if marks else 0.0


def rolled_back(marks: Optional[ClockMarks], now: float, iat: float, tolerance: float) -> bool:
    """Whether local ``now`` lies behind what this machine has already seen by more than
    ``tolerance``: behind the latest local time seen, or (allowing for the known lag) behind the
    server's last time or the token's signed issue time ``iat``."""
    server_seen = max(iat, marks.serverTime if marks else 0.0)
    last_seen = marks.lastSeenAt if marks else 0.0
    return now + tolerance < last_seen or now + lag(marks) + tolerance < server_seen
