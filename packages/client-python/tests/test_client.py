"""The client against a fake Seatkey: activation, online validation, deactivation, verify, and
the contract's errors as typed errors (the Node SDK's client.test.ts, case for case)."""
from __future__ import annotations

import io
import json
import socket
import time
import urllib.request

import pytest

from conftest import DAY, MACHINE, PRODUCT
from seatkey import (
    BadResponseError,
    BusyError,
    InvalidRequestError,
    LicenseExpiredError,
    LicenseNotFoundError,
    LicenseRevokedError,
    LicenseSuspendedError,
    MachineLimitError,
    MemoryStorage,
    NetworkError,
    NotActivatedError,
    RateLimitedError,
    SeatkeyClient,
    SeatkeyError,
    ServerError,
    WrongProductError,
    mask_license_key,
)


class TestActivate:
    def test_activates_caches_the_verified_token_and_reports_the_licence(self, make):
        f = make(license={"max_machines": 3})
        r = f.client.activate(f"  {f.license.key.lower()}  ", hostname="build-box")
        assert r.message == "Activated"
        assert r.license.license_key == f.license.key, "the key as the token names it"
        assert r.license.product_id == PRODUCT
        assert r.license.license_type == "per-machine"
        assert r.license.machines_used == 1
        assert r.license.max_machines == 3
        assert r.license.activation_id == f.license.activations[MACHINE]
        assert r.license.expires_at is None
        assert r.license.token_expires_at.timestamp() > f.clock.t + 29 * DAY
        assert f.fake.last_body["activate"] == {"licenseKey": f.license.key.lower(), "machineFingerprint": MACHINE, "hostname": "build-box", "productId": PRODUCT}
        stored = f.stored()
        assert stored["licenseKey"] == f.license.key
        assert isinstance(stored["token"], str)

    def test_sends_the_os_hostname_and_reads_the_licence_expiry_from_the_token(self, make):
        f = make(license={"license_type": "floating"})
        expires_at = int(f.clock.t) + 90 * 86_400
        f.license.expires_at = expires_at
        r = f.client.activate(f.license.key)
        assert f.fake.last_body["activate"]["hostname"] == socket.gethostname()
        assert r.license.expires_at.timestamp() == expires_at
        assert r.license.license_type == "floating"
        assert r.next_heartbeat_seconds == 300
        assert r.license.lease_expires_at is not None

    @pytest.mark.parametrize(
        "what,license,error,code,status",
        [
            ("an unknown key", {}, LicenseNotFoundError, "not_found", 404),
            ("a revoked licence", {"status": "revoked"}, LicenseRevokedError, "revoked", 403),
            ("a suspended licence", {"status": "suspended"}, LicenseSuspendedError, "suspended", 403),
            ("an expired licence", {"expires_at": time.time() - 60}, LicenseExpiredError, "expired", 403),
            ("another product", {"product_id": "other-app"}, WrongProductError, "wrong_product", 403),
        ],
    )
    def test_refusals_are_typed_definitive_and_cache_nothing(self, make, what, license, error, code, status):
        product = license.pop("product_id", None)
        f = make(license=license)
        if product:
            f.license.product_id = product
        key = "NOPE-0000-0000-0000-00" if code == "not_found" else f.license.key
        with pytest.raises(error) as caught:
            f.client.activate(key)
        e = caught.value
        assert isinstance(e, SeatkeyError)
        assert (e.code, e.status, e.retryable, e.definitive) == (code, status, False, True)
        assert f.storage.read() is None, "nothing cached"

    def test_a_full_licence_raises_machine_limit_naming_the_limit(self, make):
        f = make(license={"max_machines": 1})
        f.license.activations["someone-else"] = "act_other"
        with pytest.raises(MachineLimitError) as caught:
            f.client.activate(f.license.key)
        e = caught.value
        assert e.code == "machine_limit"
        assert e.max_machines == 1
        assert str(e) == "Machine limit reached (1). Deactivate another machine first."
        assert (e.retryable, e.definitive) == (False, False)
        assert len(f.license.activations) == 1

    def test_429_with_retry_after_503_and_5xx_pages_are_retryable(self, make):
        f = make()
        f.fake.fail("activate", 429, "rate_limited", retry_after=120)
        with pytest.raises(RateLimitedError) as limited:
            f.client.activate(f.license.key)
        assert limited.value.retry_after == 120
        assert limited.value.retryable

        f.fake.fail("activate", 503, "busy", retry_after=1)
        with pytest.raises(BusyError) as busy:
            f.client.activate(f.license.key)
        assert busy.value.retryable

        f.fake.fail("activate", 502, raw="<html>Bad gateway</html>")
        with pytest.raises(ServerError) as gateway:
            f.client.activate(f.license.key)
        assert gateway.value.status == 502, "a proxy page is judged by its status"
        assert gateway.value.retryable

        f.fake.fail("activate", 200, raw="<html>Welcome to the hotel wifi</html>")
        with pytest.raises(BadResponseError) as portal:
            f.client.activate(f.license.key)
        assert portal.value.retryable

    def test_an_unreachable_server_is_a_network_error_without_the_key_in_it(self, make):
        f = make()
        f.fake.offline = True
        with pytest.raises(NetworkError) as caught:
            f.client.activate(f.license.key)
        assert caught.value.retryable
        assert f.license.key not in str(caught.value)

    def test_a_closed_port_is_a_network_error(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        client = SeatkeyClient(f"http://127.0.0.1:{port}", PRODUCT, fingerprint=MACHINE, storage=MemoryStorage(), timeout=2)
        with pytest.raises(NetworkError):
            client.activate("TEST-0000-0000-0000-00")

    def test_an_empty_key_is_refused_without_a_request(self, make):
        f = make()
        with pytest.raises(InvalidRequestError):
            f.client.activate("   ")
        assert f.fake.calls == {}

    def test_refuses_a_token_that_does_not_verify_and_keeps_the_old_activation(self, activated):
        f = activated()
        before = f.storage.read()

        def tamper(request, timeout):
            # A man in the middle (or a broken server) hands back a token with a flipped signature.
            with urllib.request.urlopen(request, timeout=timeout) as res:
                body = json.loads(res.read())
            if isinstance(body.get("token"), str):
                body["token"] = body["token"][:-4] + "AAAA"
            fake = io.BytesIO(json.dumps(body).encode())
            fake.status, fake.headers = 200, {}
            return fake

        client = f.new_client(urlopen=tamper)
        other = f.fake.add_license(PRODUCT)
        with pytest.raises(BadResponseError):
            client.activate(other.key)
        assert f.storage.read() == before
        assert client.validate().valid, "the old activation still holds"
        assert len(f.license.activations) == 1


class TestValidateOnline:
    def test_answers_from_the_cache_then_asks_the_server_once_a_day(self, activated):
        f = activated()
        cached = f.client.validate()
        assert cached.valid and cached.source == "cached"
        assert "validate" not in f.fake.calls, "no request"

        f.clock.advance(DAY - 1)
        assert f.client.validate().source == "cached"
        assert "validate" not in f.fake.calls

        f.clock.advance(2)
        online = f.client.validate()
        assert online.valid and online.source == "online"
        assert f.fake.calls["validate"] == 1
        assert online.last_online_at.timestamp() == pytest.approx(f.clock.t)
        assert online.next_online_check_at.timestamp() == pytest.approx(f.clock.t + DAY)
        assert sorted(f.fake.last_body["validate"]) == ["licenseKey", "machineFingerprint", "productId", "token"]
        assert f.fake.last_body["validate"]["productId"] == PRODUCT

        assert f.client.validate().source == "cached"
        assert f.fake.calls["validate"] == 1

    def test_goes_online_on_request_and_honours_a_custom_interval(self, activated):
        f = activated(client={"online_interval": 60})
        forced = f.client.validate(online=True)
        assert forced.valid and forced.source == "online"
        assert f.fake.calls["validate"] == 1
        f.clock.advance(61)
        assert f.client.validate().valid
        assert f.fake.calls["validate"] == 2

    def test_online_false_never_uses_the_network(self, activated):
        f = activated()
        f.clock.advance(2 * DAY)
        r = f.client.validate(online=False)
        assert r.valid and r.source == "grace"
        assert isinstance(r.offline_error, NetworkError)
        assert "validate" not in f.fake.calls

    def test_stores_each_fresh_token_the_server_sends(self, activated):
        f = activated()
        first = f.stored()["token"]
        f.clock.advance(2 * DAY)
        r = f.client.validate()
        assert r.valid and r.source == "online"
        assert f.stored()["token"] != first
        assert r.license.token_expires_at.timestamp() == int(f.clock.t) + f.fake.token_ttl

    def test_a_short_lived_token_is_checked_at_half_its_life_whatever_the_interval(self, make):
        f = make(client={"online_interval": 30 * DAY})
        f.fake.token_ttl = 86_400  # a degraded licence's 24 h token
        f.client.activate(f.license.key)
        f.clock.advance(11 * 3600)
        assert f.client.validate().source == "cached"
        f.clock.advance(2 * 3600)
        r = f.client.validate()
        assert r.valid and r.source == "online", "due after 12 h of a 24 h token"

    @pytest.mark.parametrize("code", ["revoked", "suspended", "expired", "fingerprint_mismatch", "not_activated", "not_found", "invalid_token", "wrong_product"])
    def test_clears_the_cache_when_the_server_refuses(self, activated, code):
        f = activated()
        f.fake.fail("validate", 404 if code == "not_found" else 403, code)
        r = f.client.validate(online=True)
        assert not r.valid and r.error.code == code
        assert f.stored() is None
        later = f.new_client().validate()
        assert not later.valid and isinstance(later.error, NotActivatedError)
        assert f.fake.calls["validate"] == 1, "nothing left to ask about"

    def test_a_licence_revoked_on_the_server_is_refused_at_the_next_due_check(self, activated):
        f = activated()
        f.license.status = "revoked"
        assert f.client.validate().valid, "offline first: not due yet"
        f.clock.advance(DAY + 1)
        r = f.client.validate()
        assert not r.valid and isinstance(r.error, LicenseRevokedError)

    def test_not_activated_without_a_request_when_nothing_is_cached(self, make):
        f = make()
        r = f.client.validate()
        assert not r.valid and isinstance(r.error, NotActivatedError) and r.error.definitive
        assert not r
        assert f.fake.calls == {}


class TestDeactivate:
    def test_frees_the_seat_and_forgets_the_activation(self, activated):
        f = activated()
        r = f.client.deactivate()
        assert (r.machines_used, r.max_machines) == (0, 2)
        assert f.license.activations == {}
        assert f.stored() is None
        v = f.client.validate()
        assert not v.valid and isinstance(v.error, NotActivatedError)

    def test_keeps_the_activation_when_the_server_cannot_be_reached(self, activated):
        f = activated()
        f.fake.offline = True
        with pytest.raises(NetworkError):
            f.client.deactivate()
        assert f.stored() is not None
        f.fake.offline = False
        f.client.deactivate()
        assert f.license.activations == {}

    def test_clears_the_cache_when_the_server_says_not_activated(self, activated):
        f = activated()
        f.license.activations.clear()
        with pytest.raises(NotActivatedError):
            f.client.deactivate()
        assert f.stored() is None

    def test_deactivates_another_key_for_this_machine_without_touching_the_cached_one(self, activated):
        f = activated()
        other = f.fake.add_license(PRODUCT)
        other.activations[MACHINE] = "act_x"
        f.client.deactivate(license_key=other.key)
        assert other.activations == {}
        assert f.stored() is not None

    def test_needs_an_activation_or_a_key(self, make):
        f = make()
        with pytest.raises(NotActivatedError):
            f.client.deactivate()
        assert f.fake.calls == {}


def test_verify_returns_the_servers_view_without_activating(make):
    f = make(license={"license_type": "site", "max_machines": -1})
    r = f.client.verify(f.license.key)
    assert (r.status, r.license_type, r.product_id, r.max_machines) == ("active", "site", PRODUCT, -1)
    assert f.license.activations == {}
    assert f.storage.read() is None
    with pytest.raises(LicenseNotFoundError):
        f.client.verify("NOPE-0000-0000-0000-00")


def test_errors_serialise_without_a_traceback_and_keys_mask_for_display():
    from seatkey import LicenseRevokedError as Revoked

    e = Revoked("revoked", "This licence is revoked", 403)
    assert e.to_dict() == {"code": "revoked", "message": "This licence is revoked", "status": 403, "retryable": False}
    assert json.dumps(e.to_dict())
    assert mask_license_key("ACME-7K2M-9QRT-XW4P-Q4") == "ACME-****-****-****-Q4"


def test_the_base_url_must_be_http():
    with pytest.raises(ValueError):
        SeatkeyClient("ftp://example.com", PRODUCT, storage=MemoryStorage())
    with pytest.raises(ValueError):
        SeatkeyClient("http://127.0.0.1:9", "", storage=MemoryStorage())


def test_bundled_keys_must_hold_a_usable_key_and_the_verifier_must_exist():
    with pytest.raises(ValueError):
        SeatkeyClient("http://127.0.0.1:9", PRODUCT, public_keys={"keys": [{"kty": "RSA", "kid": "a", "n": "x", "e": "AQAB"}]}, storage=MemoryStorage())
    with pytest.raises(ValueError):
        SeatkeyClient("http://127.0.0.1:9", PRODUCT, verifier="openssl-please", storage=MemoryStorage())
    from conftest import cryptography_available

    if not cryptography_available():
        with pytest.raises(ValueError):
            SeatkeyClient("http://127.0.0.1:9", PRODUCT, verifier="cryptography", storage=MemoryStorage())


def test_either_verifier_can_be_chosen_and_they_agree(activated):
    from conftest import cryptography_available

    f = activated()
    choices = ["pure-python"] + (["cryptography"] if cryptography_available() else [])
    for name in choices:
        r = f.new_client(verifier=name).validate()
        assert r.valid and r.source == "cached", name
