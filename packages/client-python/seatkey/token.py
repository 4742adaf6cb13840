"""Offline verification of Seatkey's session tokens: EdDSA (Ed25519) JWTs whose ``kid`` names a
key of the server's JWKS. This module checks the signature and that the token belongs to this
product and this machine; what its times mean (``exp``, ``lexp``, ``iat``) the client decides.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import math
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple, Union

from .keys import KeySet, b64url_decode, b64url_encode

LICENSE_TYPES = ("per-machine", "floating", "site")


def fingerprint_claim(fingerprint: str) -> str:
    """What a token's ``fp`` claim holds for a machine fingerprint: base64url(SHA-256)."""
    return b64url_encode(hashlib.sha256(fingerprint.encode("utf-8")).digest())


@dataclass(frozen=True)
class TokenClaims:
    sub: str
    """The licence key."""
    fp: str
    pid: str
    lt: str
    lexp: Optional[float]
    """The licence's own expiry (Unix seconds), None when perpetual."""
    iat: float
    """When the server signed the token: its "seen online" time."""
    exp: float
    aud: Union[str, Tuple[str, ...], None] = None
    iss: Optional[str] = None
    aid: Optional[str] = None


class TokenRejected(Exception):
    """Why a token did not verify: ``problem`` is ``unknown_key`` (its kid is in no key we have),
    ``invalid`` (malformed, bad signature, wrong algorithm or claims), ``wrong_product`` or
    ``fingerprint_mismatch``."""

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _json_object(data: Optional[bytes]) -> Optional[Dict[str, Any]]:
    if data is None:
        return None
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_no_constants)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def read_claims(payload: Dict[str, Any]) -> Optional[TokenClaims]:
    """The Seatkey claims of a decoded payload, or None when any is missing or mistyped."""
    p = payload
    lexp = p.get("lexp")
    aud = p.get("aud")
    iss = p.get("iss")
    aid = p.get("aid")
    ok = (
        isinstance(p.get("sub"), str)
        and isinstance(p.get("fp"), str)
        and isinstance(p.get("pid"), str)
        and p.get("lt") in LICENSE_TYPES
        and (lexp is None or _number(lexp))
        and _number(p.get("iat"))
        and _number(p.get("exp"))
        and (aud is None or isinstance(aud, str) or (isinstance(aud, list) and all(isinstance(a, str) for a in aud)))
        and (iss is None or isinstance(iss, str))
        and (aid is None or isinstance(aid, str))
    )
    if not ok:
        return None
    return TokenClaims(
        sub=p["sub"],
        fp=p["fp"],
        pid=p["pid"],
        lt=p["lt"],
        lexp=lexp,
        iat=p["iat"],
        exp=p["exp"],
        aud=tuple(aud) if isinstance(aud, list) else aud,
        iss=iss,
        aid=aid,
    )


def decode_claims(token: str) -> Optional[TokenClaims]:
    """A token's claims without checking its signature: for showing what is cached, never for
    trusting it."""
    parts = token.split(".") if isinstance(token, str) else []
    payload = _json_object(b64url_decode(parts[1])) if len(parts) == 3 else None
    return read_claims(payload) if payload is not None else None


def verify_token(token: str, keys: KeySet, product_id: str, fp: str, issuer: Optional[str] = None) -> TokenClaims:
    """The claims of ``token`` once its signature verifies with one of ``keys`` and it is this
    product's token (``pid``, and ``aud`` when the server sends it) for this machine (``fp``),
    from this deployment (``iss``, when both the token and the app name one); raises
    TokenRejected otherwise. Tokens from servers that predate ``aud`` and ``iss`` pass on ``pid``
    alone: a signature by this deployment's key already says who issued them."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        raise TokenRejected("invalid", "The token is not a JWT")
    header = _json_object(b64url_decode(parts[0]))
    body = b64url_decode(parts[1])
    signature = b64url_decode(parts[2])
    if header is None or body is None or signature is None:
        raise TokenRejected("invalid", "The token is not a valid Seatkey token")
    if header.get("alg") not in ("EdDSA", "Ed25519") or "crit" in header or header.get("typ", "JWT") != "JWT":
        raise TokenRejected("invalid", "The token is not an EdDSA JWT")
    key = keys.get(header.get("kid"))
    if key is None:
        raise TokenRejected("unknown_key", "The token is signed with a key this client does not know")
    if not key.verify(signature, f"{parts[0]}.{parts[1]}".encode("ascii")):
        raise TokenRejected("invalid", "The token's signature does not verify")
    payload = _json_object(body)
    claims = read_claims(payload) if payload is not None else None
    if claims is None:
        raise TokenRejected("invalid", "The token lacks Seatkey claims")
    audience = claims.aud
    if claims.pid != product_id or (audience is not None and product_id not in ((audience,) if isinstance(audience, str) else audience)):
        raise TokenRejected("wrong_product", "The token is for another product")
    if not hmac.compare_digest(claims.fp.encode("utf-8"), fp.encode("utf-8")):
        raise TokenRejected("fingerprint_mismatch", "The token belongs to another machine")
    if issuer is not None and claims.iss is not None and claims.iss != issuer:
        raise TokenRejected("invalid", "The token was issued by another Seatkey deployment")
    return claims
