"""Storage: the default file (atomic, 0600 in a 0700 folder, in the user's config directory) and
damaged caches, which are discarded and never crash the client (the Node SDK's
storage.test.ts, case for case)."""
from __future__ import annotations

import json
import os
import stat
import sys
import threading

import pytest

from conftest import DAY, PRODUCT
from seatkey import FileStorage, MemoryStorage, NotActivatedError, StorageError, default_storage_path
from seatkey.storage import config_dir

posix_only = pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX permissions")


class TestFileStorage:
    @posix_only
    def test_writes_a_0600_file_in_a_0700_folder_replacing_it_whole(self, tmp_path):
        folder = tmp_path / "nested" / "seatkey"
        path = folder / "app.json"
        storage = FileStorage(str(path))
        assert storage.read() is None
        storage.write('{"a":1}')
        storage.write('{"b":2}')
        assert storage.read() == '{"b":2}'
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        assert os.listdir(folder) == ["app.json"], "no temporary file left behind"
        storage.clear()
        assert storage.read() is None
        storage.clear()

    @posix_only
    def test_a_file_once_readable_by_others_is_replaced_by_a_private_one(self, tmp_path):
        path = tmp_path / "app.json"
        path.write_text("{}")
        os.chmod(path, 0o644)
        FileStorage(str(path)).write('{"v":1}')
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600

    def test_simultaneous_writes_each_land_whole(self, tmp_path):
        storage = FileStorage(str(tmp_path / "app.json"))
        threads = [threading.Thread(target=storage.write, args=(json.dumps({"n": i, "pad": "x" * 5000}),)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert json.loads(storage.read())["pad"] == "x" * 5000
        assert os.listdir(tmp_path) == ["app.json"]

    def test_leaves_no_temporary_file_when_the_rename_fails(self, tmp_path):
        path = tmp_path / "app.json"
        (path / "occupied").mkdir(parents=True)  # a non-empty folder cannot be replaced by a file
        with pytest.raises(OSError):
            FileStorage(str(path)).write("new")
        assert os.listdir(tmp_path) == ["app.json"]

    def test_defaults_to_a_file_named_after_the_product_in_the_users_config_folder(self):
        path = default_storage_path("my-app")
        assert path.endswith(os.path.join("seatkey", "python", "my-app.json"))
        assert default_storage_path("../../etc/passwd").endswith(os.path.join("python", ".._.._etc_passwd.json")), "no path escapes"

    def test_the_config_folder_on_each_system(self):
        home = "/home/ada"
        assert config_dir("linux", {}, home) == "/home/ada/.config/seatkey"
        assert config_dir("linux", {"XDG_CONFIG_HOME": "/xdg"}, home) == "/xdg/seatkey"
        assert config_dir("darwin", {}, "/Users/ada") == "/Users/ada/Library/Preferences/seatkey"
        assert config_dir("win32", {"APPDATA": "C:/Users/ada/AppData/Roaming"}, home) == os.path.join("C:/Users/ada/AppData/Roaming", "seatkey", "Config")


class TestTheClientWithAFile:
    def test_picks_up_the_activation_in_a_later_run_offline(self, tmp_path, activated):
        path = tmp_path / "app.json"
        f = activated(storage=FileStorage(str(path)))
        f.fake.offline = True
        r = f.new_client().validate()
        assert r.valid and r.source == "cached"
        text = path.read_text()
        assert '"fingerprint"' not in text and "machine-one" not in text, "the fingerprint is not stored"

    def test_activate_raises_storage_error_when_the_file_cannot_be_written(self, tmp_path, make):
        (tmp_path / "not-a-folder").write_text("")
        f = make(storage=FileStorage(str(tmp_path / "not-a-folder" / "app.json")))
        with pytest.raises(StorageError) as caught:
            f.client.activate(f.license.key)
        assert not caught.value.retryable


class FlakyStorage(MemoryStorage):
    """Memory whose writes fail on demand, like a full disk."""

    fail_writes = False

    def write(self, data: str) -> None:
        if self.fail_writes:
            raise OSError(28, "No space left on device")
        super().write(data)


class TestACacheThatCannotBeWritten:
    def test_activate_raises_storage_error_and_keeps_the_old_activation(self, activated):
        storage = FlakyStorage()
        f = activated(storage=storage)
        before = f.client.status()
        storage.fail_writes = True
        other = f.fake.add_license(PRODUCT)
        with pytest.raises(StorageError):
            f.client.activate(other.key)
        after = f.client.status()
        assert before.activated and after.activated
        assert after.license.license_key == before.license.license_key

    def test_does_not_cost_validate_its_answer(self, activated):
        storage = FlakyStorage()
        f = activated(storage=storage)
        storage.fail_writes = True
        f.clock.advance(2 * DAY)
        r = f.client.validate()
        assert r.valid and r.source == "online", r
        assert f.client.validate().valid and f.fake.calls["validate"] == 1, "this run remembers the check"


def _without_token(text: str) -> str:
    state = json.loads(text)
    del state["activation"]["token"]
    return json.dumps(state)


DAMAGE = [
    ("truncated", lambda v: v[: len(v) // 2]),
    ("empty", lambda v: ""),
    ("binary", lambda v: "\x00\xff\xfe garbage"),
    ("from another version", lambda v: v.replace('"v": 1', '"v": 99')),
    ("JSON of the wrong shape", lambda v: json.dumps({"v": 1, "activation": {"licenseKey": 42}, "clock": None})),
    ("missing a field", _without_token),
    ("a JSON array", lambda v: "[]"),
    ("null", lambda v: "null"),
]


@pytest.mark.parametrize("what,spoil", DAMAGE, ids=[d[0] for d in DAMAGE])
def test_a_damaged_cache_is_discarded_never_a_crash(tmp_path, activated, what, spoil):
    path = tmp_path / "app.json"
    first = activated(storage=FileStorage(str(path)))
    text = path.read_text()
    spoiled = spoil(text)
    assert spoiled != text
    path.write_bytes(spoiled.encode("latin-1") if what == "binary" else spoiled.encode())
    client = first.new_client()
    r = client.validate()
    assert not r.valid and isinstance(r.error, NotActivatedError), r
    assert not path.exists(), "the damaged file is gone"
    # …and the app can activate again.
    client.activate(first.license.key)
    assert client.validate().valid


def test_an_unreadable_cache_counts_as_none(tmp_path, make):
    path = tmp_path / "app.json"
    path.mkdir()  # reading a folder fails
    f = make(storage=FileStorage(str(path)))
    r = f.client.validate()
    assert not r.valid and isinstance(r.error, NotActivatedError)
    assert path.is_dir(), "what could not be read is not deleted either"
