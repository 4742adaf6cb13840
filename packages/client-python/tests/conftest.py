"""Fixtures: a fake Seatkey and clients wired to it with one movable clock.

``SEATKEY_HIDE_CRYPTOGRAPHY=1`` makes ``import cryptography`` fail for the whole run, as on a
host application without it, so the package falls back to its pure-Python verifier (``npm
test`` runs the suite once each way). ``SEATKEY_EXPECT_VERIFIER`` names the verifier the run
must end up with, so a run that silently used the other one fails."""
from __future__ import annotations

import importlib.abc
import os
import sys
from dataclasses import dataclass
from typing import Any, Callable, List, Optional

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the package
sys.path.insert(0, HERE)  # fake_seatkey, ed25519_signer


class _HideCryptography(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "cryptography" or name.startswith("cryptography."):
            raise ImportError(f"{name} is hidden by SEATKEY_HIDE_CRYPTOGRAPHY")
        return None


if os.environ.get("SEATKEY_HIDE_CRYPTOGRAPHY") == "1":
    for loaded in [m for m in sys.modules if m == "cryptography" or m.startswith("cryptography.")]:
        del sys.modules[loaded]
    sys.meta_path.insert(0, _HideCryptography())

from seatkey import MemoryStorage, SeatkeyClient  # noqa: E402

from fake_seatkey import FakeLicense, FakeSeatkey  # noqa: E402

HOUR = 3600.0
DAY = 24 * HOUR
PRODUCT = "demo-app"
MACHINE = "machine-one"


def cryptography_available() -> bool:
    """Whether cryptography imports and works here (a copy built for another Python imports,
    then fails on first use; the package falls back to pure Python then, and so do these tests)."""
    from seatkey import default_verifier

    return default_verifier() == "cryptography"


class Clock:
    """One clock for the client and the fake server; tests move it."""

    def __init__(self, t: Optional[float] = None) -> None:
        import time

        self.t = time.time() if t is None else t

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@dataclass
class Fixture:
    fake: FakeSeatkey
    clock: Clock
    license: FakeLicense
    storage: Any
    client: SeatkeyClient
    new_client: Callable[..., SeatkeyClient]

    def stored(self) -> Optional[dict]:
        """The stored activation, as JSON."""
        import json

        text = self.storage.read()
        return json.loads(text)["activation"] if text else None


@pytest.fixture
def fakes():
    started: List[FakeSeatkey] = []

    def start() -> FakeSeatkey:
        fake = FakeSeatkey()
        started.append(fake)
        return fake

    yield start
    for fake in started:
        fake.close()


@pytest.fixture
def make(fakes):
    """make(license={...}, client={...}, storage=..., fake=..., activate=False) -> Fixture."""

    def build(license: Optional[dict] = None, client: Optional[dict] = None, storage: Any = None, fake: Optional[FakeSeatkey] = None, activate: bool = False) -> Fixture:
        clock = Clock()
        fake = fake or fakes()
        fake.now = clock.now
        lic = fake.add_license(PRODUCT, **(license or {}))
        store = storage if storage is not None else MemoryStorage()

        def new_client(**more: Any) -> SeatkeyClient:
            # Keys are bundled, as the README advises, unless a test passes public_keys=None.
            options = {"public_keys": fake.jwks, "fingerprint": MACHINE, "storage": store, "now": clock.now, **(client or {}), **more}
            return SeatkeyClient(fake.base_url, PRODUCT, **options)

        f = Fixture(fake, clock, lic, store, new_client(), new_client)
        if activate:
            f.client.activate(lic.key)
        return f

    return build


@pytest.fixture
def activated(make):
    """activated(**make's options) -> a Fixture whose client has activated."""
    return lambda **options: make(activate=True, **options)
