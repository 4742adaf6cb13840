"""Seatkey's client for Python add-ons and tools: activate a machine, validate the licence
offline first against a signed token, send heartbeats for floating licences, deactivate.
Standard library only; ``cryptography`` is used for speed when it can be imported."""
__version__ = "0.1.0"

from .client import SeatkeyClient
from .errors import (
    BadResponseError,
    BusyError,
    ClockRollbackError,
    FingerprintMismatchError,
    FingerprintUnavailableError,
    InvalidRequestError,
    InvalidTokenError,
    LicenseExpiredError,
    LicenseNotFoundError,
    LicenseRevokedError,
    LicenseSuspendedError,
    MachineLimitError,
    NetworkError,
    NotActivatedError,
    OfflineGraceExpiredError,
    RateLimitedError,
    SeatkeyError,
    ServerError,
    StorageError,
    UnauthorizedError,
    WrongProductError,
)
from .fingerprint import default_fingerprint, machine_id
from .keys import default_verifier
from .results import (
    ActivationResult,
    DeactivationResult,
    HeartbeatResult,
    InvalidLicense,
    KeyStatus,
    LicenseInfo,
    LocalStatus,
    ValidLicense,
    mask_license_key,
)
from .storage import FileStorage, MemoryStorage, default_storage_path

__all__ = [
    "__version__",
    "SeatkeyClient",
    "ActivationResult",
    "DeactivationResult",
    "HeartbeatResult",
    "InvalidLicense",
    "KeyStatus",
    "LicenseInfo",
    "LocalStatus",
    "ValidLicense",
    "FileStorage",
    "MemoryStorage",
    "default_storage_path",
    "default_fingerprint",
    "default_verifier",
    "machine_id",
    "mask_license_key",
    "SeatkeyError",
    "BadResponseError",
    "BusyError",
    "ClockRollbackError",
    "FingerprintMismatchError",
    "FingerprintUnavailableError",
    "InvalidRequestError",
    "InvalidTokenError",
    "LicenseExpiredError",
    "LicenseNotFoundError",
    "LicenseRevokedError",
    "LicenseSuspendedError",
    "MachineLimitError",
    "NetworkError",
    "NotActivatedError",
    "OfflineGraceExpiredError",
    "RateLimitedError",
    "ServerError",
    "StorageError",
    "UnauthorizedError",
    "WrongProductError",
]
