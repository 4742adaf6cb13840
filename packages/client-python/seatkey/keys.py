"""The Ed25519 public keys session tokens may be signed with, and the verifier that checks them:
``cryptography`` when it can be imported (and works), else the pure-Python verifier in
``seatkey._ed25519``. Both decide alike; ``cryptography`` is only faster.
"""
from __future__ import annotations

import base64
import re
from typing import Any, Callable, Dict, Iterable, List, Optional, Protocol

from . import _ed25519

CRYPTOGRAPHY = "cryptography"
PURE_PYTHON = "pure-python"


class VerifyingKey(Protocol):
    def verify(self, signature: bytes, message: bytes) -> bool: ...


KeyFactory = Callable[[bytes], Optional[VerifyingKey]]


def _pure_key(raw: bytes) -> Optional[VerifyingKey]:
    return _ed25519.PublicKey.from_bytes(raw) if len(raw) == 32 else None


def _load_cryptography() -> Optional[KeyFactory]:
    # A host application may bundle a cryptography that is missing, too old for Ed25519, or
    # built against another OpenSSL: any failure here means "use the pure-Python verifier".
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        Ed25519PublicKey.from_public_bytes(_ed25519.encode_point(_ed25519.B))
    except Exception:
        return None

    class CryptographyKey:
        __slots__ = ("_key",)

        def __init__(self, key: Any) -> None:
            self._key = key

        def verify(self, signature: bytes, message: bytes) -> bool:
            if len(signature) != 64:
                return False
            try:
                self._key.verify(signature, message)
                return True
            except InvalidSignature:
                return False

    def factory(raw: bytes) -> Optional[VerifyingKey]:
        if len(raw) != 32:
            return None
        try:
            return CryptographyKey(Ed25519PublicKey.from_public_bytes(raw))
        except ValueError:
            return None

    return factory


_cryptography: Optional[KeyFactory] = None
_cryptography_tried = False


def _cryptography_factory() -> Optional[KeyFactory]:
    global _cryptography, _cryptography_tried
    if not _cryptography_tried:
        _cryptography = _load_cryptography()
        _cryptography_tried = True
    return _cryptography


def default_verifier() -> str:
    """The verifier used unless a client names one: ``"cryptography"`` when it can be imported,
    else ``"pure-python"``."""
    return CRYPTOGRAPHY if _cryptography_factory() else PURE_PYTHON


def key_factory(verifier: Optional[str] = None) -> KeyFactory:
    """Turns 32 raw public-key bytes into a key that verifies signatures (None if unusable)."""
    name = verifier or default_verifier()
    if name == PURE_PYTHON:
        return _pure_key
    if name == CRYPTOGRAPHY:
        factory = _cryptography_factory()
        if factory is None:
            raise ValueError("verifier='cryptography' but the cryptography package cannot be imported here")
        return factory
    raise ValueError(f"unknown verifier {name!r}: use 'cryptography' or 'pure-python'")


def verify(public_key: bytes, signature: bytes, message: bytes, verifier: Optional[str] = None) -> bool:
    """One Ed25519 verification with the named verifier (default: the fastest available)."""
    key = key_factory(verifier)(bytes(public_key))
    return key is not None and key.verify(bytes(signature), bytes(message))


_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")


def b64url_decode(text: str) -> Optional[bytes]:
    """Strict base64url without padding (as JOSE writes it); None for anything else."""
    if not isinstance(text, str) or not _B64URL.match(text) or len(text) % 4 == 1:
        return None
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        return None


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwk_list(jwks: Any) -> List[Dict[str, Any]]:
    """The keys of a JWKS (``{"keys": [...]}``) or of a plain list of JWKs; [] for anything else."""
    keys = jwks.get("keys") if isinstance(jwks, dict) else jwks
    return [k for k in keys if isinstance(k, dict)] if isinstance(keys, list) else []


class KeySet:
    """Public keys by ``kid``. Only Ed25519 signing keys with a kid are taken; others are skipped."""

    def __init__(self, factory: KeyFactory) -> None:
        self._factory = factory
        self._keys: Dict[str, VerifyingKey] = {}

    def add(self, jwks: Iterable[Dict[str, Any]]) -> None:
        for jwk in jwks:
            kid, x = jwk.get("kid"), jwk.get("x")
            if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or not isinstance(kid, str) or not kid or not isinstance(x, str):
                continue
            if jwk.get("alg") not in (None, "EdDSA", "Ed25519") or jwk.get("use") not in (None, "sig"):
                continue
            if kid in self._keys:
                continue
            raw = b64url_decode(x)
            key = self._factory(raw) if raw is not None else None
            if key is not None:
                self._keys[kid] = key

    def get(self, kid: Any) -> Optional[VerifyingKey]:
        return self._keys.get(kid) if isinstance(kid, str) else None

    def __len__(self) -> int:
        return len(self._keys)
