"""Offline validate() throughput of the Python client, with ``cryptography`` and with the
pure-Python verifier, each beside a raw Ed25519 verify of the same token's signature by the same
verifier, measured in interleaved batches on this one thread. Prints JSON (``npm run bench --
python`` reads it; bench/python.ts). No server is needed: an in-process fake answers the one
activation and is closed before anything is measured.

    python3 packages/client-python/bench/validate_throughput.py [--rounds N]
"""
import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, ".."), os.path.join(HERE, "..", "tests")]

import seatkey  # noqa: E402
from fake_seatkey import FakeSeatkey  # noqa: E402
from seatkey import MemoryStorage, SeatkeyClient  # noqa: E402
from seatkey.keys import CRYPTOGRAPHY, PURE_PYTHON, b64url_decode, default_verifier, key_factory  # noqa: E402

#: Seconds each batch should take, so fast and slow operations are timed alike.
BATCH_SECONDS = 0.2


def rate(op, n):
    start = time.perf_counter()
    for _ in range(n):
        op()
    return n / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()

    fake = FakeSeatkey()
    license = fake.add_license("bench-app")
    storage = MemoryStorage()
    SeatkeyClient(fake.base_url, "bench-app", public_keys=fake.jwks, storage=storage, fingerprint="bench-machine").activate(license.key)
    fake.close()

    token = json.loads(storage.read())["activation"]["token"]
    header, payload, signature = token.split(".")
    signed, sig = f"{header}.{payload}".encode(), b64url_decode(signature)
    raw_key = b64url_decode(fake.jwks["keys"][0]["x"])

    verifiers = [PURE_PYTHON] + ([CRYPTOGRAPHY] if default_verifier() == CRYPTOGRAPHY else [])
    ops = {}
    for name in verifiers:
        client = SeatkeyClient("http://127.0.0.1:9", "bench-app", public_keys=fake.jwks, storage=storage, fingerprint="bench-machine", verifier=name)
        key = key_factory(name)(raw_key)

        def validate(client=client):
            r = client.validate()
            if not r.valid or r.source != "cached":
                raise SystemExit(f"validate() did not verify offline: {r}")

        def verify(key=key):
            if not key.verify(sig, signed):
                raise SystemExit("the raw verify rejected the signature")

        ops[(name, "validate")] = validate
        ops[(name, "verify")] = verify

    # Warm each path and size its batch, then alternate batches so all see the same machine.
    sizes = {k: max(1, int(rate(op, 20) * BATCH_SECONDS)) for k, op in ops.items()}
    rates = {k: [] for k in ops}
    order = list(ops)
    for r in range(args.rounds):
        for k in order[r % len(order):] + order[: r % len(order)]:
            rates[k].append(rate(ops[k], sizes[k]))
    out = {
        "python": sys.version.split()[0],
        "seatkey": seatkey.__version__,
        "rounds": args.rounds,
        "rates": {name: {what: statistics.median(rates[(name, what)]) for what in ("validate", "verify")} for name in verifiers},
    }
    try:
        import cryptography

        out["cryptography"] = cryptography.__version__
    except ImportError:
        out["cryptography"] = None
    print(json.dumps(out))


if __name__ == "__main__":
    main()
