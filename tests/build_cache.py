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
  writes no bytecode) and links them into alembic's revision map. A script only defines its
  steps, and the map only says which follows which; alembic runs them against whichever
  database the app's env.py connects, and env.py itself is still run afresh each time, as is
  the check of the database's revision against the map's head.

Production builds one app per process and keeps werkzeug's, jinja's, SQLAlchemy's and alembic's
own behaviour.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

import alembic.util
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionMap
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


def share_rule_parsing() -> None:
    """Make werkzeug parse each route's rule once (idempotent); converters are still per app.

    Parsing a rule into the parts its matcher tries is a function of the rule's text and the
    converters its map names; after the shared builders it was half of building an app. Each
    app's rule gets its own converter objects, made by its own map, and its own lists.
    """
    original: Callable[[Rule], None] = Rule.compile
    if getattr(original, "shared", False):
        return
    parsed: dict[tuple[Any, ...], tuple[list[Any], list[Any], list[tuple[Any, ...]]]] = {}

    def compile_rule(self: Rule) -> None:
        assert self.map is not None, "rule not bound"
        domain = (self.host if self.map.host_matching else self.subdomain) or ""
        key = (
            self.rule,
            domain,
            self.merge_slashes,
            self.map.host_matching,
            frozenset(self.map.converters.items()),
        )
        known = parsed.get(key)
        if known is None:
            made: list[tuple[Any, ...]] = []
            get_converter = self.get_converter

            def recording(name: str, converter: str, args: Any, kwargs: Any) -> Any:
                made.append((name, converter, args, kwargs))
                return get_converter(name, converter, args, kwargs)

            self.get_converter = recording  # type: ignore[method-assign]
            try:
                original(self)
            finally:
                del self.get_converter
            parsed[key] = (list(self._parts), list(self._trace), made)
            return
        parts, trace, made = known
        self._parts = list(parts)
        self._trace = list(trace)
        self._converters = {}
        for name, converter, args, kwargs in made:
            self._converters[name] = self.get_converter(name, converter, args, kwargs)
            self.arguments.add(name)
        self._build = self._compile_builder(False).__get__(self, None)
        self._build_unknown = self._compile_builder(True).__get__(self, None)

    compile_rule.shared = True  # type: ignore[attr-defined]
    Rule.compile = compile_rule  # type: ignore[method-assign]


def share_migration_scripts() -> None:
    """Make alembic load each migration script once (idempotent); env.py runs every time.

    env.py is compiled once per version of it, then run afresh in a new module at each call.
    """
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
        if path.name == "env.py" and path.exists():
            return _run_env_py(path)
        if not path.exists():
            return original(dir_, filename)
        # The file's time is in the key so that a test writing a script gets its own.
        key = (path.resolve(), path.stat().st_mtime)
        module = loaded.get(key)
        if module is None:
            module = loaded[key] = original(dir_, filename)
        return module

    load_python_file.shared = True  # type: ignore[attr-defined]
    alembic.util.load_python_file = load_python_file  # type: ignore[assignment]


_env_code: dict[tuple[Path, int, int], CodeType] = {}


def _run_env_py(path: Path) -> ModuleType:
    """Run env.py in a new module, as alembic does, from source compiled once per version."""
    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size)
    code = _env_code.get(key)
    if code is None:
        code = _env_code[key] = compile(path.read_bytes(), str(path), "exec")
    spec = importlib.util.spec_from_file_location("env_py", path)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    exec(code, module.__dict__)
    return module


def share_revision_maps() -> None:
    """Make alembic's script directories of the same scripts share one revision map (idempotent).

    Building the map (listing, reading and linking every script) was half of each app's
    start-up migration check. A map is keyed by the directory and each script file's name and
    time, so a test that adds, edits or removes a script gets a map of its own.
    """
    original: Callable[..., None] = ScriptDirectory.__init__
    if getattr(original, "shared", False):
        return
    maps: dict[tuple[Any, ...], RevisionMap] = {}

    def __init__(self: ScriptDirectory, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        key = (self.dir, self.sourceless, *_script_files(self._version_locations))
        self.revision_map = maps.setdefault(key, self.revision_map)

    __init__.shared = True  # type: ignore[attr-defined]
    ScriptDirectory.__init__ = __init__  # type: ignore[method-assign]


def _script_files(locations: Any) -> list[tuple[str, tuple[tuple[str, int], ...]]]:
    files = []
    for location in locations:
        try:
            entries = os.scandir(location)
        except FileNotFoundError:
            files.append((str(location), ()))
            continue
        with entries:
            listed = sorted((e.name, e.stat().st_mtime_ns) for e in entries)
        files.append((str(location), tuple(listed)))
    return files


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
