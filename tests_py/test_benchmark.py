"""The benchmark runs end to end on a small size, and its hand-written baseline is faithful."""

import subprocess
import sys
from pathlib import Path

from conftest import PROJECT_DIR

BENCHMARK = PROJECT_DIR / "benchmarks" / "benchmark.py"


def test_benchmark_writes_its_report_and_the_baseline_matches_the_export(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    command = [sys.executable, str(BENCHMARK), "--sizes", "3000", "--work", str(tmp_path / "work")]
    result = subprocess.run([*command, "--output", str(report)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    text = report.read_text(encoding="utf-8")
    # the hand-written statement writes the very bytes of the runner's default export
    assert "hand-written file identical to the project's: **yes**" in text
    for measurement in ("full build + default CSV export", "delta export after a 1 % change"):
        assert f"| 3,000 | {measurement} |" in text
