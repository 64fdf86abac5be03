"""`python -m crawler.dev.mirror [--port-base 8701] [--scale N] [--skin redesign]`: serve the
mirror until Ctrl-C."""
from __future__ import annotations

import argparse

from .server import serve_forever


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.dev.mirror",
        description="Serve the offline mirror of the outlets on 127.0.0.1 "
                    "(example: python -m crawler.dev.mirror --port-base 8701 --scale 300).")
    parser.add_argument("--port-base", type=int, default=8701,
                        help="port of the first outlet; the others follow (default 8701)")
    parser.add_argument("--scale", type=int, default=0,
                        help="synthetic articles added per outlet (default 0)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--no-faults", action="store_true", help="do not serve fault URLs")
    parser.add_argument("--skin", choices=("normal", "redesign"), default="normal",
                        help="redesign: every outlet in its alternate skin (default normal)")
    args = parser.parse_args(argv)
    serve_forever(args.port_base, args.scale, host=args.host, faults=not args.no_faults,
                  layout=args.skin)


if __name__ == "__main__":
    main()
