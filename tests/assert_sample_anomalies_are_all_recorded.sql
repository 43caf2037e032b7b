{#-
    On the sample data: every anomaly planted in the seeds is recorded in data_quality_issues
    with its issue code, and nothing else is; where detail_names is given, the issue's detail
    names it (the empty columns, the empty reference). Returns the missing, the unexpected
    and the ill-described rows. Only meaningful on the sample seeds, so enabled only when they
    are read (lms_sample_used).
-#}
{{ config(enabled=lms_sample_used()) }}

with

expected (source_table, record_key, issue_code, detail_names) as (
    values
    ('entities', null, 'null_primary_key', null),
    ('entities', '5', 'duplicate_primary_key', null),
    ('entities', '6', 'entity_cycle', null),
    ('entities', '7', 'entity_cycle', null),
    ('entities', '8', 'missing_parent_entity', null),
    ('entities', '9', 'empty_required_value', 'entity_name'),
    ('learners', '102', 'duplicate_primary_key', null),
    ('learners', '107', 'duplicate_primary_key', null),
    ('learners', '104', 'missing_entity', null),
    ('learners', '108', 'empty_required_value', 'learner_guid, login'),
    ('learner_custom_field_values', '101|CF-DEPARTMENT', 'duplicate_primary_key', null),
    ('learner_custom_field_values', '102|CF-DEPARTMENT', 'custom_field_value_too_long', null),
    ('learner_custom_field_values', '999|CF-DEPARTMENT', 'missing_learner', null),
    ('trainings', '1001', 'duplicate_primary_key', null),
    ('trainings', '1006', 'empty_required_value', 'training_guid, title, modality, is_catalog_visible'),
    ('sessions', '506', 'missing_training', null),
    ('sessions', '507', 'empty_required_value', 'session_guid, title'),
    ('registrations', '3007', 'missing_learner', null),
    ('registrations', '3009', 'missing_session', null),
    ('registrations', '3016', 'missing_learner', null),
    ('registrations', '3017', 'empty_required_value', 'learner_id'),
    ('registrations', '3018', 'empty_required_value', 'session_id'),
    ('registrations', '3019', 'empty_required_value', 'registration_guid'),
    ('training_chapters', '20', 'chapter_cycle', null),
    ('training_chapters', '21', 'chapter_cycle', null),
    ('training_chapters', '22', 'missing_parent_chapter', null),
    ('training_chapters', '13', 'empty_required_value', 'title'),
    ('learning_object_versions', '905', 'missing_learning_object', null),
    ('activities', '2001', 'duplicate_primary_key', null),
    ('activities', '2013', 'unknown_activity_type', null),
    ('activities', '2014', 'unknown_activity_type', null),
    ('activities', '2022', 'unknown_activity_type', null),
    ('activities', '2020', 'missing_chapter', null),
    ('activities', '2024', 'missing_learning_object_version', null),
    ('activities', '2010', 'unreadable_duration', null),
    ('trainings', '1003', 'unreadable_duration', null),
    ('activities', '2021', 'missing_training', null),
    ('activities', '2022', 'empty_required_value', 'activity_type'),
    ('trackings', null, 'null_primary_key', null),
    ('trackings', '4016', 'duplicate_primary_key', null),
    ('trackings', '4007', 'progression_out_of_range', null),
    ('trackings', '4012', 'progression_out_of_range', null),
    ('trackings', '4015', 'nps_out_of_range', null),
    ('trackings', '4033', 'nps_out_of_range', null),
    ('trackings', '4015', 'negative_time_spent', null),
    ('trackings', '4015', 'last_access_before_first_access', null),
    ('trackings', '4037', 'unknown_attendance_code', null),
    ('trackings', '4013', 'tracking_of_unknown_activity_type', null),
    ('trackings', '4014', 'tracking_of_unknown_activity_type', null),
    ('trackings', '4048', 'tracking_of_unknown_activity_type', null),
    ('trackings', '4042', 'orphan_tracking', null),
    ('trackings', '4043', 'orphan_tracking', null),
    ('trackings', '4044', 'orphan_tracking', null),
    ('trackings', '4045', 'orphan_tracking', null),
    ('trackings', '4046', 'orphan_tracking', null),
    ('trackings', '4047', 'orphan_tracking', null),
    ('trackings', '4053', 'orphan_tracking', 'learner_id of registration 3017 is empty'),
    ('trackings', '4054', 'orphan_tracking', 'session_id of registration 3018 is empty'),
    ('trackings', '4055', 'orphan_tracking', 'registration_id is empty'),
    ('trackings', '4055', 'empty_required_value', 'registration_id'),
    ('trackings', '4056', 'orphan_tracking', 'activity_id is empty'),
    ('trackings', '4056', 'empty_required_value', 'activity_id'),
    ('trackings', '4057', 'empty_required_value', 'tracking_guid, created_at'),
    ('tracking_time_logs', null, 'null_primary_key', null),
    ('tracking_time_logs', '4001|2020-02-20', 'duplicate_primary_key', null),
    ('tracking_time_logs', '4002|2020-03-01', 'negative_time_log', null),
    ('tracking_time_logs', '4015|2020-03-10', 'negative_time_log', null),
    ('tracking_time_logs', '4999|2020-03-10', 'missing_tracking', null),
    ('tracking_time_logs', '4040|2020-01-10', 'empty_required_value', 'seconds')
),

recorded as (
    select
        source_table,
        record_key,
        issue_code,
        issue_detail
    from {{ ref('activity_tracking', 'data_quality_issues') }}
),

final as (
    select
        coalesce(expected.source_table, recorded.source_table) as source_table,
        coalesce(expected.record_key, recorded.record_key) as record_key,
        coalesce(expected.issue_code, recorded.issue_code) as issue_code,
        case
            when recorded.issue_code is null then 'not recorded'
            when expected.issue_code is null then 'unexpected'
            else 'detail does not name ' || expected.detail_names
        end as failure
    from expected
    full outer join recorded
        on
            expected.source_table = recorded.source_table
            and coalesce(expected.record_key, '') = coalesce(recorded.record_key, '')
            and expected.issue_code = recorded.issue_code
    where
        expected.issue_code is null
        or recorded.issue_code is null
        or recorded.issue_detail not like '%' || expected.detail_names || '%'
)

select * from final
