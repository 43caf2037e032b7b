"""The mart holds the platform's export fields with types that fit the platform's, and the internal
columns."""

from pathlib import Path

from conftest import PLATFORM_FIELDS, PLATFORM_TYPES, query

# Internal columns: content status, modality, import flags, entity path, the latest
# updated_at of the source rows, and the fingerprints delta mode compares.
INTERNAL_COLUMNS = {
    "reportStatus": "VARCHAR",
    "trainingModality": "VARCHAR",
    "isTrainingImported": "BOOLEAN",
    "isSessionImported": "BOOLEAN",
    "isRegistrationImported": "BOOLEAN",
    "candidateEntityPath": "VARCHAR",
    "sourceUpdatedAt": "TIMESTAMP",
    "customFieldsFingerprint": "VARCHAR",
    "rowFingerprint": "VARCHAR",
    "sourceFingerprint": "VARCHAR",
}


def test_mart_has_the_platform_fields_and_the_internal_columns(sample_build: Path) -> None:
    columns = dict(
        query(
            sample_build,
            "select column_name, data_type from information_schema.columns "
            "where table_name = 'activity_tracking'",
        )
    )
    misfits = {
        name: columns.get(name)
        for name, kind in PLATFORM_FIELDS.items()
        if columns.get(name) not in PLATFORM_TYPES[kind]
    }
    assert misfits == {}
    assert {name: columns.get(name) for name in INTERNAL_COLUMNS} == INTERNAL_COLUMNS


def test_export_columns_are_text_then_the_seconds_of_time_spent(sample_build: Path) -> None:
    """Every export field is text; the last column, timeSpentSeconds, is timeSpent's seconds as
    a number (for the typed file formats)."""
    columns = query(
        sample_build,
        "select column_name, data_type from information_schema.columns "
        "where table_name = 'activity_tracking_export' order by ordinal_position",
    )
    assert columns[-1] == ("timeSpentSeconds", "BIGINT")
    assert {data_type for _, data_type in columns[:-1]} == {"VARCHAR"}
    assert query(
        sample_build,
        "select count(*) from activity_tracking_export as export join activity_tracking as mart "
        "on mart.reportId = cast(export.reportId as bigint) "
        "where export.timeSpentSeconds is not distinct from mart.timeSpent",
    ) == query(sample_build, "select count(*) from activity_tracking")


def test_custom_fields_stay_long_format(sample_build: Path) -> None:
    rows = query(
        sample_build,
        "select candidateId, candidateCustomFieldGuid, candidateCustomFieldValue "
        "from learner_custom_fields order by 1, 2",
    )
    assert rows == [
        (101, "CF-COST-CENTER", "1234"),
        (101, "CF-DEPARTMENT", "Sales"),
        (102, "CF-DEPARTMENT", "L" * 250),
        (103, "CF-COST-CENTER", None),
        (103, "CF-DEPARTMENT", "Ventes"),
        (999, "CF-DEPARTMENT", "Nobody"),
    ]
