"""Ed25519 signature verification in pure Python (RFC 8032, section 5.1.7), for hosts where the
``cryptography`` package cannot be imported (Blender, Maya and Houdini ship their own Python).

Verification only: nothing secret passes through here, so the variable-time arithmetic of
Python integers is no risk. It decides exactly as OpenSSL does (which ``cryptography``, the
Seatkey server and the Node SDK all use), so a token gets the same answer everywhere:

- a signature is 64 bytes and a public key 32, anything else is refused;
- ``S`` must be below the group order ``L`` (no malleable signatures);
- ``R`` is never decoded: ``[S]B - [k]A`` is computed and its canonical encoding compared with
  the 32 bytes of ``R``, so a non-canonical ``R`` never verifies (the cofactorless equation,
  which RFC 8032 allows);
- the public key is decoded as OpenSSL decodes it: ``y`` is taken modulo ``p`` and a zero ``x``
  ignores its sign bit. RFC 8032 would refuse those 40 or so non-canonical encodings; no real
  key has one, and a key is never the attacker's to choose here (it is bundled with the app or
  fetched from the server), so matching OpenSSL is worth more than the stricter reading.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import List, Optional, Tuple

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
D2 = 2 * D % P
SQRT_M1 = pow(2, (P - 1) // 4, P)

Point = Tuple[int, int, int, int]  # extended coordinates: x = X/Z, y = Y/Z, xy = T/Z
IDENTITY: Point = (0, 1, 1, 0)


def _add(p: Point, q: Point) -> Point:
    """RFC 8032 5.1.4's unified addition (also right for p == q)."""
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = t1 * D2 % P * t2 % P
    d = 2 * z1 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _double(p: Point) -> Point:
    x1, y1, z1, _ = p
    a = x1 * x1 % P
    b = y1 * y1 % P
    c = 2 * z1 * z1 % P
    h = a + b
    e = h - (x1 + y1) * (x1 + y1) % P
    g = a - b
    f = c + g
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _negate(p: Point) -> Point:
    x, y, z, t = p
    return (-x % P, y, z, -t % P)


def _x_from_y(y: int, sign: int) -> Optional[int]:
    """The x with this sign (its low bit) on the curve at y, or None when y has no point."""
    u = (y * y - 1) % P
    v = (D * y * y + 1) % P
    x = u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    vxx = v * x * x % P
    if vxx == (-u) % P and vxx != u:
        x = x * SQRT_M1 % P
    elif vxx != u:
        return None
    if x & 1 != sign:
        x = -x % P
    return x


def decode_point(data: bytes, strict: bool = False) -> Optional[Point]:
    """The point encoded in 32 bytes, or None. ``strict`` is RFC 8032 5.1.3 to the letter
    (refusing y >= p and a "negative" zero x); otherwise as OpenSSL decodes public keys."""
    if len(data) != 32:
        return None
    n = int.from_bytes(data, "little")
    sign = n >> 255
    y = n & ((1 << 255) - 1)
    if strict and y >= P:
        return None
    y %= P
    x = _x_from_y(y, sign)
    if x is None or (strict and x == 0 and sign):
        return None
    return (x, y, 1, x * y % P)


def encode_point(p: Point) -> bytes:
    x, y, z, _ = p
    zi = pow(z, P - 2, P)
    x, y = x * zi % P, y * zi % P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _table(p: Point) -> List[Point]:
    """[0]p … [15]p, for 4-bit windows."""
    out = [IDENTITY, p]
    for _ in range(14):
        out.append(_add(out[-1], p))
    return out


def _base_point() -> Point:
    y = 4 * pow(5, P - 2, P) % P
    x = _x_from_y(y, 0)
    assert x is not None
    return (x, y, 1, x * y % P)


B = _base_point()
_base_windows: Optional[List[List[Point]]] = None


def _fixed_base(s: int) -> Point:
    """[s]B from a table of [j * 16^i]B (64 windows of 16), built once: 64 additions a call."""
    global _base_windows
    if _base_windows is None:
        windows = []
        q = B
        for _ in range(64):
            windows.append(_table(q))
            for _ in range(4):
                q = _double(q)
        _base_windows = windows
    acc = IDENTITY
    for window in _base_windows:
        acc = _add(acc, window[s & 15])
        s >>= 4
    return acc


class PublicKey:
    """A decoded Ed25519 public key, ready to verify many signatures (its window table is kept)."""

    __slots__ = ("raw", "_neg_table")

    def __init__(self, raw: bytes, neg_table: List[Point]) -> None:
        self.raw = raw
        self._neg_table = neg_table

    @classmethod
    def from_bytes(cls, raw: bytes) -> Optional["PublicKey"]:
        a = decode_point(bytes(raw))
        return None if a is None else cls(bytes(raw), _table(_negate(a)))

    def verify(self, signature: bytes, message: bytes) -> bool:
        if len(signature) != 64:
            return False
        r, s = signature[:32], int.from_bytes(signature[32:], "little")
        if s >= L:
            return False
        k = int.from_bytes(hashlib.sha512(r + self.raw + message).digest(), "little") % L
        # [k](-A) by 4-bit windows from the top, then + [S]B.
        acc = IDENTITY
        table = self._neg_table
        for shift in range(252, -4, -4):
            acc = _double(_double(_double(_double(acc))))
            acc = _add(acc, table[(k >> shift) & 15])
        return hmac.compare_digest(encode_point(_add(acc, _fixed_base(s))), r)


def verify(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is ``public_key``'s Ed25519 signature of ``message``."""
    if len(public_key) != 32:
        return False
    key = PublicKey.from_bytes(public_key)
    return key is not None and key.verify(signature, message)
