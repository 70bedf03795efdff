"""Command line: python -m vndigital {validate,data,extract,run,...}."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {
        "validate": "vndigital.validate",
        "data": "vndigital.dataset",
        "extract": "vndigital.extract",
        "reports": "vndigital.pipeline",
        "run": "vndigital.pipeline:run_main",
        "attribution": "vndigital.attribution",
    }
    if not argv or argv[0] not in commands:
        print("usage: python -m vndigital {" + ",".join(commands) + "} [args]", file=sys.stderr)
        return 2
    from importlib import import_module

    module, _, function = commands[argv[0]].partition(":")
    return getattr(import_module(module), function or "main")(argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
