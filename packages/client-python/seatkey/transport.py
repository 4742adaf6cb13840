"""The wire: one JSON POST (or GET) to ``{base_url}/{endpoint}`` with urllib, and the contract's
error bodies turned into typed errors. Nothing here knows about licences, and nothing logs.
"""
from __future__ import annotations

import email.utils
import http.client
import json
import math
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, Optional

from . import __version__
from .errors import SERVER_CODES, BadResponseError, NetworkError, SeatkeyError, seatkey_error

#: ``urllib.request.urlopen``'s shape: (request, timeout=seconds) -> a response.
UrlOpen = Callable[..., Any]

#: More than any reply of the contract; a bigger body is not Seatkey's.
MAX_REPLY_BYTES = 1 << 20


class Transport:
    def __init__(self, base_url: str, timeout: float, urlopen: Optional[UrlOpen] = None) -> None:
        if not isinstance(base_url, str) or not base_url.lower().startswith(("http://", "https://")):
            raise ValueError("base_url must be an http(s) URL, e.g. https://us-central1-<project>.cloudfunctions.net")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._urlopen = urlopen or urllib.request.urlopen

    def post(self, endpoint: str, body: Dict[str, Any]) -> Dict[str, Any]:
        """POSTs ``body`` as JSON; the success body, or raises a SeatkeyError."""
        data = json.dumps(body).encode("utf-8")
        return self._request(endpoint, "POST", data)

    def get(self, endpoint: str) -> Dict[str, Any]:
        return self._request(endpoint, "GET", None)

    def _request(self, endpoint: str, method: str, data: Optional[bytes]) -> Dict[str, Any]:
        url = f"{self.base_url}/{endpoint}"
        headers = {"Accept": "application/json", "User-Agent": f"seatkey-python/{__version__}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            try:
                with self._urlopen(request, timeout=self.timeout) as response:
                    status = response.status
                    retry_after = response.headers.get("Retry-After")
                    raw = response.read(MAX_REPLY_BYTES)
            except urllib.error.HTTPError as e:
                # A 4xx or 5xx still carries the contract's error body.
                status = e.code
                retry_after = e.headers.get("Retry-After") if e.headers else None
                raw = e.read(MAX_REPLY_BYTES)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
            reason = getattr(e, "reason", None) or e
            raise NetworkError("network", f"Could not reach Seatkey at {url}: {reason}") from e
        reply = _json_object(raw)
        if 200 <= status < 300 and reply is not None and (reply.get("success") is True or reply.get("valid") is True or isinstance(reply.get("keys"), list)):
            return reply
        raise _error_from_reply(endpoint, status, reply, _retry_after(retry_after))


def _json_object(raw: bytes) -> Optional[Dict[str, Any]]:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _error_from_reply(endpoint: str, status: int, reply: Optional[Dict[str, Any]], retry_after: Optional[float]) -> SeatkeyError:
    error = reply.get("error") if reply else None
    message = error if isinstance(error, str) and error else f"{endpoint} answered HTTP {status}"
    code = reply.get("code") if reply else None
    if code in SERVER_CODES:
        return seatkey_error(code, message, status, retry_after)
    # No contract body (a proxy's error page, a captive portal): judge by the status alone.
    if status == 429:
        return seatkey_error("rate_limited", message, status, retry_after)
    if status == 503:
        return seatkey_error("busy", message, status, retry_after)
    if status >= 500:
        return seatkey_error("internal", message, status, retry_after)
    return BadResponseError("bad_response", f"{endpoint} gave an unexpected answer (HTTP {status})", status, retry_after)


def _retry_after(header: Optional[str]) -> Optional[float]:
    """Retry-After in seconds (the contract's form) or as an HTTP date, in seconds from now."""
    if not header:
        return None
    try:
        seconds = float(header)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time()) if when is not None else None
