"""Where the activation lives between runs. The client hands storage one opaque string (JSON of
its state) and gets it back; anything with ``read``, ``write`` and ``clear`` can hold it: the
default file, memory, a keychain wrapper.
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
import threading
from typing import Any, Mapping, Optional, Protocol


class Storage(Protocol):
    def read(self) -> Optional[str]:
        """The last string written, or None when there is none."""

    def write(self, data: str) -> None: ...

    def clear(self) -> None: ...


class MemoryStorage:
    """Keeps the state in memory only: tests, and apps that activate on every start."""

    def __init__(self, data: Optional[str] = None) -> None:
        self.data = data

    def read(self) -> Optional[str]:
        return self.data

    def write(self, data: str) -> None:
        self.data = data

    def clear(self) -> None:
        self.data = None


class FileStorage:
    """A JSON file readable by its owner only (0600, in a 0700 directory on POSIX systems),
    replaced atomically: the new text goes to a temporary file in the same directory, is
    flushed to disk, and is renamed over the old one, so a crash mid-write leaves the old file or
    the new one, never half of either. On Windows the file inherits the ACL of the user's
    profile folder, which only that user (and administrators) can read."""

    def __init__(self, path: str) -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()

    def read(self) -> Optional[str]:
        try:
            # Bytes that are not UTF-8 read as replacement characters: the client then discards
            # the file as damaged rather than treating it as unreadable.
            with open(self.path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return None

    def write(self, data: str) -> None:
        with self._lock:
            directory = os.path.dirname(os.path.abspath(self.path))
            os.makedirs(directory, mode=0o700, exist_ok=True)
            # mkstemp creates the file 0600, so the text is never readable by others, even briefly.
            fd, temp = tempfile.mkstemp(dir=directory, prefix=os.path.basename(self.path) + ".", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(temp, self.path)
            except BaseException:
                try:
                    os.remove(temp)
                except OSError:
                    pass
                raise

    def clear(self) -> None:
        with self._lock:
            try:
                os.remove(self.path)
            except FileNotFoundError:
                pass


def config_dir(platform: str = sys.platform, env: Optional[Mapping[str, str]] = None, home: Optional[str] = None) -> str:
    """Seatkey's folder in the user's configuration directory, where the Node SDK keeps its own:
    ``%APPDATA%\\seatkey\\Config`` on Windows, ``~/Library/Preferences/seatkey`` on macOS,
    ``$XDG_CONFIG_HOME/seatkey`` (default ``~/.config/seatkey``) elsewhere."""
    env = os.environ if env is None else env
    home = home or os.path.expanduser("~")
    if platform.startswith("win"):
        base = env.get("APPDATA") or os.path.join(home, "AppData", "Roaming")
        return os.path.join(base, "seatkey", "Config")
    if platform == "darwin":
        return os.path.join(home, "Library", "Preferences", "seatkey")
    return os.path.join(env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config"), "seatkey")


def default_storage_path(product_id: str, **where: Any) -> str:
    """The default file for ``product_id``: ``<config dir>/python/<productId>.json`` (a folder of
    its own, so an Electron app of the same product on the same machine keeps its own file)."""
    return os.path.join(config_dir(**where), "python", re.sub(r"[^A-Za-z0-9._-]", "_", product_id) + ".json")
