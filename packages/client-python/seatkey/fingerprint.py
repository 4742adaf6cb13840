"""The default machine fingerprint: the operating system's own machine id, hashed with the
product id, so the server never sees the raw id and two products cannot correlate machines.

What it reads (the same as the Node SDK's ``node-machine-id``, so a Node app and a Python
add-on of the same product on one machine present the same fingerprint and hold one seat):

- Windows: the registry value ``HKLM\\SOFTWARE\\Microsoft\\Cryptography\\MachineGuid`` (the 64-bit
  view, also from a 32-bit Python), set when Windows is installed;
- macOS: ``IOPlatformUUID`` from ``ioreg -rd1 -c IOPlatformExpertDevice``, the hardware UUID;
- Linux: the first line of ``/var/lib/dbus/machine-id`` then ``/etc/machine-id`` (systemd's
  id, made at install time), else the hostname;
- FreeBSD: ``kenv -q smbios.system.uuid``, else ``sysctl -n kern.hostuuid``.

Each survives reboots and updates; reinstalling the operating system (or cloning a VM without
resetting its id) changes or shares it. Whitespace is removed and letters are lowered, then
the fingerprint is hex SHA-256 of ``<productId>:<id>``.
"""
from __future__ import annotations

import hashlib
import re
import socket
import subprocess
import sys
from typing import Any, Callable, Iterable, Optional

from .errors import FingerprintUnavailableError

LINUX_ID_FILES = ("/var/lib/dbus/machine-id", "/etc/machine-id")


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def linux_machine_id(files: Iterable[str] = LINUX_ID_FILES, hostname: Callable[[], str] = socket.gethostname) -> str:
    """The first line of the machine-id files read one after the other, else the hostname."""
    text = ""
    for path in files:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text += f.read()
        except OSError:
            continue
    if not text:
        text = hostname()
    return _clean(text.split("\n", 1)[0])


def macos_machine_id(ioreg_output: str) -> str:
    """IOPlatformUUID from ``ioreg -rd1 -c IOPlatformExpertDevice``'s output."""
    found = re.search(r'"IOPlatformUUID"\s*=\s*"([^"]*)"', ioreg_output)
    return _clean(found.group(1)) if found else ""


def windows_machine_id(winreg: Any = None) -> str:
    """MachineGuid from the registry's 64-bit view."""
    if winreg is None:
        import winreg  # type: ignore[no-redef]  # Windows only
    access = winreg.KEY_READ | getattr(winreg, "KEY_WOW64_64KEY", 0)
    with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography", 0, access) as key:
        value, _ = winreg.QueryValueEx(key, "MachineGuid")
    return _clean(str(value))


def _run(*argv: str) -> str:
    return subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False).stdout


def freebsd_machine_id(run: Callable[..., str] = _run) -> str:
    return _clean(run("kenv", "-q", "smbios.system.uuid") or run("sysctl", "-n", "kern.hostuuid"))


def machine_id(platform: Optional[str] = None) -> str:
    """This machine's raw id (see the module's notes), or raises FingerprintUnavailableError."""
    platform = platform or sys.platform
    try:
        if platform.startswith("win"):
            found = windows_machine_id()
        elif platform == "darwin":
            found = macos_machine_id(_run("ioreg", "-rd1", "-c", "IOPlatformExpertDevice"))
        elif platform.startswith("freebsd"):
            found = freebsd_machine_id()
        else:
            found = linux_machine_id()
    except (OSError, subprocess.SubprocessError) as e:
        raise FingerprintUnavailableError("fingerprint_unavailable", "Could not read this machine's id; pass a fingerprint") from e
    if not found:
        raise FingerprintUnavailableError("fingerprint_unavailable", "This machine has no machine id; pass a fingerprint")
    return found


def default_fingerprint(product_id: str, raw_id: Optional[str] = None) -> str:
    """Hex SHA-256 of ``<productId>:<machine id>``."""
    raw = machine_id() if raw_id is None else raw_id
    return hashlib.sha256(f"{product_id}:{raw}".encode("utf-8")).hexdigest()
