"""The test workers' shared URL builders build the same URLs as werkzeug's own."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import alembic.util
import pytest
from alembic.script import ScriptDirectory
from flask import url_for
from sqlalchemy import select, text

from webapp import ROOT
from webapp.extensions import db
from webapp.models import User

from .build_cache import TEMPLATE_BYTECODE
from .dbsetup import make_test_app
from .factories import make_user


def test_apps_share_a_routes_builder_and_build_their_own_urls(tmp_path: Path) -> None:
    for data_dir in ("a", "b"):
        (tmp_path / data_dir).mkdir()
    first, first_down = make_test_app(tmp_path / "a")
    second, second_down = make_test_app(tmp_path / "b")
    try:
        rules = [
            {rule.endpoint: rule for rule in app.url_map.iter_rules()}["cases.show"]
            for app in (first, second)
        ]
        assert rules[0] is not rules[1]
        assert rules[0]._build_unknown.__func__ is rules[1]._build_unknown.__func__
        for app, host in ((first, "a.lan"), (second, "b.lan")):
            with app.test_request_context(base_url=f"http://{host}/"):
                assert url_for("cases.show", case_id=7) == "/cases/7"
                assert url_for("cases.show", case_id=7, tab="x y") == "/cases/7?tab=x+y"
                assert url_for("cases.show", case_id=7, _external=True) == f"http://{host}/cases/7"
    finally:
        first_down()
        second_down()


def test_apps_share_a_routes_parsed_rule_and_match_with_their_own_converters(
    tmp_path: Path,
) -> None:
    for data_dir in ("a", "b"):
        (tmp_path / data_dir).mkdir()
    first, first_down = make_test_app(tmp_path / "a")
    second, second_down = make_test_app(tmp_path / "b")
    try:
        rules = [
            {rule.endpoint: rule for rule in app.url_map.iter_rules()}["cases.show"]
            for app in (first, second)
        ]
        assert rules[0]._parts == rules[1]._parts and rules[0]._parts is not rules[1]._parts
        assert rules[0].arguments == rules[1].arguments == {"case_id"}
        converters = [rule._converters["case_id"] for rule in rules]
        assert converters[0] is not converters[1]
        assert [c.map for c in converters] == [first.url_map, second.url_map]
        for app in (first, second):
            adapter = app.url_map.bind("localhost")
            assert adapter.match("/cases/7") == ("cases.show", {"case_id": 7})
    finally:
        first_down()
        second_down()


def test_apps_share_the_migration_scripts_and_each_is_brought_to_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[tuple[str, ModuleType]] = []
    shared = alembic.util.load_python_file

    def counting(dir_: Any, filename: Any) -> ModuleType:
        module = shared(dir_, filename)
        loads.append((Path(filename).name, module))
        return module

    directories: list[ScriptDirectory] = []
    from_config = ScriptDirectory.from_config

    def recording(config: Any) -> ScriptDirectory:
        directories.append(from_config(config))
        return directories[-1]

    # The worker's template databases are migrated once, by whichever test comes first.
    (tmp_path / "first").mkdir()
    make_test_app(tmp_path / "first")[1]()
    monkeypatch.setattr(ScriptDirectory, "from_config", recording)
    alembic.util.load_python_file = counting
    try:
        apps = []
        for data_dir in ("a", "b"):
            (tmp_path / data_dir).mkdir()
            apps.append(make_test_app(tmp_path / data_dir))
    finally:
        alembic.util.load_python_file = shared
    for app, teardown in apps:
        try:
            with app.app_context():
                head = ScriptDirectory(app.extensions["migrate"].directory).get_current_head()
                assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == head
        finally:
            teardown()
    # env.py runs for each app; both apps' checks read one revision map of the same scripts.
    assert [name for name, _ in loads].count("env.py") == 2
    assert len({id(module) for name, module in loads if name == "env.py"}) == 2
    first, second = directories
    assert first is not second and first.revision_map is second.revision_map
    scripts = [(name, module) for name, module in loads if name != "env.py"]
    assert all(module is dict(scripts)[name] for name, module in scripts)


def test_a_script_added_gets_a_revision_map_of_its_own(tmp_path: Path) -> None:
    directory = tmp_path / "migrations"
    shutil.copytree(ROOT / "migrations", directory)
    before = ScriptDirectory(str(directory))
    head = before.get_current_head()
    (directory / "versions" / "0000aaaa1111_added.py").write_text(
        f'revision = "0000aaaa1111"\ndown_revision = "{head}"\n'
        "def upgrade():\n    pass\ndef downgrade():\n    pass\n",
        encoding="utf-8",
    )
    after = ScriptDirectory(str(directory))
    assert after.revision_map is not before.revision_map
    assert (before.get_current_head(), after.get_current_head()) == (head, "0000aaaa1111")
    assert ScriptDirectory(str(directory)).revision_map is after.revision_map


def test_apps_share_compiled_templates(tmp_path: Path) -> None:
    apps = []
    for data_dir in ("a", "b"):
        (tmp_path / data_dir).mkdir()
        apps.append(make_test_app(tmp_path / data_dir))
    first, second = (app for app, _ in apps)
    try:
        assert first.test_client().get("/login", follow_redirects=True).status_code == 200

        def compile_again(*_args: Any, **_kwargs: Any) -> Any:
            raise AssertionError("a template compiled again")

        # The second app renders from the compiled templates the first app left.
        second.jinja_env.compile = compile_again  # type: ignore[method-assign]
        page = second.test_client().get("/login", follow_redirects=True)
        assert page.status_code == 200
        assert all(app.jinja_env.bytecode_cache is TEMPLATE_BYTECODE for app in (first, second))
    finally:
        for _, teardown in apps:
            teardown()


def test_apps_share_compiled_statements_and_each_reads_its_own_database(tmp_path: Path) -> None:
    apps = []
    for data_dir in ("a", "b"):
        (tmp_path / data_dir).mkdir()
        apps.append(make_test_app(tmp_path / data_dir))
    usernames = select(User.username).order_by(User.id)
    try:
        engines = []
        for number, (app, _) in enumerate(apps):
            with app.app_context():
                make_user(role="admin", username=f"admin-{number}")
                with db.engine.connect() as conn:
                    result = conn.execute(usernames)
                    assert result.scalars().all() == [f"admin-{number}"]
                engines.append((db.engine, result.context.cache_hit))
        first, second = engines
        assert first[0] is not second[0] and first[0].dialect is second[0].dialect
        # The second app ran the statement the first had compiled.
        assert second[1] == second[0].dialect.CACHE_HIT
    finally:
        for _, teardown in apps:
            teardown()
