"""Anomalies warn by default; the var strict makes any of them fail the build."""

from pathlib import Path

from conftest import planted_issue_counts, run_dbt

CHECK = ["test", "--select", "data_quality_issues_is_empty"]
# one row per anomaly planted in the sample
PLANTED = planted_issue_counts().total()


def test_anomalies_only_warn_by_default(sample_build: Path, tmp_path: Path) -> None:
    result = run_dbt(CHECK, sample_build, tmp_path)
    assert result.returncode == 0, result.stdout
    assert f"WARN {PLANTED} data_quality_issues_is_empty" in result.stdout


def test_strict_mode_fails_on_any_anomaly(sample_build: Path, tmp_path: Path) -> None:
    result = run_dbt(CHECK, sample_build, tmp_path, {"strict": True})
    assert result.returncode != 0
    assert f"FAIL {PLANTED} data_quality_issues_is_empty" in result.stdout
