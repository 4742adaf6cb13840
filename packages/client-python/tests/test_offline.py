"""Offline first: the grace period and its limits, a clock turned back, keys (bundled, fetched,
rotated, unknown), tampered and foreign tokens, and concurrent validate() calls — the Node SDK's
offline.test.ts case for case, under the trust rules of issue #9: keys never come from the cache
file, the grace runs from the token's signed iat, a passed lexp is refused offline."""
from __future__ import annotations

import json
import threading

import pytest

from conftest import DAY, HOUR, MACHINE, PRODUCT
from fake_seatkey import FakeSeatkey, new_key, sign_jwt
from seatkey import (
    BadResponseError,
    ClockRollbackError,
    FingerprintMismatchError,
    InvalidTokenError,
    LicenseExpiredError,
    NetworkError,
    OfflineGraceExpiredError,
    RateLimitedError,
    ServerError,
    WrongProductError,
)
from seatkey.keys import b64url_decode, b64url_encode


def edit_state(storage, change):
    state = json.loads(storage.read())
    change(state)
    storage.write(json.dumps(state))


class TestOfflineGrace:
    def test_keeps_the_app_licensed_and_says_so_when_a_due_check_cannot_reach_the_server(self, activated):
        f = activated()
        activated_at = f.clock.t
        f.fake.offline = True
        f.clock.advance(3 * DAY)
        r = f.client.validate()
        assert r.valid and r.source == "grace", "licensed within the grace period"
        assert isinstance(r.offline_error, NetworkError)
        assert r.last_online_at.timestamp() == int(activated_at), "the token's signed iat (whole seconds)"
        assert r.grace_ends_at.timestamp() == int(activated_at) + 7 * DAY
        assert f.fake.calls["validate"] == 1, "it did try"

    def test_a_new_run_measures_the_grace_from_the_tokens_signed_issue_time(self, activated):
        f = activated()
        f.fake.offline = True
        f.clock.advance(3 * DAY)
        r = f.new_client().validate()
        assert r.valid and r.source == "grace"
        iat = json.loads(b64url_decode(f.stored()["token"].split(".")[1]))["iat"]
        assert r.last_online_at.timestamp() == iat
        assert r.grace_ends_at.timestamp() == iat + 7 * DAY

    def test_ends_7_days_after_the_last_successful_check_and_keeps_the_cache(self, activated):
        f = activated()
        f.fake.offline = True
        f.clock.advance(7 * DAY - 1)
        assert f.client.validate().valid
        f.clock.advance(2)
        r = f.client.validate(online=True)
        assert not r.valid and isinstance(r.error, OfflineGraceExpiredError)
        assert isinstance(r.error.cause, NetworkError)
        assert r.error.retryable
        assert f.stored() is not None, "not a refusal: nothing is cleared"
        f.fake.offline = False
        back = f.client.validate(online=True)
        assert back.valid and back.source == "online"

    def test_restarts_from_each_successful_online_check(self, activated):
        f = activated()
        f.clock.advance(5 * DAY)
        assert f.client.validate().source == "online"  # day 5
        f.fake.offline = True
        f.clock.advance(6 * DAY)  # day 11: 6 days since the last check
        r = f.new_client().validate()  # a new run too: the fresh token's iat says day 5
        assert r.valid and r.source == "grace"

    def test_never_reaches_past_the_tokens_expiry(self, make):
        f = make()
        f.fake.token_ttl = 3 * 86_400
        license = f.client.activate(f.license.key).license
        f.fake.offline = True
        f.clock.advance(2 * DAY)
        within = f.client.validate()
        assert within.valid and within.source == "grace"
        assert within.grace_ends_at == license.token_expires_at, "the token ends before the 7 days"
        f.clock.advance(DAY + 1)
        r = f.client.validate(online=True)
        assert not r.valid and isinstance(r.error, OfflineGraceExpiredError)

    def test_honours_a_custom_grace_period(self, activated):
        f = activated(client={"offline_grace": 2 * DAY})
        f.fake.offline = True
        f.clock.advance(2 * DAY + 1)
        assert not f.client.validate().valid

    def test_covers_429_and_5xx_as_well_as_no_network(self, activated):
        f = activated()
        f.clock.advance(2 * DAY)
        f.fake.fail("validate", 500, "internal")
        r = f.client.validate()
        assert r.valid and r.source == "grace" and isinstance(r.offline_error, ServerError)
        f.fake.fail("validate", 429, "rate_limited", retry_after=60)
        limited = f.client.validate(online=True)
        assert limited.valid and isinstance(limited.offline_error, RateLimitedError)

    def test_waits_before_trying_again_after_a_failure_as_the_server_asked(self, activated):
        f = activated(client={"retry_interval": 600})
        f.clock.advance(2 * DAY)
        f.fake.offline = True
        assert f.client.validate().valid
        assert f.fake.calls["validate"] == 1
        f.clock.advance(9 * 60)
        meanwhile = f.client.validate()
        assert meanwhile.valid and meanwhile.source == "grace" and isinstance(meanwhile.offline_error, NetworkError)
        assert f.fake.calls["validate"] == 1, "no new attempt within the retry interval"
        f.clock.advance(2 * 60)
        f.fake.offline = False
        f.fake.fail("validate", 429, "rate_limited", retry_after=3600)
        assert f.client.validate().valid
        assert f.fake.calls["validate"] == 2
        f.clock.advance(HOUR - 1)
        f.client.validate()
        assert f.fake.calls["validate"] == 2, "Retry-After is honoured"
        f.clock.advance(2)
        r = f.client.validate()
        assert r.valid and r.source == "online"
        assert f.fake.calls["validate"] == 3

    def test_renews_an_expired_token_by_activating_again_taking_no_new_seat(self, activated):
        f = activated()
        f.clock.advance(31 * DAY)  # the app was not run for a month
        r = f.new_client().validate()
        assert r.valid and r.source == "online", r
        assert f.fake.calls["activate"] == 2
        assert "validate" not in f.fake.calls
        assert len(f.license.activations) == 1
        assert r.license.token_expires_at.timestamp() > f.clock.t

    def test_refuses_an_expired_token_when_the_server_cannot_be_reached(self, activated):
        f = activated(client={"offline_grace": 60 * DAY})
        f.fake.offline = True
        f.clock.advance(31 * DAY)
        r = f.client.validate()
        assert not r.valid and isinstance(r.error, OfflineGraceExpiredError)


class TestLicenceExpiry:
    def test_a_passed_lexp_is_refused_offline_and_the_cache_kept_for_a_renewal(self, make):
        f = make()
        f.license.expires_at = int(f.clock.t) + 3 * DAY
        f.client.activate(f.license.key)
        f.fake.offline = True
        f.clock.advance(2 * DAY)
        assert f.client.validate().valid
        f.clock.advance(DAY + 1)
        r = f.client.validate()
        assert not r.valid and isinstance(r.error, LicenseExpiredError)
        assert isinstance(r.error.cause, NetworkError), "it asked the server first"
        assert f.stored() is not None, "a renewal may be waiting on the server"
        # Renewed on the server: the next check that reaches it picks the new expiry up.
        f.license.expires_at = int(f.clock.t) + 30 * DAY
        f.fake.offline = False
        renewed = f.client.validate(online=True)
        assert renewed.valid and renewed.source == "online", renewed
        assert renewed.license.expires_at.timestamp() == f.license.expires_at

    def test_a_passed_lexp_with_a_legacy_token_still_alive_is_refused_offline(self, make):
        f = make()
        f.fake.legacy = True  # today's server: exp may outlive the licence
        f.license.expires_at = int(f.clock.t) + DAY
        license = f.client.activate(f.license.key).license
        assert license.token_expires_at > license.expires_at
        f.fake.offline = True
        f.clock.advance(DAY + 1)
        r = f.new_client().validate()
        assert not r.valid and isinstance(r.error, LicenseExpiredError)

    def test_the_server_answering_expired_forgets_the_activation(self, make):
        f = make()
        f.license.expires_at = int(f.clock.t) + DAY
        f.client.activate(f.license.key)
        f.clock.advance(DAY + 1)
        r = f.client.validate()
        assert not r.valid and isinstance(r.error, LicenseExpiredError)
        assert f.stored() is None


class TestClockTurnedBack:
    def test_is_a_failed_check_licensed_only_if_the_server_confirms(self, activated):
        f = activated()
        f.clock.advance(12 * HOUR)
        assert f.client.validate().valid  # seen at +12 h
        f.clock.advance(-6 * HOUR)
        online = f.client.validate()
        assert online.valid and online.source == "online", "the server was asked although no check was due"
        assert f.fake.calls["validate"] == 1
        f.clock.advance(-DAY)
        f.fake.offline = True
        r = f.client.validate()
        assert not r.valid and isinstance(r.error, ClockRollbackError)
        assert isinstance(r.error.cause, NetworkError)

    def test_is_caught_across_runs_against_the_time_saved_with_the_activation(self, activated):
        f = activated()
        f.clock.advance(2 * HOUR)
        assert f.new_client().validate().valid  # a later run: seen at +2 h, saved
        f.fake.offline = True
        f.clock.advance(-90 * 60)  # still after the token's issue time: only the saved mark knows
        r = f.new_client().validate()
        assert not r.valid and isinstance(r.error, ClockRollbackError)

    def test_is_caught_against_the_tokens_issue_time_on_the_servers_clock(self, make):
        f = make()
        f.fake.now = lambda: f.clock.t + 3 * HOUR  # the server is 3 hours ahead
        f.new_client().activate(f.license.key)
        # A clock that is merely slow stays licensed offline…
        f.fake.offline = True
        f.clock.advance(HOUR)
        slow = f.new_client().validate()
        assert slow.valid and slow.source == "cached", slow
        # …one turned back behind the issue time is not, even with the saved marks removed.
        f.clock.advance(-2 * HOUR)
        edit_state(f.storage, lambda s: s.update(clock=None))
        back = f.new_client().validate()
        assert not back.valid and isinstance(back.error, ClockRollbackError)

    def test_tolerates_a_small_step_back(self, activated):
        f = activated()
        f.clock.advance(HOUR)
        f.client.validate()
        f.clock.advance(-4 * 60)
        assert f.client.validate().valid
        assert "validate" not in f.fake.calls


class TestKeys:
    def test_fetched_keys_live_in_this_process_only_never_in_the_cache(self, make):
        f = make(client={"public_keys": None})
        f.client.activate(f.license.key)
        assert f.fake.calls["publicKey"] == 1
        assert "jwks" not in json.loads(f.storage.read()) and f.fake.current_kid not in f.storage.read()
        f.clock.advance(DAY + 1)
        assert f.client.validate().source == "online"
        assert f.fake.calls["publicKey"] == 1, "this process keeps them"
        # A new run needs the server once before it can verify the cached token…
        assert f.new_client().validate().valid
        assert f.fake.calls["publicKey"] == 2
        # …and cannot judge it without: invalid for now, and the activation kept.
        f.fake.offline = True
        r = f.new_client().validate()
        assert not r.valid and isinstance(r.error, NetworkError)
        assert f.stored() is not None

    def test_bundled_keys_verify_offline_in_a_new_run(self, activated):
        f = activated()
        f.fake.offline = True
        r = f.new_client().validate()
        assert r.valid and r.source == "cached"
        assert "publicKey" not in f.fake.calls

    def test_fetches_the_jwks_again_when_the_server_signs_with_a_new_kid(self, make):
        f = make(client={"public_keys": None})
        f.client.activate(f.license.key)
        f.fake.rotate_key()
        f.clock.advance(2 * DAY)
        r = f.client.validate()  # the fresh token is signed with the new key
        assert r.valid and r.source == "online", r
        assert f.fake.calls["publicKey"] == 2

    def test_uses_bundled_keys_only_never_fetching(self, activated):
        f = activated()
        assert f.client.validate().valid
        assert "publicKey" not in f.fake.calls
        # A token from a key the app was not shipped with is not trusted, whoever serves it.
        f.fake.rotate_key()
        other = f.fake.add_license(PRODUCT)
        with pytest.raises(BadResponseError):
            f.client.activate(other.key)
        assert "publicKey" not in f.fake.calls

    def test_drops_a_cached_token_signed_by_a_key_the_server_does_not_publish(self, make):
        f = make(client={"public_keys": None})
        f.client.activate(f.license.key)
        edit_state(f.storage, lambda s: s["activation"].update(token=f.fake.sign(f.license, MACHINE, key=new_key())))
        r = f.new_client().validate()
        assert not r.valid and isinstance(r.error, InvalidTokenError)
        assert f.fake.calls["publicKey"] == 2, "looked for the kid before giving up"
        assert f.stored() is None


class TestTampering:
    def test_a_forged_key_and_token_planted_in_the_cache_are_not_trusted(self, make):
        f = make(client={"public_keys": None})
        f.client.activate(f.license.key)
        forger = new_key()
        forged = f.fake.sign(f.license, MACHINE, key=forger, ttl=75 * 365 * DAY)

        def plant(state):
            state["activation"]["token"] = forged
            state["jwks"] = [forger.jwk]  # where the Node SDK kept fetched keys before issue #9
            state["keys"] = [forger.jwk]

        edit_state(f.storage, plant)
        f.fake.offline = True
        offline = f.new_client().validate()
        assert not offline.valid and isinstance(offline.error, NetworkError), "unjudgeable offline, never valid"
        f.fake.offline = False
        online = f.new_client().validate()
        assert not online.valid and isinstance(online.error, InvalidTokenError)
        assert f.stored() is None
        # With bundled keys the forgery is refused at once, offline.
        g = make(activate=True)
        edit_state(g.storage, lambda s: s["activation"].update(token=g.fake.sign(g.license, MACHINE, key=forger)))
        g.fake.offline = True
        r = g.new_client().validate()
        assert not r.valid and isinstance(r.error, InvalidTokenError)

    def test_rejects_a_cached_token_whose_claims_were_edited_and_clears_it(self, activated):
        f = activated()

        def extend(state):
            h, p, s = state["activation"]["token"].split(".")
            claims = json.loads(b64url_decode(p))
            claims["exp"] += 365 * 86_400
            state["activation"]["token"] = f"{h}.{b64url_encode(json.dumps(claims).encode())}.{s}"

        edit_state(f.storage, extend)
        r = f.new_client().validate()
        assert not r.valid and isinstance(r.error, InvalidTokenError) and r.error.definitive
        assert f.stored() is None

    def test_rejects_an_activation_copied_to_another_machine_without_taking_a_seat(self, activated):
        f = activated()
        r = f.new_client(fingerprint="machine-two").validate(online=True)
        assert not r.valid and isinstance(r.error, FingerprintMismatchError)
        assert f.fake.calls["activate"] == 1
        assert "validate" not in f.fake.calls, "decided offline"
        assert len(f.license.activations) == 1
        assert f.stored() is None

    def test_edited_times_in_the_cache_do_not_stretch_the_grace(self, activated):
        f = activated()

        def stretch(state):
            far = f.clock.t + 365 * DAY
            state["activation"]["lastOnlineAt"] = far  # the Node SDK's field before issue #9
            state["clock"] = {"serverTime": 0, "localAtServerTime": far, "lastSeenAt": 0}

        edit_state(f.storage, stretch)
        f.fake.offline = True
        f.clock.advance(7 * DAY + 1)
        r = f.new_client().validate()
        assert not r.valid and isinstance(r.error, OfflineGraceExpiredError), "the signed iat rules"

    def test_a_token_for_another_audience_is_another_products(self, activated):
        f = activated()
        edit_state(f.storage, lambda s: s["activation"].update(token=f.fake.sign(f.license, MACHINE, aud="other-app")))
        r = f.new_client().validate()
        assert not r.valid and isinstance(r.error, WrongProductError)

    def test_a_named_issuer_must_match_when_the_token_names_one(self, activated):
        f = activated(client={"issuer": FakeSeatkey.ISSUER})
        assert f.client.validate().valid
        edit_state(f.storage, lambda s: s["activation"].update(token=f.fake.sign(f.license, MACHINE, iss="someone-else")))
        r = f.new_client().validate()
        assert not r.valid and isinstance(r.error, InvalidTokenError)
        # A token from a server before iss: the signature by this deployment's key says enough.
        g = activated(client={"issuer": FakeSeatkey.ISSUER})
        g.fake.legacy = True
        edit_state(g.storage, lambda s: s["activation"].update(token=g.fake.sign(g.license, MACHINE)))
        assert g.new_client().validate().valid

    def test_a_token_with_a_crit_header_or_another_algorithm_is_invalid(self, activated):
        f = activated()
        payload = json.loads(b64url_decode(f.stored()["token"].split(".")[1]))
        key = f.fake.keys[0]
        for header in ({"alg": "EdDSA", "kid": key.kid, "crit": ["exp"]}, {"alg": "HS256", "kid": key.kid}, {"alg": "none", "kid": key.kid}):
            g = activated()
            g.fake.keys[0] = key
            edit_state(g.storage, lambda s: s["activation"].update(token=sign_jwt(header, payload, key)))
            r = g.new_client(public_keys=f.fake.jwks).validate()
            assert not r.valid and isinstance(r.error, InvalidTokenError), header


class TestLegacyServer:
    """Today's server (before issue #9): tokens without aud or iss, a fresh token only near expiry."""

    def test_tokens_without_aud_and_iss_are_accepted(self, make):
        f = make()
        f.fake.legacy = True
        f.client.activate(f.license.key)
        claims = json.loads(b64url_decode(f.stored()["token"].split(".")[1]))
        assert "aud" not in claims and "iss" not in claims
        assert f.new_client().validate().valid

    def test_the_grace_runs_from_the_tokens_issue_and_a_check_only_schedules_the_next(self, make):
        f = make()
        f.fake.legacy = True
        f.client.activate(f.license.key)
        f.clock.advance(5 * DAY)
        checked = f.client.validate()
        assert checked.source == "online"  # the same token back: its iat stays at day 0
        assert checked.next_online_check_at.timestamp() == pytest.approx(f.clock.t + DAY), "checked today: due tomorrow"
        assert f.client.validate().source == "cached", "no request per call"
        f.fake.offline = True
        f.clock.advance(DAY + 1)
        assert f.client.validate().source == "grace"
        f.clock.advance(DAY)  # day 7 from the signed iat
        for run in (f.client, f.new_client()):
            r = run.validate(online=True)
            assert not r.valid and isinstance(r.error, OfflineGraceExpiredError), "the day-5 check does not stretch the grace"


class TestConcurrentValidate:
    def run_together(self, calls):
        results = [None] * len(calls)

        def run(i, call):
            results[i] = call()

        threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        return results

    def test_share_one_request(self, activated):
        f = activated()
        f.clock.advance(2 * DAY)
        f.fake.delay = 0.05
        results = self.run_together([f.client.validate] * 8)
        assert f.fake.calls["validate"] == 1
        assert all(r.valid and r.source == "online" for r in results)

    def test_share_one_forced_check_and_a_plain_call_shares_it_too(self, activated):
        f = activated()
        f.fake.delay = 0.05
        results = self.run_together([lambda: f.client.validate(online=True), f.client.validate, lambda: f.client.validate(online=True)])
        assert f.fake.calls["validate"] == 1
        assert all(r.valid and r.source == "online" for r in results)

    def test_share_one_failed_request_too(self, activated):
        f = activated()
        f.clock.advance(2 * DAY)
        f.fake.offline = True
        results = self.run_together([f.client.validate] * 5)
        assert f.fake.calls["validate"] == 1
        assert all(r.valid and r.source == "grace" for r in results)
