"""Measure the project on generated data and write the figures into BENCHMARKS.md.

    python benchmarks/benchmark.py                      # 1 M and 10 M trackings (as in BENCHMARKS.md)
    python benchmarks/benchmark.py --sizes 100000       # a quick run

For each size: generate the raw extract (scripts/generate_data.py), then, each in a process
of its own so that its peak memory (RSS) is its own, with the peak size on disk of its run
folder and of DuckDB's spill in it (FolderWatch):
  1. full build + default CSV export, on a new database (the runner);
  2. a second export of the same extract with filters and non-default rendering, on that
     database (the runner reuses the warehouse: it builds only the export);
  3. a delta export after a 1 % change: a first delta export records the state, then 1 % of
     the trackings, one training title and one entity name change, and a second delta
     export sends what changed;
  4. the hand-written single DuckDB statement (benchmarks/handwritten_export.sql) producing the
     default export file from the same files: the practical limit; its file is compared
     with the runner's byte for byte.
Plus the sample data end to end (dbt start-up included), on a new database: once parsing the
project, once on the parse the first run kept. Times are wall-clock seconds. Each benchmark
run names its databases anew (DATABASE): the runner keeps its parse of the project per
database, so the first build of each size parses the project, as on a new machine.

The run rewrites only its block of BENCHMARKS.md, between BLOCK_START and BLOCK_END; the
analysis around it (what changed, what would close the gaps, runs at other sizes) is written
by hand there, against the figures it names.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from exporter.resources import Machine  # noqa: E402  (the runner's package, beside)

PYTHON = sys.executable
# the databases' name, this run's own: no parse the runner kept in an earlier run is for them
DATABASE = f"bench-{time.time_ns()}.duckdb"
EXPORT = [PYTHON, str(PROJECT_DIR / "scripts" / "export.py")]
GENERATE = [PYTHON, str(PROJECT_DIR / "scripts" / "generate_data.py")]
HANDWRITTEN = PROJECT_DIR / "benchmarks" / "handwritten_export.sql"
# The figures shown beside this run's ("before"), in the shape of the results.json a run writes
# into its work folder: copy that file here to move the comparison forward.
BASELINE = PROJECT_DIR / "benchmarks" / "baseline.json"
# What is measured for each size, in the report's order: (key, label).
MEASUREMENTS = [
    ("full", "full build + default CSV export, new database"),
    ("filtered", "second export of the same extract: filters, non-default rendering"),
    ("delta_first", "first delta export (records the state)"),
    ("delta", "delta export after a 1 % change"),
    ("handwritten", "hand-written single DuckDB statement, default export"),
]
# The targets: (label, measurement, relative to, at most)
TARGETS = [
    ("full export / hand-written", "full", "handwritten", 1.5),
    ("second export / hand-written", "filtered", "handwritten", 0.5),
    ("delta after 1 % / full export", "delta", "full", 0.2),
]
SAMPLE_TARGET = 8.0
AS_OF = ["--asOf", "2022-01-01T00:00:00Z"]
FILTERED = [
    "--activityType",
    "quiz,assignment,classroom activity",
    "--reportStatus",
    "completed,pendingFeedback",
    "--dateTimeFormat",
    "DD/MM/YYYY hh:ii",
    "--timeGlobalFormat",
    "iso-8601",
    "--timezone",
    "Europe/Paris",
    "--decimal",
    "comma",
]


# The block of BENCHMARKS.md this script writes; the rest of the file is written by hand.
BLOCK_START = "<!-- benchmark:start (written by benchmarks/benchmark.py; edit outside this block) -->"
BLOCK_END = "<!-- benchmark:end -->"
BLOCK = re.compile(re.escape(BLOCK_START) + r"\n.*?" + re.escape(BLOCK_END), re.S)
# the runs whose time the profile splits, from their manifests
PROFILED = ("full", "filtered", "delta")
# how many of the slowest models and seeds the profile lists by name
PROFILED_NODES = 6


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_rss_mib: float
    # the run folder's peak size on disk during the measured command (database, file, spill) and,
    # of it, DuckDB's spill folders (<database>.tmp): sampled every WATCH_SECONDS
    peak_disk_mib: float = 0.0
    peak_spill_mib: float = 0.0


WATCH_SECONDS = 0.5


class FolderWatch(threading.Thread):
    """Samples the size on disk of what `folder` holds, and of its spill folders (*.tmp), until
    stopped; keeps the peak of each."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__(daemon=True)
        self.folder = folder
        self.stopped = threading.Event()
        self.peak_disk = self.peak_spill = 0

    def run(self) -> None:
        while not self.stopped.wait(WATCH_SECONDS):
            self.sample()

    def sample(self) -> None:
        if self.folder is None:
            return
        disk = spill = 0
        for parent, _, names in os.walk(self.folder):
            spilled = any(part.endswith(".tmp") for part in Path(parent).relative_to(self.folder).parts)
            for name in names:
                try:
                    size = os.lstat(os.path.join(parent, name)).st_blocks * 512
                except FileNotFoundError:  # removed while the folder was walked
                    continue
                disk += size
                spill += size if spilled else 0
        self.peak_disk, self.peak_spill = max(self.peak_disk, disk), max(self.peak_spill, spill)

    def stop(self) -> None:
        self.stopped.set()
        self.join()
        self.sample()


class Failed(Exception):
    """A measured command that failed: its whole `output`, and `reason`, the line that says why."""

    def __init__(self, output: str, status: int) -> None:
        errors = [line.strip() for line in output.splitlines() if "Error" in line]
        self.reason = (errors[-1] if errors else f"exit status {status}").replace("|", "/")
        self.output = output
        super().__init__(self.reason)

    def out_of_memory(self) -> bool:
        return self.reason.startswith(("Out of Memory Error", "_duckdb.OutOfMemoryException"))


def measure(
    command: list[str], environment: dict[str, str] | None = None, watch: Path | None = None
) -> Measure:
    """Run `command` to its end; its wall-clock time, peak RSS and the peak size of the folder
    `watch` (and of its spill). A failure stops the benchmark."""
    try:
        return measure_or_fail(command, environment, watch)
    except Failed as failure:
        sys.exit(f"benchmark: {' '.join(command)} failed:\n{failure.output}")


def measure_or_fail(
    command: list[str], environment: dict[str, str] | None = None, watch: Path | None = None
) -> Measure:
    """measure, or Failed naming the error."""
    started = time.monotonic()
    watcher = FolderWatch(watch)
    watcher.start()
    try:
        process = subprocess.Popen(
            command, env={**os.environ, **(environment or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
    finally:
        watcher.stop()
    output = (process.stdout.read() + process.stderr.read()).decode() if process.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise Failed(output, os.waitstatus_to_exitcode(status))
    return Measure(seconds, usage.ru_maxrss / 1024, watcher.peak_disk / 2**20, watcher.peak_spill / 2**20)


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def handwritten(raw: Path, output: Path, memory_limit: str) -> list[str]:
    """A command running the hand-written statement on `raw`, writing `output`; it spills into
    <output>.tmp, beside it."""
    sql = HANDWRITTEN.read_text(encoding="utf-8")
    sql = sql.replace("{raw_path}", literal(str(raw))).replace("{output}", literal(str(output)))
    spill = literal(str(output) + ".tmp")
    settings = f"set memory_limit = {literal(memory_limit)}; set temp_directory = {spill}; "
    return [PYTHON, "-c", "import duckdb, sys; duckdb.connect().execute(sys.argv[1])", settings + sql]


def change_one_percent(raw: Path, changed: Path) -> None:
    """A copy of `raw` where 1 % of trackings progressed, a training and an entity were renamed."""
    shutil.copytree(raw, changed)
    edits = {
        # the current version of 1 % of the trackings (not the older duplicates of their keys)
        "trackings": "update trackings set progression = 100, updated_at = timestamp '2023-01-01' "
        "where hash(tracking_id, 'benchmark') % 100 = 0 and updated_at >= timestamp '2021-01-01'",
        "trainings": "update trainings set title = title || ' (renamed)' where training_id = 1",
        "entities": "update entities set entity_name = entity_name || ' (renamed)' where entity_id = 7",
    }
    with duckdb.connect() as connection:
        for table, statement in edits.items():
            path = literal(str(changed / f"{table}.parquet"))
            connection.execute(f"create table {table} as select * from read_parquet({path})")
            connection.execute(statement)
            connection.execute(f"copy {table} to {path} (format parquet)")


def rows_of(path: Path) -> int:
    with duckdb.connect() as connection:
        return connection.execute(
            "select count(*) from read_csv(?, delim = ';', header = true, all_varchar = true)", [str(path)]
        ).fetchone()[0]


def digest_and_remove(path: Path) -> str:
    """The SHA-256 of a measured file, read in chunks; the file is then removed, as every export
    file is once counted (at 30 M trackings each CSV is about 10 GB); its manifest stays."""
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    path.unlink()
    return digest


def bench_size(trackings: int, work: Path, memory_limit: str) -> dict:
    """Every measurement for one size."""
    raw = work / f"raw-{trackings}"
    results: dict = {"trackings": trackings}
    if not raw.exists():
        results["generate"] = measure([*GENERATE, "--out", str(raw), "--trackings", str(trackings)])
    run = work / f"run-{trackings}"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    environment = {
        "ACTIVITY_TRACKING_DB": str(run / DATABASE),
        "ACTIVITY_TRACKING_MEMORY_LIMIT": memory_limit,
        # the spill in the watched folder, whatever the caller's environment says
        "ACTIVITY_TRACKING_TEMP_DIR": str(run / DATABASE) + ".tmp",
    }
    source = ["--raw-path", str(raw), *AS_OF]

    default = run / "default.csv"
    results["full"] = measure([*EXPORT, *source, "--output", str(default)], environment, run)
    results["rows"] = rows_of(default)
    default_digest = digest_and_remove(default)
    filtered = run / "filtered.csv"
    results["filtered"] = measure([*EXPORT, *source, *FILTERED, "--output", str(filtered)], environment, run)
    results["filtered_rows"] = rows_of(filtered)
    filtered.unlink()

    delta = ["--deltaMode", "Y", "--export-guid", "BENCHMARK", *AS_OF]
    results["delta_first"] = measure(
        [*EXPORT, "--raw-path", str(raw), *delta, "--output", str(run / "delta-0.csv")], environment, run
    )
    (run / "delta-0.csv").unlink()
    # an input, like the extract: outside the watched folder
    changed = work / f"raw-{trackings}-changed"
    shutil.rmtree(changed, ignore_errors=True)
    change_one_percent(raw, changed)
    delta_file = run / "delta-1.csv"
    results["delta"] = measure(
        [*EXPORT, "--raw-path", str(changed), *delta, "--output", str(delta_file)], environment, run
    )
    results["delta_rows"] = rows_of(delta_file)
    delta_file.unlink()
    shutil.rmtree(changed)

    results["profile"] = {
        "full": manifest_timings(default),
        "filtered": manifest_timings(filtered),
        "delta": manifest_timings(delta_file),
    }
    # the yardstick may not hold in the memory limit the project holds in: the report says so
    # (any other failure of it stops the benchmark, as the project's do)
    # in a folder of its own, watched without the project's database
    (run / "handwritten").mkdir()
    by_hand = run / "handwritten" / "handwritten.csv"
    command = handwritten(raw, by_hand, memory_limit)
    try:
        results["handwritten"] = measure_or_fail(command, watch=by_hand.parent)
        results["identical"] = digest_and_remove(by_hand) == default_digest
    except Failed as failure:
        if not failure.out_of_memory():
            sys.exit(f"benchmark: the hand-written statement failed:\n{failure.output}")
        results["handwritten_failed"] = failure.reason
        by_hand.unlink(missing_ok=True)
    return results


def manifest_timings(output: Path) -> dict:
    """The timings the runner wrote into the manifest of `output`."""
    manifest = output.with_name(output.name + ".manifest.json")
    return json.loads(manifest.read_text(encoding="utf-8"))["timings"]


def profile(result: dict) -> list[str]:
    """Where the time of the full export, the second export and the delta went, from their manifests."""
    columns = [(result[key].seconds, result["profile"][key]) for key in PROFILED]
    slowest = result["profile"]["full"]["nodeSeconds"]
    nodes = [name for name in slowest if name != "data tests"][:PROFILED_NODES]

    def row(label: str, values: list[float]) -> str:
        return f"| {label} | " + " | ".join(f"{value:.1f}" for value in values) + " |"

    lines = [
        f"Where the time goes, {result['trackings']:,} trackings (seconds; from the runner's manifests; dbt "
        "runs two nodes at a time, so node times overlap and add up to more than dbt's run):",
        "",
        "| | full build + default export | second export of the same extract | delta after a 1 % change |",
        "|---|---:|---:|---:|",
        row("whole run (wall clock, process start to exit)", [wall for wall, _ in columns]),
        row("dbt start-up and parsing", [t["buildSeconds"] - t["dbtRunSeconds"] for _, t in columns]),
        row("dbt run (the nodes below)", [t["dbtRunSeconds"] for _, t in columns]),
    ]
    for name in nodes:
        lines.append(row(f"· {name}", [t["nodeSeconds"].get(name, 0.0) for _, t in columns]))
    lines.append(row("· data tests, together", [t["nodeSeconds"].get("data tests", 0.0) for _, t in columns]))
    others = [
        sum(v for k, v in t["nodeSeconds"].items() if k not in nodes and k != "data tests")
        for _, t in columns
    ]
    lines.append(row("· every other model and seed", others))
    lines.append(row("writing the file (and the delta state)", [t["writeSeconds"] for _, t in columns]))
    return [*lines, ""]


def sample_end_to_end(work: Path) -> tuple[Measure, Measure]:
    """The sample data end to end on a new database: parsing the project (no parse is kept for
    that database), then again on a new database at the same place, on the parse the first kept."""
    run = work / "sample"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    database = run / DATABASE
    measures = []
    for _ in range(2):
        database.unlink(missing_ok=True)
        command = [*EXPORT, *AS_OF, "--output", str(run / "sample.csv")]
        measures.append(measure(command, {"ACTIVITY_TRACKING_DB": str(database)}))
    return measures[0], measures[1]


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, {platform.system()} {platform.release()}"


def figures(results: list[dict], sample: tuple[Measure, Measure]) -> dict:
    """This run's figures, in the shape of baseline.json: [seconds, peak RSS MiB, peak disk MiB,
    peak spill MiB] per measurement (a baseline may hold only the first two)."""
    sizes = {}
    for result in results:
        keys = [key for key in ["generate", *(key for key, _ in MEASUREMENTS)] if key in result]
        sizes[str(result["trackings"])] = {
            key: [
                round(result[key].seconds, 1),
                round(result[key].peak_rss_mib),
                round(result[key].peak_disk_mib),
                round(result[key].peak_spill_mib),
            ]
            for key in keys
        }
    parsing, kept = ([round(run.seconds, 1), round(run.peak_rss_mib)] for run in sample)
    return {"sample": parsing, "sampleKeptParse": kept, "sizes": sizes}


def report(
    results: list[dict],
    sample: tuple[Measure, Measure],
    command: str,
    memory_limit: str,
    baseline: dict,
    baseline_name: str,
) -> str:
    now = figures(results, sample)["sizes"]
    before = baseline.get("sizes", {})
    label = baseline.get("label", "before")

    def was(size: str, key: str, index: int) -> str:
        value = before.get(size, {}).get(key)
        return "" if value is None else f"{value[index]:.1f}" if index == 0 else f"{value[index]:.0f}"

    old_sample = baseline.get("sample")
    identical = {True: "yes", False: "NO"}
    lines = [
        f"Produced by `{command}` (see benchmarks/benchmark.py) on {time.strftime('%Y-%m-%d')}.",
        f"Machine: {machine()}. DuckDB {duckdb.__version__}, one process per measurement; times are",
        "wall-clock seconds, memory is the measured process's peak RSS, disk the peak size of what "
        "the process wrote (the database, the file and DuckDB's spill; not the raw extract), sampled "
        f"every {WATCH_SECONDS} s. DuckDB memory_limit: "
        f"{memory_limit} (ACTIVITY_TRACKING_MEMORY_LIMIT), threads: one per core. The columns "
        f"*before* are the figures of {baseline_name}: {label}.",
        "",
        f"Sample data end to end (process start to exit, dbt start-up included, new database): "
        f"**{sample[0].seconds:.1f} s** parsing the project, **{sample[1].seconds:.1f} s** on the parse "
        f"a previous run kept (target < {SAMPLE_TARGET:.0f} s; before "
        f"{old_sample[0] if old_sample else '?'} s, parsing), peak RSS {sample[0].peak_rss_mib:.0f} "
        f"and {sample[1].peak_rss_mib:.0f} MiB.",
        "",
        f"![Time and peak RSS against size, ours beside the hand-written statement]({CHART})",
        "",
        "| trackings | measurement | rows | seconds | s per M trackings | peak RSS (MiB) "
        "| peak disk (MiB) | of which spill (MiB) | before: seconds | before: peak RSS (MiB) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        size, n = str(result["trackings"]), f"{result['trackings']:,}"
        millions = result["trackings"] / 1e6
        rows = {
            "full": result["rows"],
            "filtered": result["filtered_rows"],
            "delta_first": result["rows"],
            "delta": result["delta_rows"],
            "handwritten": result["rows"],
        }
        measured = [("generate", "generate the raw extract")] if "generate" in result else []
        for key, text in measured + MEASUREMENTS:
            if key not in now[size]:
                lines.append(
                    f"| {n} | {text} | | failed: {result['handwritten_failed']} | | | | | "
                    f"{was(size, key, 0)} | {was(size, key, 1)} |"
                )
                continue
            seconds, rss, disk, spill = now[size][key]  # as results.json records them
            count = f"{rows[key]:,}" if key in rows else ""
            lines.append(
                f"| {n} | {text} | {count} | {seconds:.1f} | {seconds / millions:.1f} | "
                f"{rss} | {disk} | {spill} | {was(size, key, 0)} | {was(size, key, 1)} |"
            )
        ratios = []
        for text, key, relative_to, at_most in TARGETS:
            if relative_to not in result:
                ratios.append(f"{text}: not measured (the hand-written statement failed)")
                continue
            ratio = result[key].seconds / result[relative_to].seconds
            old = before.get(size, {})
            known = key in old and relative_to in old
            earlier = f", before {old[key][0] / old[relative_to][0]:.2f}" if known else ""
            ratios.append(f"{text} = **{ratio:.2f}** (target ≤ {at_most}{earlier})")
        lines += [
            "",
            f"{n} trackings: " + "; ".join(ratios) + "; hand-written file identical to the project's: "
            f"**{identical.get(result.get('identical'), 'not compared')}**.",
            "",
        ]
    for result in results:
        lines += profile(result)
    return "\n".join(lines).rstrip("\n") + "\n"


# The chart's series: (measurement, label, colour); the hand-written statement is the yardstick.
CHART_SERIES = [
    ("full", "full build + export", "#1f77b4"),
    ("filtered", "second export", "#2ca02c"),
    ("delta", "delta after 1 %", "#ff7f0e"),
    ("handwritten", "hand-written statement", "#7f7f7f"),
]
# the panels: (title, index of the figure in results.json's lists)
CHART_PANELS = [("time (s, log scale)", 0), ("peak RSS (MiB, log scale)", 1)]
PANEL_WIDTH, PANEL_HEIGHT, MARGIN = 420, 300, 60
# where the chart is written, relative to the report's folder (as the report links it)
CHART = "benchmarks/chart.svg"


def chart(figures_by_size: dict[str, dict[str, list]]) -> str:
    """An SVG of time and peak RSS against the number of trackings (log-log), one line per
    series of CHART_SERIES, from the figures of results.json ("sizes"); a measurement that
    failed has no point."""
    sizes = sorted(int(size) for size in figures_by_size)
    width = len(CHART_PANELS) * (PANEL_WIDTH + MARGIN) + MARGIN
    height = PANEL_HEIGHT + 2 * MARGIN + 20 * len(CHART_SERIES)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]

    def scale(value: float, low: float, high: float, length: float) -> float:
        """Where `value` falls on a log axis from `low` to `high` of `length` pixels."""
        if high <= low:
            return length / 2
        return (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low)) * length

    for index, (title, figure) in enumerate(CHART_PANELS):
        left = MARGIN + index * (PANEL_WIDTH + MARGIN)
        measured = {
            (size, key): figures_by_size[str(size)][key][figure]
            for size in sizes
            for key, *_ in CHART_SERIES
            if key in figures_by_size[str(size)] and figures_by_size[str(size)][key][figure] > 0
        }
        values = list(measured.values())
        low, high = min(values) / 1.2, max(values) * 1.2
        x_low, x_high = min(sizes) / 1.5, max(sizes) * 1.5
        parts.append(
            f'<rect x="{left}" y="{MARGIN}" width="{PANEL_WIDTH}" height="{PANEL_HEIGHT}" '
            'fill="none" stroke="#999"/>'
        )
        parts.append(f'<text x="{left}" y="{MARGIN - 10}" font-weight="bold">{title}</text>')
        for size in sizes:
            x = left + scale(size, x_low, x_high, PANEL_WIDTH)
            parts.append(
                f'<text x="{x:.1f}" y="{MARGIN + PANEL_HEIGHT + 15}" text-anchor="middle">'
                f"{size / 1e6:g} M</text>"
            )
        for key, _, colour in CHART_SERIES:
            points = []
            for size in sizes:
                if (size, key) in measured:
                    value = measured[size, key]
                    x = left + scale(size, x_low, x_high, PANEL_WIDTH)
                    y = MARGIN + PANEL_HEIGHT - scale(value, low, high, PANEL_HEIGHT)
                    points.append((x, y, value))
            if len(points) > 1:
                line = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
                parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}"/>')
            for x, y, value in points:
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}" '
                    f'data-panel="{index}" data-series="{key}" data-value="{value:g}"/>'
                )
                shown = f"{value:.0f}" if value >= 10 else f"{value:.1f}"
                parts.append(f'<text x="{x + 5:.1f}" y="{y - 5:.1f}" fill="{colour}">{shown}</text>')
    legend_top = MARGIN + PANEL_HEIGHT + 35
    for index, (_, label, colour) in enumerate(CHART_SERIES):
        y = legend_top + 20 * index
        parts.append(f'<rect x="{MARGIN}" y="{y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{MARGIN + 16}" y="{y}">{label}</text>')
    parts.append(
        f'<text x="{width - MARGIN}" y="{MARGIN + PANEL_HEIGHT + 30}" text-anchor="end">trackings</text>'
    )
    return "\n".join([*parts, "</svg>"]) + "\n"


def with_report(document: str | None, text: str) -> str:
    """`document` (BENCHMARKS.md, None when there is none yet) with its generated block replaced by
    the report `text`; what is outside the block stays as it is."""
    block = f"{BLOCK_START}\n\n{text}\n{BLOCK_END}"
    if document is None:
        return f"# Benchmarks\n\n{block}\n"
    if not BLOCK.search(document):
        raise SystemExit(f"benchmark: no {BLOCK_START} … {BLOCK_END} block to rewrite")
    return BLOCK.sub(lambda _: block, document, count=1)


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python benchmarks/benchmark.py", description=__doc__.split("\n")[0])
    cli.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    cli.add_argument("--work", type=Path, default=PROJECT_DIR / "build" / "benchmark")
    cli.add_argument("--output", type=Path, default=PROJECT_DIR / "BENCHMARKS.md")
    cli.add_argument(
        "--memory-limit",
        help="DuckDB memory_limit of every measured run (default: the runner's for this machine)",
    )
    cli.add_argument("--baseline", type=Path, default=BASELINE, help="the figures shown as 'before'")
    cli.add_argument(
        "--label",
        help="what this run measured, written into results.json as its label (default: today's date)",
    )
    args = cli.parse_args(argv)
    args.memory_limit = args.memory_limit or Machine.detect().memory_limit()
    baseline = json.loads(args.baseline.read_text(encoding="utf-8"))
    args.work.mkdir(parents=True, exist_ok=True)
    sample = sample_end_to_end(args.work)
    results = []
    for size in args.sizes:
        print(f"benchmark: {size:,} trackings...", file=sys.stderr, flush=True)
        results.append(bench_size(size, args.work, args.memory_limit))
    arguments = sys.argv[1:] if argv is None else argv
    command = shlex.join(["python", "benchmarks/benchmark.py", *arguments])  # as a shell reads it back
    labelled = {"label": args.label or time.strftime("%Y-%m-%d"), **figures(results, sample)}
    (args.work / "results.json").write_text(json.dumps(labelled, indent=2) + "\n", encoding="utf-8")
    chart_file = args.output.parent / CHART
    chart_file.parent.mkdir(parents=True, exist_ok=True)
    chart_file.write_text(chart(labelled["sizes"]), encoding="utf-8")
    baseline_name = Path(os.path.relpath(args.baseline.resolve(), PROJECT_DIR)).as_posix()
    text = report(results, sample, command, args.memory_limit, baseline, baseline_name)
    document = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    args.output.write_text(with_report(document, text), encoding="utf-8")
    print(f"Wrote {args.output} and {chart_file}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
