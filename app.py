"""Serve Reservrutin with waitress: `python app.py --host H --port P --data-dir DIR`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from webapp import create_app
from webapp.startup import configure_logging


def main(argv: list[str] | None = None) -> int:
    """Prepare the data dir and serve until stopped."""
    parser = argparse.ArgumentParser(description="Reservrutin – reservrutin vid driftstopp")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)

    if args.data_dir is not None:
        os.environ["RESERVRUTIN_DATA_DIR"] = str(args.data_dir.resolve())
    configure_logging()

    from waitress import serve

    from webapp.network import lan_urls
    from webapp.siteconfig import SiteConfigError
    from webapp.startup import prepare
    from webapp.storage import StorageError

    app = create_app()
    try:
        prepare(app)
    except (StorageError, SiteConfigError) as exc:
        print(f"Kan inte starta: {exc}", file=sys.stderr)
        return 2
    scheme = "http"
    print("Reservrutin är igång. Öppna på surfplattorna:", flush=True)
    if args.host in ("0.0.0.0", "::"):
        for url in lan_urls(args.port, scheme):
            print(f"  {url}", flush=True)
    else:
        print(f"  {scheme}://{args.host}:{args.port}/", flush=True)
    print(f"Data: {app.config['DATA_DIR']}", flush=True)
    from webapp.backup import start_scheduler

    if start_scheduler(app) is not None:
        print(
            f"Säkerhetskopior var {app.config['BACKUP_INTERVAL_MINUTES']}:e minut till "
            f"{app.config['BACKUP_DIR']}",
            flush=True,
        )
    serve(
        app,
        host=args.host,
        port=args.port,
        threads=args.threads,
        max_request_body_size=app.config["MAX_CONTENT_LENGTH"],
        channel_timeout=60,
        ident="Reservrutin",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
