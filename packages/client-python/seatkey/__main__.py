"""``python -m seatkey``: small tools for creators.

    python -m seatkey keys --base-url URL [--output FILE]
        writes the server's current public keys (its JWKS) to FILE (or prints them), for the
        add-on to bundle as ``public_keys``
    python -m seatkey fingerprint --product ID
        prints this machine's default fingerprint for a product (what the server sees)
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional

from .errors import SeatkeyError
from .fingerprint import default_fingerprint
from .keys import KeySet, jwk_list, key_factory
from .transport import Transport


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seatkey", description="Seatkey tools for creators")
    commands = parser.add_subparsers(dest="command", required=True)
    keys = commands.add_parser("keys", help="write the server's public keys (JWKS) for bundling")
    keys.add_argument("--base-url", required=True, help="the functions' base URL")
    keys.add_argument("--output", "-o", help="the file to write (default: print)")
    fp = commands.add_parser("fingerprint", help="print this machine's default fingerprint")
    fp.add_argument("--product", required=True, help="the product id")
    args = parser.parse_args(argv)
    try:
        if args.command == "fingerprint":
            print(default_fingerprint(args.product))
            return 0
        jwks = {"keys": jwk_list(Transport(args.base_url, 15.0).get("publicKey"))}
        usable = KeySet(key_factory())
        usable.add(jwks["keys"])
        if not len(usable):
            print("the server's publicKey answer holds no Ed25519 key with a kid", file=sys.stderr)
            return 1
        text = json.dumps(jwks, indent=2) + "\n"
        if args.output:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"wrote {len(usable)} key(s) to {args.output}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0
    except SeatkeyError as e:
        print(f"{e.code}: {e.message}", file=sys.stderr)
        return 1
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
