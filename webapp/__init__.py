"""Reservrutin: the digital fallback routine for radiology downtime."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

__version__ = "0.1.0"

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; test_config overrides settings (e.g. a temporary data dir)."""
    from .config import build_config

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    data_dir = (test_config or {}).get("DATA_DIR")
    app.config.update(build_config(Path(data_dir) if data_dir else None))
    if test_config:
        app.config.update(test_config)
        app.config["DATA_DIR"] = Path(app.config["DATA_DIR"])
    app.config["VERSION"] = __version__
    if app.config.get("BEHIND_PROXY"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Caddy terminates TLS on the laptop itself; trust exactly one hop of its headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    from . import models  # noqa: F401  (registers the tables)
    from .extensions import csrf, db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)

    from .laptop_watch import init_laptop_watch
    from .security import init_security
    from .web import init_web

    init_security(app)
    init_web(app)
    init_laptop_watch(app)

    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .blanks import bp as blanks_bp
    from .board import bp as board_bp
    from .cases import bp as cases_bp
    from .catchup import bp as catchup_bp
    from .drafts import bp as drafts_bp
    from .followup import bp as followup_bp
    from .incidents import bp as incidents_bp
    from .main import bp as main_bp
    from .printing import bp as printing_bp
    from .reporting import bp as reporting_bp
    from .routines import bp as routines_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(incidents_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(board_bp)
    app.register_blueprint(drafts_bp)
    app.register_blueprint(reporting_bp)
    app.register_blueprint(catchup_bp)
    app.register_blueprint(blanks_bp)
    app.register_blueprint(printing_bp)
    app.register_blueprint(routines_bp)
    app.register_blueprint(followup_bp)

    from .static_access import declare_static, version_static

    declare_static(app)
    version_static(app)

    from .cli import init_cli

    init_cli(app)
    return app
