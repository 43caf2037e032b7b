"""What a DuckDB of the runner may use: a memory limit and threads that fit the machine, or its
cgroup (a container's share), unless the environment names them.

The variables are those the project's on-run-start hook reads (macro apply_engine_settings,
which checks them): ACTIVITY_TRACKING_MEMORY_LIMIT, ACTIVITY_TRACKING_THREADS and
ACTIVITY_TRACKING_TEMP_DIR. The runner sets the first two for its dbt invocations when they are
unset (`environment`), and opens its own in-memory DuckDBs (the tables read back from Spark or
PostgreSQL) with the same values (`in_memory_duckdb`). A plain `dbt build` without them runs at
DuckDB's own defaults (80 % of the memory).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from exporter.errors import ExportError

MEMORY_VARIABLE = "ACTIVITY_TRACKING_MEMORY_LIMIT"
THREADS_VARIABLE = "ACTIVITY_TRACKING_THREADS"
TEMP_VARIABLE = "ACTIVITY_TRACKING_TEMP_DIR"
# DuckDB's limit covers its buffer manager, not all a process holds (dbt, Python, allocator
# slack): the benchmark measured a peak of 4.5 GiB at a limit of 4GB (docs/operating.md), so a
# limit of 30 % of the machine aims to keep a run under half of it.
MEMORY_SHARE = 0.3
# a floor, so that a very small (or misread) machine still gets a limit DuckDB can work in
SMALLEST_LIMIT = 256 * 2**20
# a cgroup without a limit says so with "max" (v2) or a number near 2**63 (v1)
UNLIMITED = 2**60


@dataclass(frozen=True)
class Machine:
    """The memory (bytes) and processors a process may use here."""

    memory: int
    cpus: int

    @classmethod
    def detect(cls, root: Path = Path("/"), cpus: int | None = None) -> Machine:
        """The machine under `root` (a test's fake one): the physical memory or the cgroup's
        limit, whichever is smaller; the processors this process may run on (`cpus`: how many,
        by default os.sched_getaffinity's) or the cgroup's CPU quota, whichever is fewer."""
        meminfo = (_read(root / "proc/meminfo") or "").splitlines()
        total = next((int(line.split()[1]) * 2**10 for line in meminfo if line.startswith("MemTotal:")), 0)
        limits = [_number(path) for path in _cgroup_files(root, "memory")]
        memory = min([total or UNLIMITED, *(limit for limit in limits if limit is not None)])
        allowed = cpus if cpus is not None else len(os.sched_getaffinity(0))
        return cls(memory=memory, cpus=max(1, min([allowed, *_cpu_quotas(root)])))

    def memory_limit(self) -> str:
        """DuckDB's memory limit for this machine: MEMORY_SHARE of its memory, in MiB."""
        return f"{max(SMALLEST_LIMIT, int(self.memory * MEMORY_SHARE)) // 2**20}MiB"


def settings(environ: Mapping[str, str], machine: Machine) -> dict[str, str]:
    """The memory limit and threads: the environment's, or the machine's."""
    return {
        MEMORY_VARIABLE: environ.get(MEMORY_VARIABLE, "").strip() or machine.memory_limit(),
        THREADS_VARIABLE: environ.get(THREADS_VARIABLE, "").strip() or str(machine.cpus),
    }


@contextmanager
def environment() -> Iterator[dict[str, str]]:
    """The settings in this process's environment (where dbt's hook reads them) for the time of
    the block; what the user set stays as it is."""
    chosen = settings(os.environ, Machine.detect())
    added = {name: value for name, value in chosen.items() if not os.environ.get(name, "").strip()}
    os.environ.update(added)
    try:
        yield chosen
    finally:
        for name in added:
            os.environ.pop(name, None)


def in_memory_duckdb(temp_directory: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB at the settings of the environment, spilling to
    ACTIVITY_TRACKING_TEMP_DIR or else to `temp_directory` (not the working folder, DuckDB's
    default); a value DuckDB refuses is the user's mistake, named."""
    chosen = settings(os.environ, Machine.detect())
    config = {
        "memory_limit": chosen[MEMORY_VARIABLE],
        "threads": chosen[THREADS_VARIABLE],
        "temp_directory": os.environ.get(TEMP_VARIABLE, "").strip() or str(temp_directory),
    }
    try:
        return duckdb.connect(config=config)
    except duckdb.Error as error:
        names = ", ".join((MEMORY_VARIABLE, THREADS_VARIABLE, TEMP_VARIABLE))
        raise ExportError(f"DuckDB refuses the settings of {names}: {error}") from None


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


def _number(path: Path) -> int | None:
    text = (_read(path) or "").strip()
    return int(text) if text.isdigit() and int(text) < UNLIMITED else None


def _cgroup_files(root: Path, name: str) -> list[Path]:
    """The cgroup files of this process for `name` ("memory", "cpu"): under its own cgroup's
    path and at the mount's root (a container sees its own cgroup there), v2 and v1."""
    v2, v1 = {"memory": ("memory.max", "memory.limit_in_bytes"), "cpu": ("cpu.max", "cpu.cfs_quota_us")}[name]
    lines = (_read(root / "proc/self/cgroup") or "").splitlines()
    paths = {"", *(line.split(":", 2)[2].strip("/") for line in lines if line.count(":") >= 2)}
    files = []
    for path in sorted(paths):
        files.append(root / "sys/fs/cgroup" / path / v2)
        files.append(root / "sys/fs/cgroup" / name / path / v1)
    return files


def _cpu_quotas(root: Path) -> list[int]:
    """The CPU quotas of this process's cgroups, in whole processors (rounded up)."""
    quotas = []
    for path in _cgroup_files(root, "cpu"):
        if path.name == "cpu.max":  # "<quota> <period>", or "max <period>"
            quota, period = [*(_read(path) or "").split(), "", ""][:2]
        else:
            quota = (_read(path) or "").strip()
            period = (_read(path.with_name("cpu.cfs_period_us")) or "").strip()
        if quota.isdigit() and period.isdigit() and int(period) > 0:
            quotas.append(max(1, math.ceil(int(quota) / int(period))))
    return quotas
