"""Serve Reservrutin with waitress: `python app.py --host H --port P --data-dir DIR`."""

from __future__ import annotations

import os
import sys

from webapp import create_app
from webapp.serve_args import parse_serve_args
from webapp.startup import configure_logging


def main(argv: list[str] | None = None) -> int:
    """Prepare the data dir and serve until stopped."""
    args = parse_serve_args(argv)

    if args.data_dir is not None:
        os.environ["RESERVRUTIN_DATA_DIR"] = str(args.data_dir.resolve())
    configure_logging()

    from waitress import create_server

    from webapp.config import ConfigError
    from webapp.network import bind_refusal, lan_addresses, started_lines
    from webapp.siteconfig import SiteConfigError
    from webapp.startup import prepare
    from webapp.storage import StorageError

    try:
        app = create_app()
    except ConfigError as exc:
        print(f"Kan inte starta: {exc}", file=sys.stderr)
        return 2
    from webapp.server_lock import ServerRunning, hold_for_server

    # Held until the process ends: a restore, or a second server, on this database is refused.
    lock_problem: OSError | None = None
    try:
        lock = hold_for_server(app.config["SQLALCHEMY_DATABASE_URI"])
    except ServerRunning as exc:
        print(f"Kan inte starta: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # Said after the start-up checks, which name an unusable data dir in their own words.
        lock, lock_problem = None, exc
    # The screens and sheets offer tablets only an address they can reach (not on loopback).
    app.config["LISTEN_HOST"] = args.host
    try:
        prepare(app)
    except (StorageError, SiteConfigError) as exc:
        print(f"Kan inte starta: {exc}", file=sys.stderr)
        return 2
    if lock_problem is not None:
        print(
            f"Kan inte starta: låsfilen bredvid databasen kunde inte skapas ({lock_problem}).",
            file=sys.stderr,
        )
        return 2
    # Listen before announcing: a second start on a taken port must not tell staff it runs.
    try:
        server = create_server(
            app,
            host=args.host,
            port=args.port,
            threads=args.threads,
            max_request_body_size=app.config["MAX_CONTENT_LENGTH"],
            channel_timeout=60,
            ident="Reservrutin",
        )
    except (OSError, ValueError) as exc:
        print(f"Kan inte starta: {bind_refusal(exc, args.host, args.port)}", file=sys.stderr)
        return 2
    for line in started_lines(args.host, args.port, lan_addresses()):
        print(line, flush=True)
    print(f"Data: {app.config['DATA_DIR']}", flush=True)
    from webapp.example_site import example_site_lines
    from webapp.site_files import SiteFiles

    with app.app_context():
        for line in example_site_lines(SiteFiles.from_config(app.config)):
            print(line, file=sys.stderr, flush=True)
    from webapp.backup import DIR_PROBLEM, start_scheduler
    from webapp.backup_errors import FAILURE_REASONS

    if start_scheduler(app) is not None:
        problem = app.extensions.get(DIR_PROBLEM)
        if problem is not None:
            print(
                f"Varning: målmappen för säkerhetskopior {app.config['BACKUP_DIR']} kunde inte "
                f"skapas ({FAILURE_REASONS[problem]}); inga säkerhetskopior tas förrän den går "
                "att skriva till. Se Administration.",
                file=sys.stderr,
                flush=True,
            )
        else:
            print(
                f"Säkerhetskopior var {app.config['BACKUP_INTERVAL_MINUTES']}:e minut till "
                f"{app.config['BACKUP_DIR']}",
                flush=True,
            )
    server.run()
    if lock is not None:
        lock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
