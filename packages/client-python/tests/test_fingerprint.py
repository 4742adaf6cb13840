"""The default fingerprint: what it reads on each system, that it is the Node SDK's for the same
machine and product, and the fingerprint option."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from conftest import PRODUCT
from seatkey import FingerprintUnavailableError, MemoryStorage, SeatkeyClient, default_fingerprint, machine_id
from seatkey import fingerprint as fpmod

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
UNDER_NPM_TEST = os.environ.get("SEATKEY_NPM_TEST") == "1"


def client(**options):
    return SeatkeyClient("http://127.0.0.1:9", options.pop("product_id", PRODUCT), storage=MemoryStorage(), **options)


def test_defaults_to_sha256_of_the_product_and_the_machine_id_never_the_raw_id():
    raw = machine_id()
    a = client(product_id="app-a").fingerprint()
    b = client(product_id="app-b").fingerprint()
    assert a == hashlib.sha256(f"app-a:{raw}".encode()).hexdigest()
    assert a != b, "products cannot correlate machines"
    assert raw not in a
    assert client(product_id="app-a").fingerprint() == a, "stable across runs"


def test_is_the_node_sdks_fingerprint_on_this_machine():
    module = os.path.join(REPO, "node_modules", "node-machine-id")
    if not (shutil.which("node") and os.path.isdir(module)):
        if UNDER_NPM_TEST:
            pytest.fail("npm test installs node-machine-id: it should be here")
        pytest.skip("needs node and the repository's node_modules")
    node_raw = subprocess.run(["node", "-e", "process.stdout.write(require('node-machine-id').machineIdSync(true))"], cwd=REPO, capture_output=True, text=True, check=True, timeout=30).stdout
    assert machine_id() == node_raw
    assert default_fingerprint("demo-app") == hashlib.sha256(f"demo-app:{node_raw}".encode()).hexdigest()


def test_linux_reads_the_dbus_id_then_systemds_first_line_lowered_else_the_hostname(tmp_path):
    dbus, etc = tmp_path / "dbus-machine-id", tmp_path / "machine-id"
    etc.write_text("ABCDEF0123456789ABCDEF0123456789\n")
    files = (str(dbus), str(etc))
    assert fpmod.linux_machine_id(files) == "abcdef0123456789abcdef0123456789", "dbus's is missing: systemd's"
    dbus.write_text("11112222333344445555666677778888\n")
    assert fpmod.linux_machine_id(files) == "11112222333344445555666677778888", "dbus's comes first"
    assert fpmod.linux_machine_id((str(tmp_path / "none"),), hostname=lambda: "Render-Node-7\n") == "render-node-7"


def test_macos_reads_ioplatformuuid():
    output = '+-o MacBookPro18,1  <class IOPlatformExpertDevice>\n    {\n      "IOPlatformSerialNumber" = "C02XXXX"\n      "IOPlatformUUID" = "3F2504E0-4F89-11D3-9A0C-0305E82C3301"\n    }\n'
    assert fpmod.macos_machine_id(output) == "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
    assert fpmod.macos_machine_id("nothing here") == ""


def test_windows_reads_machineguid_from_the_64_bit_registry_view():
    seen = {}

    class Key:
        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    class FakeWinreg:
        HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_64KEY = "HKLM", 0x20019, 0x0100

        @staticmethod
        def OpenKey(root, path, reserved, access):
            seen.update(root=root, path=path, access=access)
            return Key()

        @staticmethod
        def QueryValueEx(key, name):
            seen["name"] = name
            return ("6C1F0B2E-0E5A-4C3B-9D7E-8F2A1B3C4D5E", 1)

    assert fpmod.windows_machine_id(FakeWinreg) == "6c1f0b2e-0e5a-4c3b-9d7e-8f2a1b3c4d5e"
    assert seen == {"root": "HKLM", "path": r"SOFTWARE\Microsoft\Cryptography", "access": 0x20019 | 0x0100, "name": "MachineGuid"}


def test_freebsd_reads_the_smbios_uuid_else_the_host_uuid():
    calls = []

    def run(*argv):
        calls.append(argv)
        return "" if argv[0] == "kenv" else "A1B2C3D4-0000-1111-2222-333344445555\n"

    assert fpmod.freebsd_machine_id(run) == "a1b2c3d4-0000-1111-2222-333344445555"
    assert calls == [("kenv", "-q", "smbios.system.uuid"), ("sysctl", "-n", "kern.hostuuid")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads this Linux machine")
def test_an_unreadable_id_is_fingerprint_unavailable(monkeypatch):
    monkeypatch.setattr(fpmod, "linux_machine_id", lambda: "")
    with pytest.raises(FingerprintUnavailableError):
        machine_id()


def test_can_be_given_as_a_value_or_a_function_and_a_failure_is_tried_again(make):
    assert client(fingerprint="fixed").fingerprint() == "fixed"
    assert client(fingerprint=lambda: "computed").fingerprint() == "computed"
    f = make(activate=True)
    attempts = []

    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise FingerprintUnavailableError("fingerprint_unavailable", "not yet")
        return "machine-one"

    c = f.new_client(fingerprint=flaky)
    r = c.validate()
    assert not r.valid and isinstance(r.error, FingerprintUnavailableError)
    assert f.stored() is not None, "nothing is forgotten for it"
    assert c.validate().valid
