"""The client against the real functions in the emulators, end to end (``npm test`` runs this
inside its emulator run, once with ``cryptography`` and once with the pure-Python verifier, so
both check tokens the real server signed). Outside ``npm test`` it skips, saying why; under it,
a server that does not answer fails."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import urllib.request
from collections import Counter

import pytest

from seatkey import InvalidTokenError, LicenseRevokedError, MachineLimitError, MemoryStorage, NotActivatedError, SeatkeyClient
from seatkey.keys import b64url_decode

BASE_URL = os.environ.get("SEATKEY_BASE_URL")
ADMIN_SECRET = os.environ.get("SEATKEY_ADMIN_SECRET")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

if not (BASE_URL and ADMIN_SECRET) and os.environ.get("SEATKEY_NPM_TEST") != "1":
    pytest.skip("SEATKEY_BASE_URL is not set: run through `npm test` for the emulator tests", allow_module_level=True)


def uid(prefix: str) -> str:
    return f"{prefix}-{os.urandom(5).hex()}"


def admin(name: str, body: dict, headers: dict) -> dict:
    request = urllib.request.Request(f"{BASE_URL}/{name}", data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **headers}, method="POST")
    with urllib.request.urlopen(request, timeout=120) as res:
        return json.loads(res.read())


def new_license(**product) -> tuple:
    """A fresh creator, product and licence: (productId, licenceKey)."""
    creator = uid("py")
    api_key = admin("createApiKey", {"creatorId": creator, "name": "python tests"}, {"X-Admin-Secret": ADMIN_SECRET})["apiKey"]
    product_id = uid("py-app")
    admin("createProduct", {"name": "Python test app", "slug": product_id, "maxMachines": 1, **product}, {"X-API-Key": api_key})
    key = admin("createLicense", {"email": "buyer@example.com", "productId": product_id}, {"X-API-Key": api_key})["licenseKey"]
    return product_id, key


class Wire:
    """urlopen for the client: each client from an address of its own (client endpoints are rate
    limited per IP), counting the requests per endpoint."""

    def __init__(self):
        self.ip = "10." + ".".join(str(random.randint(1, 254)) for _ in range(3))
        self.calls = Counter()

    def __call__(self, request, timeout):
        request.add_header("X-Forwarded-For", self.ip)
        self.calls[request.full_url.rsplit("/", 1)[-1]] += 1
        return urllib.request.urlopen(request, timeout=timeout)


def client_for(product_id, fingerprint=None, **options):
    wire = options.pop("wire", None) or Wire()
    c = SeatkeyClient(BASE_URL, product_id, fingerprint=fingerprint or uid("machine"), storage=options.pop("storage", MemoryStorage()), urlopen=wire, timeout=120, **options)
    c.wire = wire
    return c


def claims_of(token: str) -> dict:
    return json.loads(b64url_decode(token.split(".")[1]))


def test_activates_validates_offline_and_online_verifies_and_deactivates():
    product_id, key = new_license()
    client = client_for(product_id)
    activation = client.activate(key)
    assert activation.license.product_id == product_id
    assert activation.license.license_type == "per-machine"
    assert activation.license.machines_used == 1

    cached = client.validate()
    assert cached.valid and cached.source == "cached"
    online = client.validate(online=True)
    assert online.valid and online.source == "online", online

    status = client.verify(key)
    assert status.status == "active" and status.machines_used == 1

    again = client_for(product_id, client.fingerprint()).activate(key)
    assert again.license.machines_used == 1, "the same machine takes no new seat"

    assert client.deactivate().machines_used == 0
    after = client.validate()
    assert not after.valid and isinstance(after.error, NotActivatedError)


def test_tokens_name_the_product_and_aud_when_the_server_sends_it():
    product_id, key = new_license()
    storage = MemoryStorage()
    client_for(product_id, storage=storage).activate(key)
    claims = claims_of(json.loads(storage.read())["activation"]["token"])
    assert claims["pid"] == product_id
    # Before issue #9 the server sends no aud and no iss; after it, aud is the product.
    assert claims.get("aud", product_id) == product_id


def test_keys_bundled_with_python_m_seatkey_keys_verify_offline_in_a_new_run(tmp_path):
    keys_file = tmp_path / "seatkey_keys.json"
    run = subprocess.run([sys.executable, "-m", "seatkey", "keys", "--base-url", BASE_URL, "-o", str(keys_file)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    jwks = json.loads(keys_file.read_text())
    assert jwks["keys"] and all(k["kty"] == "OKP" and k["crv"] == "Ed25519" for k in jwks["keys"])

    product_id, key = new_license()
    storage = MemoryStorage()
    first = client_for(product_id, "studio-pc-1", storage=storage, public_keys=jwks)
    first.activate(key)
    later = client_for(product_id, "studio-pc-1", storage=storage, public_keys=jwks)
    r = later.validate()
    assert r.valid and r.source == "cached"
    assert first.wire.calls["publicKey"] == 0 and later.wire.calls == Counter(), "no request at all"

    # The real server's signature, one character changed, is refused offline.
    state = json.loads(storage.read())
    token = state["activation"]["token"]
    state["activation"]["token"] = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    storage.write(json.dumps(state))
    tampered = client_for(product_id, "studio-pc-1", storage=storage, public_keys=jwks).validate()
    assert not tampered.valid and isinstance(tampered.error, InvalidTokenError)


def test_refuses_a_machine_past_the_limit_with_machine_limit_error():
    product_id, key = new_license()
    client_for(product_id).activate(key)
    with pytest.raises(MachineLimitError) as caught:
        client_for(product_id).activate(key)
    assert str(caught.value) == "Machine limit reached (1). Deactivate another machine first."


def test_renews_a_floating_seat_with_heartbeats():
    product_id, key = new_license(licenseType="floating", maxConcurrent=1)
    client = client_for(product_id)
    client.activate(key)
    beat = client.heartbeat()
    assert beat.lease_expires_at is not None
    assert beat.next_heartbeat_seconds and beat.next_heartbeat_seconds > 0


def test_drops_the_cached_activation_once_the_licence_is_revoked():
    product_id, key = new_license()
    client = client_for(product_id)
    client.activate(key)
    admin("revokeLicense", {"licenseKey": key, "reason": "manual"}, {"X-Admin-Secret": ADMIN_SECRET})
    r = client.validate(online=True)
    assert not r.valid and isinstance(r.error, LicenseRevokedError), r
    later = client.validate()
    assert not later.valid and isinstance(later.error, NotActivatedError)
