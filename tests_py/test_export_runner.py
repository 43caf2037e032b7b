"""The export runner end to end: XML configuration, columns, parameters, file."""

import json
import re
import shlex
import shutil
import subprocess
import textwrap
from pathlib import Path

from conftest import PLATFORM_FIELDS, PROJECT_DIR, in_order, planted_issue_counts, run_export

CONFIGURATION = """<export guid="A1B2">
  <providers>
    <activityProvider>
      <columns>
        <reportId label="Tracking"/>
        <candidateFirstname label="Prénom"/>
        <activityName/>
        <activityID/>
        <activityName label="Activity again"/>
        <constantValue value="ACME; Inc" label="Source"/>
        <constantValue value=""/>
        <candidateCustomFieldGuid label="Department">CF-DEPARTMENT</candidateCustomFieldGuid>
        <candidateCustomFieldGuid>CF-COST-CENTER</candidateCustomFieldGuid>
        <activityLastAccessDate label="Last access"/>
        <timeSpent/>
        <progression/>
      </columns>
      <parameters>
        <reportStatus><completed/><pendingFeedback/></reportStatus>
        <activityType>quiz, assignment</activityType>
        <entityIds>1</entityIds>
        <dateTimeFormat>YYYY-MM-DDThh:ii:ss</dateTimeFormat>
        <timeGlobalFormat>iso-8601</timeGlobalFormat>
        <timeFrames>3</timeFrames>
        <timeFramesScale>less_than_n_full_months</timeFramesScale>
        <asOf>2020-05-28</asOf>
      </parameters>
    </activityProvider>
  </providers>
  <actions>
    <fileExportAction>
      <format>csv</format>
      <delimiter>semicolon</delimiter>
      <decimal>comma</decimal>
    </fileExportAction>
  </actions>
</export>
"""

# Derived from the sample seeds: Chloé (learner 103, entity 5 under 1, Ventes) has the only
# completed or pending trackings of a training holding a quiz or an assignment (Sales
# Mastery) last accessed since 1 Feb 2020: 4020 (feedback given, 3600 s), 4021 (pending,
# 1800 s), 4023 (completed, 400 s).
EXPECTED = (
    "Tracking;Prénom;activityName;activityId;Activity again;Source;constantValue;Department;"
    "CF-COST-CENTER;Last access;timeSpent;progression\n"
    '4020;Chloé;Write a sales pitch;2007;Write a sales pitch;"ACME; Inc";"";Ventes;;'
    "2020-03-20T09:00:00;PT1H;100,00\n"
    '4021;Chloé;Sales certification;2008;Sales certification;"ACME; Inc";"";Ventes;;'
    "2020-03-12T09:00:00;PT30M;40,00\n"
    '4023;Chloé;Sales guide;2018;Sales guide;"ACME; Inc";"";Ventes;;'
    "2020-04-05T16:00:00;PT6M40S;100,00\n"
)


def test_default_export_writes_every_standard_field(default_export: tuple[Path, Path]) -> None:
    _, written = default_export
    lines = written.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(";")
    assert in_order(PLATFORM_FIELDS, header)
    assert len(set(header)) == len(header)
    manifest = json.loads(written.with_name("activity_tracking.csv.manifest.json").read_text())
    assert manifest["rowCount"] == 32
    assert manifest["asOf"] == "2021-01-01"
    assert manifest["engine"] == "duckdb"
    assert [column["label"] for column in manifest["columns"]] == header
    # where the build's time went: dbt's run within the build, each model and seed, the tests
    timings = manifest["timings"]
    assert timings["buildSeconds"] >= timings["dbtRunSeconds"] > 0
    nodes = timings["nodeSeconds"]
    assert {"activity_tracking", "activity_tracking_export", "trackings", "data tests"} <= nodes.keys()
    assert list(nodes.values()) == sorted(nodes.values(), reverse=True)


def export_with_configuration(
    default_export: tuple[Path, Path], tmp_path: Path, arguments: list[str]
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run the runner with CONFIGURATION on a copy of the sample build; return the result and file."""
    database = tmp_path / "copy.duckdb"
    shutil.copy(default_export[0], database)
    configuration = tmp_path / "export.xml"
    configuration.write_text(CONFIGURATION, encoding="utf-8")
    output = tmp_path / "out.csv"
    arguments = ["--config", str(configuration), "--output", str(output), *arguments]
    return run_export(arguments, database, tmp_path), output


def test_xml_configuration_gives_the_expected_file(default_export: tuple[Path, Path], tmp_path: Path) -> None:
    result, output = export_with_configuration(default_export, tmp_path, [])
    assert result.returncode == 0, result.stderr
    assert output.read_bytes() == EXPECTED.encode("utf-8")
    manifest = json.loads((tmp_path / "out.csv.manifest.json").read_text())
    assert manifest["exportGuid"] == "A1B2"
    assert manifest["parameters"]["reportStatus"] == "completed,pendingFeedback"
    assert manifest["rowCount"] == 3
    assert manifest["columns"][5] == {"label": "Source", "constantValue": "ACME; Inc"}
    assert manifest["columns"][7] == {"label": "Department", "candidateCustomFieldGuid": "CF-DEPARTMENT"}
    assert "Wrote 3 rows to" in result.stdout
    # the sample's planted anomalies, by code: the most frequent first, ties by code
    planted = sorted(planted_issue_counts().items(), key=lambda item: (-item[1], item[0]))
    by_code = ", ".join(f"{code} {count}" for code, count in planted)
    assert f"Data quality issues: {sum(count for _, count in planted)} ({by_code})." in result.stdout


def test_command_line_overrides_the_configuration(default_export: tuple[Path, Path], tmp_path: Path) -> None:
    arguments = ["--param", "entityIds=4", "--reportStatus", "incomplete", "--decimal", "point"]
    result, output = export_with_configuration(default_export, tmp_path, [*arguments, "--delimiter", "pipe"])
    assert result.returncode == 0, result.stderr
    # Bob (entity 4) has the one incomplete tracking (4028, 50 %, 500 s) of those trainings;
    # his department value is 260 characters in the raw data, cut to 250.
    assert output.read_text(encoding="utf-8").split("\n")[1] == (
        '4028|Bob|Write a sales pitch|2007|Write a sales pitch|ACME; Inc|""|'
        + "L" * 250
        + "||2020-03-07T09:00:00|PT8M20S|50.00"
    )


def test_the_shipped_xml_example_is_the_documented_one_and_gives_rows(
    default_export: tuple[Path, Path], tmp_path: Path
) -> None:
    """examples/export.xml is the XML block of docs/using.md, and the guide's command with it gives
    the rows the guide says on the sample."""
    guide = (PROJECT_DIR / "docs" / "using.md").read_text(encoding="utf-8")
    block = re.search(r"```xml\n(.*?)```", guide, re.S)
    assert block is not None
    assert (PROJECT_DIR / "examples" / "export.xml").read_text(encoding="utf-8") == textwrap.dedent(
        block.group(1)
    )
    command = next(
        line.split("#")[0]
        for line in guide.splitlines()
        if line.startswith("python scripts/export.py --config examples/export.xml --asOf")
    )
    arguments = shlex.split(command)[2:]
    arguments[arguments.index("--output") + 1] = str(tmp_path / "example.csv")
    database = tmp_path / "export.duckdb"
    shutil.copy(default_export[0], database)
    result = run_export(arguments, database, PROJECT_DIR)
    assert result.returncode == 0, result.stderr
    promised = re.search(r"gives it (\d+) rows", guide)
    assert promised is not None
    assert f"Wrote {promised.group(1)} rows" in result.stdout
    assert int(promised.group(1)) > 0
