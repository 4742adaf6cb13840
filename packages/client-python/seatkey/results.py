"""What the client's methods return. Times are timezone-aware UTC datetimes; a field the server
did not send is None rather than missing, so an app can show any of them without checks."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Optional, Union

from .errors import SeatkeyError


def utc(seconds: Optional[float]) -> Optional[datetime]:
    return None if seconds is None else datetime.fromtimestamp(seconds, timezone.utc)


@dataclass(frozen=True)
class LicenseInfo:
    license_key: str
    product_id: str
    license_type: str
    """``per-machine``, ``floating`` or ``site``."""
    status: str
    """The licence's status at the last online check: ``active``, ``degraded``, …"""
    variant: Optional[str]
    activation_id: str
    expires_at: Optional[datetime]
    """When the licence itself ends; None when perpetual."""
    token_expires_at: datetime
    """When the cached session token ends: no validation, online or off, passes it."""
    machines_used: Optional[int]
    max_machines: Optional[int]
    lease_expires_at: Optional[datetime]
    """Floating licences: when this machine's seat lapses unless a heartbeat renews it."""


@dataclass(frozen=True)
class ValidLicense:
    source: str
    """How the answer was reached: ``online``, the server confirmed it just now; ``cached``, the
    token verified offline and no online check was due; ``grace``, a check was due but the
    server could not be reached, and the licence holds until ``grace_ends_at``."""
    license: LicenseInfo
    last_online_at: datetime
    """When the server last vouched for this machine: the cached token's signed issue time."""
    next_online_check_at: datetime
    grace_ends_at: datetime
    """The latest the licence stays valid without reaching the server."""
    offline_error: Optional[SeatkeyError] = None
    """Why the server could not be asked (source ``grace`` only)."""
    warning: Optional[str] = None
    """The server's warning, if it sent one (a degraded licence, say)."""
    valid: bool = field(default=True, init=False)

    def __bool__(self) -> bool:
        return True


@dataclass(frozen=True)
class InvalidLicense:
    error: SeatkeyError
    """Why: NotActivatedError when this machine has no activation; a definitive refusal
    (LicenseRevokedError, …: the cached activation is gone); LicenseExpiredError when the
    licence's signed expiry has passed; OfflineGraceExpiredError or ClockRollbackError when the
    server is needed and could not be reached."""
    valid: bool = field(default=False, init=False)

    def __bool__(self) -> bool:
        return False


ValidationResult = Union[ValidLicense, InvalidLicense]


@dataclass(frozen=True)
class ActivationResult:
    license: LicenseInfo
    message: str
    warning: Optional[str]
    next_heartbeat_seconds: Optional[float]
    """Floating licences: when to send the first heartbeat."""


@dataclass(frozen=True)
class HeartbeatResult:
    lease_expires_at: Optional[datetime]
    next_heartbeat_seconds: Optional[float]


@dataclass(frozen=True)
class DeactivationResult:
    machines_used: Optional[int]
    max_machines: Optional[int]


@dataclass(frozen=True)
class KeyStatus:
    """The server's view of a licence key, without binding a machine (``verify``)."""

    status: str
    license_type: Optional[str]
    product_id: Optional[str]
    variant: Optional[str]
    expires_at: Optional[datetime]
    machines_used: Optional[int]
    max_machines: Optional[int]


@dataclass(frozen=True)
class LocalStatus:
    """What this machine holds, read without the network or a signature check (``status()``)."""

    activated: bool
    license: Optional[LicenseInfo] = None
    last_online_at: Optional[datetime] = None
    next_online_check_at: Optional[datetime] = None
    grace_ends_at: Optional[datetime] = None


def mask_license_key(key: str) -> str:
    """``ACME-7K2M-…-Q4`` as ``ACME-****-****-****-Q4``: enough to tell keys apart, not to use one."""
    parts = key.split("-")
    if len(parts) < 3:
        return key[:4] + "…"
    return "-".join(p if i in (0, len(parts) - 1) else "*" * len(p) for i, p in enumerate(parts))
