"""The benchmark runs end to end on a small size, and its hand-written baseline is faithful."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import PROJECT_DIR

BENCHMARK = PROJECT_DIR / "benchmarks" / "benchmark.py"
SVG = "{http://www.w3.org/2000/svg}"
_spec = importlib.util.spec_from_file_location("benchmark", BENCHMARK)
benchmark = sys.modules["benchmark"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(benchmark)


def test_benchmark_writes_its_report_and_the_baseline_matches_the_export(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    baseline = tmp_path / "baseline.json"
    earlier = {"full": [40.0, 900], "filtered": [30.0, 800], "delta": [20.0, 700], "handwritten": [2.0, 100]}
    sizes = {"3000": earlier}
    baseline.write_text(json.dumps({"label": "an earlier run", "sample": [12.5, 208], "sizes": sizes}))
    command = [sys.executable, str(BENCHMARK), "--sizes", "3000", "--work", str(tmp_path / "work")]
    command += ["--baseline", str(baseline), "--output", str(report), "--label", "a test run"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    text = report.read_text(encoding="utf-8")
    # the hand-written statement writes the very bytes of the runner's default export
    assert "hand-written file identical to the project's: **yes**" in text
    # each measurement, with this run's figures beside the baseline's
    results = json.loads((tmp_path / "work" / "results.json").read_text())
    assert results["label"] == "a test run"
    figures = results["sizes"]["3000"]
    for key, label in benchmark.MEASUREMENTS:
        seconds, rss, disk, spill = figures[key]
        before = f"{earlier[key][0]:.1f} | {earlier[key][1]} |" if key in earlier else " |  |"
        assert f"| 3,000 | {label} |" in text
        line = next(line for line in text.splitlines() if line.startswith(f"| 3,000 | {label} |"))
        assert line.endswith(
            f"| {seconds:.1f} | {seconds / 0.003:.1f} | {rss} | {disk} | {spill} | {before}"
        ), line
        assert disk > 0, key  # the database or the file, in the watched run folder
    # the hand-written statement's folder holds its file alone, not the project's database
    assert 0 < figures["handwritten"][2] < figures["full"][2]
    # the chart, drawn beside the report where the report links it
    assert f"]({benchmark.CHART})" in text
    drawn = ElementTree.parse(tmp_path / benchmark.CHART).getroot().iter(f"{SVG}circle")
    assert {c.get("data-series") for c in drawn} == {key for key, *_ in benchmark.CHART_SERIES}
    named = Path(os.path.relpath(baseline, PROJECT_DIR)).as_posix()
    assert f"the figures of {named}: an earlier run" in text
    assert "(target < 8 s; before 12.5 s, parsing)" in text
    # the ratios to the targets, before and now
    assert "second export / hand-written = **" in text and "(target ≤ 0.5, before 15.00)" in text
    assert "delta after 1 % / full export = **" in text and "(target ≤ 0.2, before 0.50)" in text


def test_a_failed_hand_written_statement_is_reported_not_fatal(tmp_path: Path) -> None:
    """At a size where the hand-written statement runs out of memory, the report says so and
    keeps the project's figures; its ratios are not made up."""
    with pytest.raises(benchmark.Failed) as failure:
        out_of_memory = "raise SystemExit('loading\\nOut of Memory Error: at 2.7 GiB | 3 GB')"
        benchmark.measure_or_fail([sys.executable, "-c", out_of_memory])
    assert failure.value.reason == "Out of Memory Error: at 2.7 GiB / 3 GB"
    assert failure.value.out_of_memory()
    assert "loading" in failure.value.output
    with pytest.raises(benchmark.Failed) as failure_of_sql:
        benchmark.measure_or_fail([sys.executable, "-c", "raise SystemExit('Parser Error: syntax')"])
    assert not failure_of_sql.value.out_of_memory()

    timings = {"buildSeconds": 1.0, "dbtRunSeconds": 0.5, "writeSeconds": 0.2, "nodeSeconds": {"a": 0.1}}
    result = {
        "trackings": 3000,
        "rows": 10,
        "filtered_rows": 5,
        "delta_rows": 1,
        **{key: benchmark.Measure(2.0, 100.0) for key in ("full", "filtered", "delta_first", "delta")},
        "handwritten_failed": failure.value.reason,
        "profile": {key: timings for key in benchmark.PROFILED},
    }
    sample = (benchmark.Measure(5.0, 200.0), benchmark.Measure(3.0, 190.0))
    text = benchmark.report([result], sample, "python benchmarks/benchmark.py", "3GB", {}, "baseline.json")
    label = dict(benchmark.MEASUREMENTS)["handwritten"]
    assert f"| 3,000 | {label} | | failed: Out of Memory Error: at 2.7 GiB / 3 GB |" in text
    assert "full export / hand-written: not measured (the hand-written statement failed)" in text
    assert "delta after 1 % / full export = **1.00**" in text
    assert "hand-written file identical to the project's: **not compared**" in text
    assert "**5.0 s** parsing the project, **3.0 s** on the parse a previous run kept" in text
    assert "handwritten" not in benchmark.figures([result], sample)["sizes"]["3000"]


def test_the_chart_draws_each_measurement_where_it_belongs() -> None:
    sizes = {  # [seconds, peak RSS MiB, disk, spill], as results.json holds them
        "1000000": {
            "full": [10.0, 1000],
            "filtered": [2.0, 500],
            "delta": [5.0, 600],
            "handwritten": [3.0, 900],
        },
        "10000000": {"full": [100.0, 4000], "filtered": [20.0, 2000], "delta": [50.0, 2500]},  # one failed
    }
    points = {
        (int(c.get("data-panel")), c.get("data-series"), float(c.get("data-value"))): (
            float(c.get("cx")),
            float(c.get("cy")),
        )
        for c in ElementTree.fromstring(benchmark.chart(sizes)).iter(f"{SVG}circle")
    }
    expected = {
        (panel, key, figures[key][panel]) for figures in sizes.values() for key in figures for panel in (0, 1)
    }
    assert set(points) == expected  # each measured figure once, in its panel; none for the failed one
    (small_x, small_y), (large_x, large_y) = points[0, "full", 10.0], points[0, "full", 100.0]
    assert large_x > small_x and large_y < small_y  # more trackings to the right, more time higher
    # both axes are logarithmic: ten times more is the same distance whatever the value
    assert small_y - large_y == pytest.approx(points[0, "filtered", 2.0][1] - points[0, "filtered", 20.0][1])
    assert points[1, "full", 4000][1] < points[1, "delta", 2500][1] < points[1, "filtered", 2000][1]


def test_the_folder_watch_keeps_the_peak_size_and_spill(tmp_path: Path) -> None:
    watch = benchmark.FolderWatch(tmp_path)
    # random bytes: a compressing file system cannot shrink them; at least their size on disk
    (tmp_path / "db.duckdb").write_bytes(os.urandom(3 * 2**20))
    (tmp_path / "db.duckdb.tmp").mkdir()
    (tmp_path / "db.duckdb.tmp" / "spill.block").write_bytes(os.urandom(2**20))
    for path in (tmp_path / "db.duckdb", tmp_path / "db.duckdb.tmp" / "spill.block"):
        with path.open("rb+") as written:
            os.fsync(written.fileno())  # allocated now, not at a later flush
    watch.sample()
    (tmp_path / "db.duckdb.tmp" / "spill.block").unlink()  # gone by the end: the peak stays
    watch.sample()
    assert 2**20 <= watch.peak_spill < watch.peak_disk
    assert watch.peak_disk >= 4 * 2**20


def test_a_run_rewrites_only_its_block_of_benchmarks_md() -> None:
    """The figures are the script's; the analysis around them is written by hand and stays."""
    document = (PROJECT_DIR / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert benchmark.BLOCK.search(document), "BENCHMARKS.md has no block for the script to rewrite"
    rewritten = benchmark.with_report(document, "Produced by a test.\n")
    before, after = document.split(benchmark.BLOCK_START)[0], document.split(benchmark.BLOCK_END)[1]
    assert (
        rewritten == f"{before}{benchmark.BLOCK_START}\n\nProduced by a test.\n\n{benchmark.BLOCK_END}{after}"
    )
    assert "## What would close the gaps" in after
    assert benchmark.with_report(None, "x\n").startswith("# Benchmarks\n")
    with pytest.raises(SystemExit):
        benchmark.with_report("# Benchmarks\n\nno block\n", "x\n")
