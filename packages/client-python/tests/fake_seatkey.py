"""A small Seatkey on a local port for the client's tests and benchmark, as the Node SDK's
``fakeSeatkey.ts``: the client endpoints with the contract's shapes and codes, real Ed25519
tokens, and knobs to take it offline, make it fail, rotate its key or move its clock.

By default it answers as the server does after issue #9 (tokens carry ``aud`` and ``iss``,
``exp`` never passes the licence's expiry, ``validate`` returns a fresh token on every
success); ``legacy = True`` answers as the server before it (no ``aud``/``iss``, a fresh token
only within 7 days of expiry)."""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional

from seatkey.keys import b64url_decode, b64url_encode

import ed25519_signer

DAY = 86_400


def fp_claim(fingerprint: str) -> str:
    return b64url_encode(hashlib.sha256(fingerprint.encode("utf-8")).digest())


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class SigningKey:
    kid: str
    seed: bytes
    public: bytes

    @property
    def jwk(self) -> Dict[str, str]:
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(self.public), "kid": self.kid, "alg": "EdDSA", "use": "sig"}


def new_key() -> SigningKey:
    seed = ed25519_signer.new_seed()
    return SigningKey(kid=os.urandom(6).hex(), seed=seed, public=ed25519_signer.public_key(seed))


def sign_jwt(header: Dict[str, Any], payload: Dict[str, Any], key: SigningKey) -> str:
    signing_input = b64url_encode(json.dumps(header).encode()) + "." + b64url_encode(json.dumps(payload).encode())
    return signing_input + "." + b64url_encode(ed25519_signer.sign(key.seed, signing_input.encode()))


@dataclass
class FakeLicense:
    key: str
    product_id: str
    license_type: str = "per-machine"
    status: str = "active"
    max_machines: int = 2
    expires_at: Optional[float] = None
    """Unix seconds, or None."""
    activations: Dict[str, str] = field(default_factory=dict)
    """fingerprint -> activation id"""


class FakeSeatkey:
    ISSUER = "demo-seatkey"

    def __init__(self) -> None:
        self.licenses: Dict[str, FakeLicense] = {}
        self.calls: Dict[str, int] = {}
        self.last_body: Dict[str, Dict[str, Any]] = {}
        self.offline = False
        self.delay = 0.0
        self.token_ttl = 30 * DAY
        self.heartbeat_seconds = 300
        self.legacy = False
        self.now: Callable[[], float] = time.time
        self.keys: List[SigningKey] = [new_key()]
        self._failures: Dict[str, List[Dict[str, Any]]] = {}
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._handle(self)

            def do_POST(self) -> None:
                fake._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/demo-seatkey/us-central1"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def jwks(self) -> Dict[str, Any]:
        return {"keys": [k.jwk for k in self.keys]}

    @property
    def current_kid(self) -> str:
        return self.keys[0].kid

    def add_license(self, product_id: str, **fields: Any) -> FakeLicense:
        key = fields.pop("key", None) or "TEST-" + "-".join(os.urandom(2).hex().upper() for _ in range(3)) + "-ZZ"
        lic = FakeLicense(key=key, product_id=product_id, **fields)
        self.licenses[key] = lic
        return lic

    def fail(self, endpoint: str, status: int, code: Optional[str] = None, retry_after: Optional[float] = None, raw: Optional[str] = None, times: int = 1) -> None:
        """The next ``times`` calls to ``endpoint`` get this failure instead of an answer."""
        self._failures.setdefault(endpoint, []).extend([{"status": status, "code": code, "retry_after": retry_after, "raw": raw}] * times)

    def rotate_key(self, retire_old: bool = False) -> None:
        """Signs with a fresh key from now on; the old one stays published unless ``retire_old``."""
        self.keys = [new_key()] if retire_old else [new_key(), *self.keys]

    def sign(self, lic: FakeLicense, fingerprint: str, iat: Optional[float] = None, ttl: Optional[float] = None, key: Optional[SigningKey] = None, **extra: Any) -> str:
        """A token as the server would issue it (tests also use it to forge and tamper)."""
        issued = int(iat if iat is not None else self.now())
        exp = issued + int(ttl if ttl is not None else self.token_ttl)
        if not self.legacy and lic.expires_at is not None:
            exp = min(exp, int(lic.expires_at))
        payload: Dict[str, Any] = {
            "fp": fp_claim(fingerprint),
            "pid": lic.product_id,
            "lt": lic.license_type,
            "lexp": lic.expires_at,
            "aid": lic.activations.get(fingerprint, "act_none"),
            "sub": lic.key,
            "iat": issued,
            "exp": exp,
        }
        if not self.legacy:
            payload.update(aud=lic.product_id, iss=self.ISSUER)
        payload.update(extra)
        signer = key or self.keys[0]
        return sign_jwt({"alg": "EdDSA", "kid": signer.kid, "typ": "JWT"}, payload, signer)

    def verify_token(self, token: str) -> Optional[Dict[str, Any]]:
        parts = token.split(".")
        if len(parts) != 3:
            return None
        header = json.loads(b64url_decode(parts[0]) or b"{}")
        key = next((k for k in self.keys if k.kid == header.get("kid")), None)
        signature = b64url_decode(parts[2]) or b""
        from seatkey import _ed25519

        if key is None or not _ed25519.verify(key.public, signature, f"{parts[0]}.{parts[1]}".encode()):
            return None
        claims = json.loads(b64url_decode(parts[1]) or b"{}")
        return claims if claims.get("exp", 0) > self.now() else None

    # ---- the server ----

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        endpoint = req.path.split("?")[0].rstrip("/").split("/")[-1]
        with self._lock:
            self.calls[endpoint] = self.calls.get(endpoint, 0) + 1
        if self.offline:
            # Drop the connection without an answer, as an unreachable server would.
            req.close_connection = True
            return
        length = int(req.headers.get("Content-Length") or 0)
        text = req.rfile.read(length) if length else b""
        if self.delay:
            time.sleep(self.delay)
        valid_group = endpoint in ("validate", "verify")

        def send(status: int, body: Any, headers: Optional[Dict[str, str]] = None, content_type: str = "application/json") -> None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            req.send_response(status)
            req.send_header("Content-Type", content_type)
            req.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                req.send_header(k, v)
            req.end_headers()
            req.wfile.write(data)

        def refuse(status: int, code: str, error: str, headers: Optional[Dict[str, str]] = None) -> None:
            send(status, {("valid" if valid_group else "success"): False, "error": error, "code": code}, headers)

        with self._lock:
            queue = self._failures.get(endpoint)
            failure = queue.pop(0) if queue else None
        if failure:
            headers = {} if failure["retry_after"] is None else {"Retry-After": str(failure["retry_after"])}
            if failure["raw"] is not None:
                return send(failure["status"], failure["raw"], headers, "text/html")
            code = failure["code"] or "internal"
            return refuse(failure["status"], code, f"Simulated {code}", headers)
        if endpoint == "publicKey":
            return send(200, self.jwks, {"Cache-Control": "public, max-age=300"})
        try:
            body = json.loads(text or b"{}")
        except ValueError:
            return refuse(400, "invalid_request", "Malformed JSON")
        self.last_body[endpoint] = body
        handler = getattr(self, f"_{endpoint}", None)
        if handler is None:
            return send(404, f"Function {endpoint} does not exist", content_type="text/plain")
        with self._lock:
            outcome = handler(body)
        status, reply = outcome
        if status != 200:
            return refuse(status, reply["code"], reply["error"])
        send(200, {("valid" if valid_group else "success"): True, **reply, "serverTime": iso(self.now())})

    # Each endpoint: (200, fields) or (status, {"code", "error"}).

    def _license(self, body: Dict[str, Any]) -> Optional[FakeLicense]:
        key = body.get("licenseKey")
        return self.licenses.get(key.strip().upper()) if isinstance(key, str) else None

    def _state_refusal(self, lic: FakeLicense) -> Optional[tuple]:
        if lic.status in ("revoked", "suspended"):
            return (403, {"code": lic.status, "error": f"This licence is {lic.status}"})
        if lic.expires_at is not None and lic.expires_at <= self.now():
            return (403, {"code": "expired", "error": "This licence has expired"})
        return None

    def _used(self, lic: FakeLicense) -> Dict[str, Any]:
        return {"machinesUsed": len(lic.activations), "maxMachines": lic.max_machines}

    def _lease(self, lic: FakeLicense) -> Dict[str, Any]:
        if lic.license_type != "floating":
            return {}
        return {"leaseExpiresAt": iso(self.now() + self.heartbeat_seconds), "nextHeartbeatSeconds": self.heartbeat_seconds}

    def _activate(self, body: Dict[str, Any]) -> tuple:
        fp = body.get("machineFingerprint")
        if not isinstance(fp, str) or not isinstance(body.get("productId"), str):
            return (400, {"code": "invalid_request", "error": "machineFingerprint and productId are required"})
        lic = self._license(body)
        if lic is None:
            return (404, {"code": "not_found", "error": "Licence not found"})
        if lic.product_id != body["productId"]:
            return (403, {"code": "wrong_product", "error": "This licence is for another product"})
        refusal = self._state_refusal(lic)
        if refusal:
            return refusal
        if fp not in lic.activations:
            if lic.max_machines != -1 and len(lic.activations) >= lic.max_machines:
                return (403, {"code": "machine_limit", "error": f"Machine limit reached ({lic.max_machines}). Deactivate another machine first."})
            lic.activations[fp] = "act_" + os.urandom(4).hex()
        token = self.sign(lic, fp)
        reply = {
            "token": token,
            "licenseExpiresAt": None if lic.expires_at is None else iso(lic.expires_at),
            **self._used(lic),
            "status": lic.status,
            "variant": None,
            "activationId": lic.activations[fp],
            "message": "Activated",
            "licenseType": lic.license_type,
            **self._lease(lic),
        }
        if lic.status == "degraded":
            reply["warning"] = "This licence is degraded"
        return (200, reply)

    def _validate(self, body: Dict[str, Any]) -> tuple:
        fp = body.get("machineFingerprint")
        token = body.get("token")
        if not isinstance(token, str) or not isinstance(fp, str):
            return (400, {"code": "invalid_request", "error": "token and machineFingerprint are required"})
        claims = self.verify_token(token)
        if claims is None:
            return (403, {"code": "invalid_token", "error": "Invalid or expired token"})
        if claims.get("fp") != fp_claim(fp):
            return (403, {"code": "fingerprint_mismatch", "error": "The token belongs to another machine"})
        lic = self.licenses.get(str(claims.get("sub")))
        if lic is None:
            return (404, {"code": "not_found", "error": "Licence not found"})
        if isinstance(body.get("productId"), str) and body["productId"] != lic.product_id and not self.legacy:
            return (403, {"code": "wrong_product", "error": "This licence is for another product"})
        refusal = self._state_refusal(lic)
        if refusal:
            return refusal
        if fp not in lic.activations:
            return (403, {"code": "not_activated", "error": "This machine is not activated"})
        refresh = not self.legacy or claims["exp"] - self.now() < 7 * DAY
        fresh = self.sign(lic, fp) if refresh else token
        return (200, {
            "token": fresh,
            "refreshed": refresh,
            "status": lic.status,
            "licenseExpiresAt": None if lic.expires_at is None else iso(lic.expires_at),
            "licenseType": lic.license_type,
            "productId": lic.product_id,
            **self._used(lic),
        })

    def _verify(self, body: Dict[str, Any]) -> tuple:
        lic = self._license(body)
        if lic is None:
            return (404, {"code": "not_found", "error": "Licence not found"})
        if isinstance(body.get("productId"), str) and body["productId"] != lic.product_id:
            return (403, {"code": "wrong_product", "error": "This licence is for another product"})
        refusal = self._state_refusal(lic)
        if refusal:
            return refusal
        return (200, {
            "status": lic.status,
            "licenseType": lic.license_type,
            "productId": lic.product_id,
            "variant": None,
            "expiresAt": None if lic.expires_at is None else iso(lic.expires_at),
            **self._used(lic),
        })

    def _seat(self, body: Dict[str, Any]) -> tuple:
        """The licence and machine a deactivate or heartbeat names: (licence, fingerprint) or a 404."""
        lic = self._license(body)
        fp = body.get("machineFingerprint")
        if lic is None or not isinstance(fp, str):
            return None, (404, {"code": "not_found", "error": "Licence not found"})
        return (lic, fp), None

    def _deactivate(self, body: Dict[str, Any]) -> tuple:
        seat, missing = self._seat(body)
        if missing:
            return missing
        lic, fp = seat
        if lic.activations.pop(fp, None) is None:
            return (403, {"code": "not_activated", "error": "This machine is not activated"})
        return (200, self._used(lic))

    def _heartbeat(self, body: Dict[str, Any]) -> tuple:
        seat, missing = self._seat(body)
        if missing:
            return missing
        lic, fp = seat
        refusal = self._state_refusal(lic)
        if refusal:
            return refusal
        if fp not in lic.activations:
            return (403, {"code": "not_activated", "error": "This machine is not activated"})
        return (200, {"leaseExpiresAt": iso(self.now() + self.heartbeat_seconds), "nextHeartbeatSeconds": self.heartbeat_seconds})
