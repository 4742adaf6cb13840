"""A tiny command-line tool licensed with Seatkey, as a creator would write it: validates at
start-up (offline first), activates on the first run, and while it runs sends heartbeats if the
licence is floating.

    npm start                                        # a local Seatkey, in another terminal
    python3 licensed_tool.py <licence key>           # the first run activates this machine
    python3 licensed_tool.py                         # later runs validate, offline first

SEATKEY_BASE_URL and SEATKEY_PRODUCT_ID override the defaults below (npm start's demo product);
SEATKEY_KEYS names the bundled public keys (default: seatkey_keys.json beside this file, written
by ``python3 -m seatkey keys --base-url … -o seatkey_keys.json``); SEATKEY_STORAGE the cache file.
"""
import json
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # run from the repository

from seatkey import FileStorage, MachineLimitError, NotActivatedError, SeatkeyClient, SeatkeyError  # noqa: E402


def bundled_keys():
    path = os.environ.get("SEATKEY_KEYS") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "seatkey_keys.json")
    if not os.path.exists(path):
        return None  # fetched from the server instead: each run then needs the network once
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    client = SeatkeyClient(
        os.environ.get("SEATKEY_BASE_URL", "http://127.0.0.1:5001/demo-seatkey/us-central1"),
        os.environ.get("SEATKEY_PRODUCT_ID", "demo-app"),
        public_keys=bundled_keys(),
        storage=FileStorage(os.environ["SEATKEY_STORAGE"]) if os.environ.get("SEATKEY_STORAGE") else None,
    )

    result = client.validate()
    if not result and isinstance(result.error, NotActivatedError):
        key = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SEATKEY_LICENSE_KEY")
        if not key:
            print("This machine is not activated: run `python3 licensed_tool.py <licence key>`.", file=sys.stderr)
            return 1
        try:
            print(client.activate(key).message)
        except MachineLimitError as e:
            print(f"{e.message} (deactivate it on the other machine to free its seat)", file=sys.stderr)
            return 1
        except SeatkeyError as e:
            print(f"Activation failed: {e.message} ({e.code}{', try again later' if e.retryable else ''})", file=sys.stderr)
            return 1
        result = client.validate()
    if not result:
        print(f"Not licensed: {result.error.message} ({result.error.code})", file=sys.stderr)
        return 1

    lic = result.license
    until = f"until {lic.expires_at.isoformat()}" if lic.expires_at else "perpetual"
    print(f"Licensed: {lic.product_id}, {lic.license_type}, {until} ({result.source})")
    if result.source == "grace":
        print(f"Offline: Seatkey could not be reached; licensed until {result.grace_ends_at.isoformat()}.")

    if lic.license_type != "floating":
        print("Done.")
        return 0
    refused = threading.Event()

    def on_stopped(error):
        print(f"The seat was refused ({error.code}): {error.message}", file=sys.stderr)
        refused.set()

    client.start_heartbeats(
        on_beat=lambda beat: print(f"heartbeat: seat held until {beat.lease_expires_at}"),
        on_error=lambda e, retry_in: print(f"heartbeat failed ({e.code}); retrying in {round(retry_in)} s", file=sys.stderr),
        on_stopped=on_stopped,
    )
    print("Running with a floating seat; Ctrl-C to quit.")
    try:
        while not refused.wait(0.5):  # a timeout, so Ctrl-C gets through on Windows too
            pass
        return 1
    except KeyboardInterrupt:
        client.stop()
        return 0


if __name__ == "__main__":
    sys.exit(main())
