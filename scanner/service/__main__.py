"""``python -m scanner.service [--host H] [--port P] [options]``: the service without the piiscan CLI."""

from __future__ import annotations

import argparse
import sys

from scanner.errors import RunFailed
from scanner.service import add_arguments, serve, settings_from_args


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scanner.service", description="piiscan intake HTTP service")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        serve(args.host, args.port, settings_from_args(args))
    except RunFailed as exc:
        print(f"piiscan: {exc}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
