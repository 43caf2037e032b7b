"""The mart holds the platform's export fields with their types, and the internal columns."""

from pathlib import Path

from conftest import query

# The platform's export fields (all but candidateCustomFieldGuid), with their mart types.
SYSTEM_FIELDS = {
    "reportId": "BIGINT",
    "reportGuid": "VARCHAR",
    "activityId": "BIGINT",
    "activityName": "VARCHAR",
    "activityType": "VARCHAR",
    "activityDuration": "VARCHAR",
    "activityPoints": "INTEGER",
    "likes": "INTEGER",
    "pointsGained": "INTEGER",
    "progressStatus": "VARCHAR",
    "attendanceStatus": "VARCHAR",
    "activityFirstAccessDate": "TIMESTAMP",
    "activityLastAccessDate": "TIMESTAMP",
    "submissionDate": "TIMESTAMP",
    "feedbackDate": "TIMESTAMP",
    "progression": "DECIMAL(5,2)",
    "score": "DECIMAL(9,2)",
    "timeSpent": "BIGINT",
    "scoreNPS": "INTEGER",
    "registrationDate": "TIMESTAMP",
    "registrationGuid": "VARCHAR",
    "candidateId": "BIGINT",
    "candidateGuid": "VARCHAR",
    "candidateLogin": "VARCHAR",
    "candidateEmail": "VARCHAR",
    "candidateFirstname": "VARCHAR",
    "candidateName": "VARCHAR",
    "candidateRefNumber": "VARCHAR",
    "candidateEntityId": "BIGINT",
    "candidateEntityName": "VARCHAR",
    "sessionId": "BIGINT",
    "sessionGuid": "VARCHAR",
    "sessionTitle": "VARCHAR",
    "sessionStartDate": "DATE",
    "sessionEndDate": "DATE",
    "trainingId": "BIGINT",
    "trainingGuid": "VARCHAR",
    "trainingTitle": "VARCHAR",
    "trainingPathCode": "VARCHAR",
    "trainingPublisher": "VARCHAR",
    "trainingDuration": "VARCHAR",
    "catalogVisibility": "VARCHAR",
    "trainingChapters": "VARCHAR",
    "learningObjectId": "BIGINT",
    "learningObjectGuid": "VARCHAR",
    "learningObjectVersionId": "BIGINT",
    "learningObjectVersionGuid": "VARCHAR",
    "learningObjectVersionTitle": "VARCHAR",
    "learningObjectVersionCode": "VARCHAR",
    "learningObjectVersionPublisher": "VARCHAR",
    "learningObjectVersionLocale": "VARCHAR",
    "learningObjectVersionDisplayedType": "VARCHAR",
    "learningObjectVersionType": "VARCHAR",
}

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
    assert {name: columns.get(name) for name in SYSTEM_FIELDS} == SYSTEM_FIELDS
    assert {name: columns.get(name) for name in INTERNAL_COLUMNS} == INTERNAL_COLUMNS


def test_export_columns_are_text(sample_build: Path) -> None:
    types = query(
        sample_build,
        "select distinct data_type from information_schema.columns "
        "where table_name = 'activity_tracking_export'",
    )
    assert types == [("VARCHAR",)]


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
