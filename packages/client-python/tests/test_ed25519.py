"""The pure-Python Ed25519 verifier: RFC 8032's test vectors, then a cross-check against
``cryptography`` (OpenSSL) on random signatures and on malformed and non-canonical ones: S >= L,
non-canonical point encodings, small-order keys and commitments, wrong lengths, bit flips.
Every case must get the same answer from both."""
from __future__ import annotations

import hashlib
import os
import random

import pytest

import ed25519_signer
from conftest import cryptography_available
from rfc8032_vectors import VECTORS
from seatkey import _ed25519 as ed
from seatkey import default_verifier
from seatkey.keys import CRYPTOGRAPHY, PURE_PYTHON, verify

EXPECTED = os.environ.get("SEATKEY_EXPECT_VERIFIER")


def test_the_run_uses_the_verifier_it_was_started_for():
    # npm test runs this suite with cryptography and with it hidden; neither may quietly use the other.
    if EXPECTED is None:
        pytest.skip("SEATKEY_EXPECT_VERIFIER is set by npm test")
    assert default_verifier() == EXPECTED
    assert cryptography_available() == (EXPECTED == CRYPTOGRAPHY)


@pytest.mark.parametrize("name,secret,public,message,signature", VECTORS, ids=[v[0] for v in VECTORS])
def test_rfc8032_vectors(name, secret, public, message, signature):
    secret, public, message, signature = (bytes.fromhex(x) for x in (secret, public, message, signature))
    assert verify(public, signature, message, PURE_PYTHON)
    assert verify(public, signature, message)  # the default verifier of this run
    # Any change to the message, the signature or the key fails.
    assert not verify(public, signature, message + b"\x00", PURE_PYTHON)
    assert not verify(public, signature[:-1] + bytes([signature[-1] ^ 1]), message, PURE_PYTHON)
    assert not verify(public[:-1] + bytes([public[-1] ^ 2]), signature, message, PURE_PYTHON)
    # The tests' signer (the fake server's) reproduces the vectors.
    assert ed25519_signer.public_key(secret) == public
    assert ed25519_signer.sign(secret, message) == signature


def test_refuses_s_at_or_above_the_group_order():
    secret, public, message, signature = (bytes.fromhex(x) for x in VECTORS[1][1:])
    s = int.from_bytes(signature[32:], "little")
    for bigger in (s + ed.L, s + 3 * ed.L, ed.L, 2**256 - 1):
        assert not verify(public, signature[:32] + bigger.to_bytes(32, "little"), message, PURE_PYTHON)


def test_base_point_and_encodings():
    assert ed.encode_point(ed.B).hex() == "5866666666666666666666666666666666666666666666666666666666666666"
    assert ed.encode_point(ed._fixed_base(ed.L)) == ed.encode_point(ed.IDENTITY)
    assert ed.decode_point(b"\x02" + bytes(31)) is None, "y = 2 is not on the curve"
    assert ed.decode_point(bytes(31)) is None, "31 bytes"


# ---- cross-check with cryptography ----

needs_cryptography = pytest.mark.skipif(not cryptography_available(), reason="cryptography is hidden or missing in this run")


def reference(public: bytes, signature: bytes, message: bytes) -> bool:
    """cryptography's own answer, with its exceptions read as a refusal."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


def torsion_points():
    """The 8 points of order dividing 8: [L]Q of a random point has no other component."""
    rng = random.Random(8032)
    while True:
        q = ed.decode_point(rng.getrandbits(256).to_bytes(32, "little"))
        if q is None:
            continue
        t = ed.IDENTITY
        for bit in bin(ed.L)[2:]:
            t = ed._double(t)
            if bit == "1":
                t = ed._add(t, q)
        four = ed._double(ed._double(t))
        if ed.encode_point(four) != ed.encode_point(ed.IDENTITY):  # order 8
            points = [ed.IDENTITY]
            for _ in range(7):
                points.append(ed._add(points[-1], t))
            return points


def small_order_signature(a_point, a_bytes: bytes, message: bytes, rng: random.Random) -> bytes:
    """A signature that verifies (cofactorless) under a small-order key: R = [S]B - [k]A, found
    by guessing k mod 8, which is all [k]A depends on."""
    while True:
        s = rng.randrange(ed.L)
        j = rng.randrange(8)
        ja = ed.IDENTITY
        for _ in range(j):
            ja = ed._add(ja, a_point)
        r = ed.encode_point(ed._add(ed._fixed_base(s), ed._negate(ja)))
        k = int.from_bytes(hashlib.sha512(r + a_bytes + message).digest(), "little") % ed.L
        if k % 8 == j % 8 or ed.encode_point(a_point) == ed.encode_point(ed.IDENTITY):
            return r + s.to_bytes(32, "little")


def cases():
    """(label, public key, signature, message), a few hundred of them."""
    rng = random.Random(int.from_bytes(os.urandom(8), "little"))
    out = []
    for i in range(48):
        seed = os.urandom(32)
        public = ed25519_signer.public_key(seed)
        message = os.urandom(rng.randrange(0, 200))
        signature = ed25519_signer.sign(seed, message)
        out.append(("valid", public, signature, message))
        flip = lambda b, bit: b[: bit // 8] + bytes([b[bit // 8] ^ (1 << (bit % 8))]) + b[bit // 8 + 1 :]  # noqa: E731
        out.append(("R bit flipped", public, flip(signature, rng.randrange(256)), message))
        out.append(("S bit flipped", public, flip(signature, 256 + rng.randrange(256)), message))
        out.append(("key bit flipped", flip(public, rng.randrange(256)), signature, message))
        out.append(("message changed", public, signature, message + b"!"))
        s = int.from_bytes(signature[32:], "little")
        out.append(("S + L", public, signature[:32] + (s + ed.L).to_bytes(32, "little"), message))
        out.append(("S + 7L", public, signature[:32] + (s + 7 * ed.L).to_bytes(32, "little"), message))
        out.append(("signature 63 bytes", public, signature[:63], message))
        out.append(("signature 65 bytes", public, signature + b"\x00", message))
        out.append(("key 31 bytes", public[:31], signature, message))
        out.append(("key 33 bytes", public + b"\x00", signature, message))
        out.append(("random key", os.urandom(32), signature, message))
        out.append(("random signature", public, os.urandom(64), message))
    # Small-order keys (the torsion points) with signatures that verify under the cofactorless
    # equation, in their canonical and in every non-canonical encoding (y + p, a "negative" zero x).
    message = b"seatkey"
    for point in torsion_points():
        canonical = ed.encode_point(point)
        n = int.from_bytes(canonical, "little")
        y, sign = n & ((1 << 255) - 1), n >> 255
        encodings = [("small-order key", canonical)]
        if y + ed.P < 2**255:
            encodings.append(("small-order key, y + p", (y + ed.P | sign << 255).to_bytes(32, "little")))
            encodings.append(("small-order key, y + p, other sign", (y + ed.P | (1 - sign) << 255).to_bytes(32, "little")))
        if point[0] == 0:
            encodings.append(("small-order key, negative zero x", (y | 1 << 255).to_bytes(32, "little")))
        for label, encoded in encodings:
            signature = small_order_signature(point, encoded, message, rng)
            out.append((label, encoded, signature, message))
    # Small-order R: the identity, canonical and in both non-canonical encodings, with S = 0 under
    # the identity key, where [S]B - [k]A is the identity whatever k.
    identity = ed.encode_point(ed.IDENTITY)
    for label, r in (("R = identity", identity), ("R = identity, y + p", (1 + ed.P).to_bytes(32, "little")), ("R = identity, negative zero", (1 | 1 << 255).to_bytes(32, "little"))):
        out.append((label, identity, r + bytes(32), b"anything"))
    return out


@needs_cryptography
def test_decides_exactly_as_cryptography_does():
    checked = {}
    for label, public, signature, message in cases():
        expected = reference(public, signature, message)
        pure = verify(public, signature, message, PURE_PYTHON)
        wrapped = verify(public, signature, message, CRYPTOGRAPHY)
        assert pure == expected, f"{label}: pure-python says {pure}, cryptography {expected} (key {public.hex()}, signature {signature.hex()})"
        assert wrapped == expected, f"{label}: the cryptography path says {wrapped}"
        checked.setdefault(label, set()).add(expected)
    # The cases exercise both answers where they should.
    assert checked["valid"] == {True}
    for refused in ("S + L", "S + 7L", "signature 63 bytes", "signature 65 bytes", "key 31 bytes", "key 33 bytes", "message changed"):
        assert checked[refused] == {False}, refused
    assert checked["small-order key"] == {True}
    assert checked["small-order key, y + p"] == {True}, "OpenSSL reads y modulo p, and so do we"
    assert checked["small-order key, negative zero x"] == {True}
    assert checked["R = identity"] == {True} and checked["R = identity, y + p"] == {False} and checked["R = identity, negative zero"] == {False}


@needs_cryptography
def test_the_tests_signer_matches_cryptography_byte_for_byte():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    for _ in range(16):
        seed, message = os.urandom(32), os.urandom(random.randrange(100))
        assert ed25519_signer.sign(seed, message) == Ed25519PrivateKey.from_private_bytes(seed).sign(message)


def test_strict_decoding_follows_rfc8032_to_the_letter():
    # Offered for callers who want RFC 8032 5.1.3 exactly; the verifier itself reads keys as OpenSSL does.
    identity = ed.encode_point(ed.IDENTITY)
    assert ed.decode_point(identity, strict=True) is not None
    assert ed.decode_point((1 + ed.P).to_bytes(32, "little"), strict=True) is None
    assert ed.decode_point((1 | 1 << 255).to_bytes(32, "little"), strict=True) is None
    assert ed.decode_point((1 + ed.P).to_bytes(32, "little")) is not None
