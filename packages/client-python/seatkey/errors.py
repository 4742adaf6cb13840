"""Typed errors: one class per code of Seatkey's HTTP contract, plus the few only a client can
meet (no network, a clock turned back, the offline grace used up). The names and codes are the
Node SDK's (``@seatkey/client``). Messages never carry a licence key or a token, so an error
can be logged as it is.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional, Type

#: The contract's error codes a client endpoint can answer with.
SERVER_CODES = (
    "invalid_request",
    "unauthorized",
    "revoked",
    "expired",
    "suspended",
    "wrong_product",
    "machine_limit",
    "not_activated",
    "fingerprint_mismatch",
    "invalid_token",
    "not_found",
    "rate_limited",
    "internal",
    "busy",
)


class SeatkeyError(Exception):
    """Base of every error the client raises or reports.

    ``code`` is the contract's code (or a client-side one: ``network``, ``bad_response``,
    ``clock_rollback``, ``offline_grace_expired``, ``fingerprint_unavailable``, ``storage``),
    ``status`` the HTTP status when the server answered, ``retry_after`` the seconds the server
    asked to wait (Retry-After), if it did.
    """

    kind = "final"

    def __init__(self, code: str, message: str, status: Optional[int] = None, retry_after: Optional[float] = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.retry_after = retry_after

    @property
    def cause(self) -> Optional[BaseException]:
        """What went wrong underneath (the network error behind an OfflineGraceExpiredError …)."""
        return self.__cause__

    @property
    def retryable(self) -> bool:
        """Whether trying again later may succeed: no network, 429, 5xx, a garbled reply."""
        return self.kind == "retryable"

    @property
    def definitive(self) -> bool:
        """Whether the server refused the licence for good (revoked, suspended, expired, not
        activated, not found, invalid token, fingerprint mismatch, wrong product): the cached
        activation is forgotten."""
        return self.kind == "definitive"

    def to_dict(self) -> Dict[str, Any]:
        """A plain dict for logs and JSON output (no traceback, no secrets)."""
        out: Dict[str, Any] = {"code": self.code, "message": self.message}
        if self.status is not None:
            out["status"] = self.status
        out["retryable"] = self.retryable
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r})"


class _Definitive(SeatkeyError):
    kind = "definitive"


class _Retryable(SeatkeyError):
    kind = "retryable"


class InvalidRequestError(SeatkeyError):
    pass


class UnauthorizedError(SeatkeyError):
    pass


class LicenseRevokedError(_Definitive):
    pass


class LicenseExpiredError(_Definitive):
    pass


class LicenseSuspendedError(_Definitive):
    pass


class WrongProductError(_Definitive):
    pass


class NotActivatedError(_Definitive):
    pass


class FingerprintMismatchError(_Definitive):
    pass


class InvalidTokenError(_Definitive):
    pass


class LicenseNotFoundError(_Definitive):
    pass


class MachineLimitError(SeatkeyError):
    """The licence's seats are all taken; ``max_machines`` is the limit the server named."""

    def __init__(self, code: str, message: str, status: Optional[int] = None, retry_after: Optional[float] = None) -> None:
        super().__init__(code, message, status, retry_after)
        found = re.search(r"\((-?\d+)\)", message)
        self.max_machines: Optional[int] = int(found.group(1)) if found else None


class RateLimitedError(_Retryable):
    pass


class ServerError(_Retryable):
    pass


class BusyError(_Retryable):
    pass


class NetworkError(_Retryable):
    pass


class BadResponseError(_Retryable):
    pass


class ClockRollbackError(_Retryable):
    pass


class OfflineGraceExpiredError(_Retryable):
    pass


class FingerprintUnavailableError(SeatkeyError):
    pass


class StorageError(SeatkeyError):
    pass


_CLASSES: Dict[str, Type[SeatkeyError]] = {
    "invalid_request": InvalidRequestError,
    "unauthorized": UnauthorizedError,
    "revoked": LicenseRevokedError,
    "expired": LicenseExpiredError,
    "suspended": LicenseSuspendedError,
    "wrong_product": WrongProductError,
    "machine_limit": MachineLimitError,
    "not_activated": NotActivatedError,
    "fingerprint_mismatch": FingerprintMismatchError,
    "invalid_token": InvalidTokenError,
    "not_found": LicenseNotFoundError,
    "rate_limited": RateLimitedError,
    "internal": ServerError,
    "busy": BusyError,
    "network": NetworkError,
    "bad_response": BadResponseError,
    "clock_rollback": ClockRollbackError,
    "offline_grace_expired": OfflineGraceExpiredError,
    "fingerprint_unavailable": FingerprintUnavailableError,
    "storage": StorageError,
}


def seatkey_error(code: str, message: str, status: Optional[int] = None, retry_after: Optional[float] = None) -> SeatkeyError:
    """The typed error for ``code``: ``seatkey_error("revoked", …)`` is a LicenseRevokedError."""
    return _CLASSES.get(code, SeatkeyError)(code, message, status, retry_after)
