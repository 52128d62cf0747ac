"""What building each test's app repeats, done once per test worker instead.

Every test builds its own app on its own database. Four steps of that are the same for every
app and were most of its cost, so a worker does them once:

- werkzeug compiles two URL builders for each of the app's hundred-odd routes with `ast` and
  `compile()`. A builder is a function of the route's parts alone (it reaches the converters
  through the rule it is bound to), so one compiled for a route serves it in every app.
- Jinja compiles each template the first time an app renders it, and every test renders a few:
  an app gets a bytecode cache shared by the worker (`TEMPLATE_BYTECODE`), which jinja keys by
  the template's name and the checksum of its source, so an edited template is compiled anew.
- SQLAlchemy compiles each statement to SQL once per engine, and each app has its own engine:
  a worker's engines of one kind of database share one dialect and one compiled-statement
  cache (`share_compiled_statements`). A statement's SQL depends on the dialect alone, never on
  which database file or server database the engine opens.
- the start-up's migration check loads every migration script from source (this machine
  writes no bytecode). A script only defines its steps; alembic runs them against whichever
  database the app's env.py connects, and env.py itself is still run afresh each time.

Production builds one app per process and keeps werkzeug's, jinja's, SQLAlchemy's and alembic's
own behaviour.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import alembic.util
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy.engine import Dialect, Engine
from werkzeug.routing.rules import Rule

_Builder = Callable[..., tuple[str, str]]


def share_url_builders() -> None:
    """Make werkzeug reuse a route's compiled builder (idempotent)."""
    original: Callable[[Rule, bool], _Builder] = Rule._compile_builder
    if getattr(original, "shared", False):
        return
    compiled: dict[tuple[Any, ...], _Builder] = {}

    def compile_builder(self: Rule, append_unknown: bool = True) -> _Builder:
        defaults = self.defaults or {}
        if any(is_dynamic and part in defaults for is_dynamic, part in self._trace):
            # A default filled into the path is converted once, at compile time, by the
            # rule's own converter: such a builder is not shared.
            return original(self, append_unknown)
        key = (tuple(self._trace), tuple(defaults), append_unknown)
        builder = compiled.get(key)
        if builder is None:
            builder = compiled[key] = original(self, append_unknown)
        return builder

    compile_builder.shared = True  # type: ignore[attr-defined]
    Rule._compile_builder = compile_builder  # type: ignore[method-assign,assignment]


def share_migration_scripts() -> None:
    """Make alembic load each migration script once (idempotent); env.py runs every time."""
    original: Callable[[str | os.PathLike[str], str | os.PathLike[str]], ModuleType] = (
        alembic.util.load_python_file
    )
    if getattr(original, "shared", False):
        return
    loaded: dict[tuple[Path, float], ModuleType] = {}

    def load_python_file(
        dir_: str | os.PathLike[str], filename: str | os.PathLike[str]
    ) -> ModuleType:
        path = Path(dir_) / Path(filename).name
        if path.name == "env.py" or not path.exists():
            return original(dir_, filename)
        # The file's time is in the key so that a test writing a script gets its own.
        key = (path.resolve(), path.stat().st_mtime)
        module = loaded.get(key)
        if module is None:
            module = loaded[key] = original(dir_, filename)
        return module

    load_python_file.shared = True  # type: ignore[attr-defined]
    alembic.util.load_python_file = load_python_file  # type: ignore[assignment]


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for the life of the worker."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_BYTECODE = _MemoryBytecodeCache()


_statements: dict[tuple[str, str], tuple[Dialect, Any]] = {}


def share_compiled_statements(engine: Engine) -> None:
    """Give a new engine, before its first connection, the worker's dialect and statement cache.

    The first engine of each kind lends its own; its first connection initialises that dialect
    (server version and the like, the same for every database of the worker's server).
    """
    if engine._compiled_cache is None:
        return
    dialect, compiled = _statements.setdefault(
        (engine.dialect.name, engine.dialect.driver), (engine.dialect, engine._compiled_cache)
    )
    engine.dialect = dialect
    engine.pool._dialect = dialect
    engine._compiled_cache = compiled
