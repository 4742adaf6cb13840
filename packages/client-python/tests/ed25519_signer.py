"""Ed25519 signing in pure Python, for the tests' fake server only (the package verifies, it
never signs). Built on the package's own curve arithmetic, and checked against RFC 8032's
vectors and, byte for byte, against ``cryptography`` (Ed25519 signatures are deterministic)."""
from __future__ import annotations

import hashlib
import os
from typing import Tuple

from seatkey import _ed25519 as ed


def _expand(seed: bytes) -> Tuple[int, bytes]:
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    return a, h[32:]


def public_key(seed: bytes) -> bytes:
    a, _ = _expand(seed)
    return ed.encode_point(ed._fixed_base(a))


def sign(seed: bytes, message: bytes) -> bytes:
    a, prefix = _expand(seed)
    public = ed.encode_point(ed._fixed_base(a))
    r = int.from_bytes(hashlib.sha512(prefix + message).digest(), "little") % ed.L
    big_r = ed.encode_point(ed._fixed_base(r))
    k = int.from_bytes(hashlib.sha512(big_r + public + message).digest(), "little") % ed.L
    s = (r + k * a) % ed.L
    return big_r + s.to_bytes(32, "little")


def new_seed() -> bytes:
    return os.urandom(32)
