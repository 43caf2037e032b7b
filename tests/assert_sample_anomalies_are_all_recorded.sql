{#-
    SPEC §7 on the sample data: every anomaly planted in the seeds is recorded in
    data_quality_issues with its issue code, and nothing else is. Returns the missing and
    the unexpected rows. Only meaningful on the sample seeds, so disabled with `raw_path`.
-#}
{{ config(enabled=var('raw_path') is none) }}

with

expected (source_table, record_key, issue_code) as (
    values
    ('entities', null, 'null_primary_key'),
    ('entities', '5', 'duplicate_primary_key'),
    ('entities', '6', 'entity_cycle'),
    ('entities', '7', 'entity_cycle'),
    ('entities', '8', 'missing_parent_entity'),
    ('learners', '102', 'duplicate_primary_key'),
    ('learners', '107', 'duplicate_primary_key'),
    ('learners', '104', 'missing_entity'),
    ('learner_custom_field_values', '101|CF-DEPARTMENT', 'duplicate_primary_key'),
    ('learner_custom_field_values', '102|CF-DEPARTMENT', 'custom_field_value_too_long'),
    ('learner_custom_field_values', '999|CF-DEPARTMENT', 'missing_learner'),
    ('trainings', '1001', 'duplicate_primary_key'),
    ('training_chapters', '20', 'chapter_cycle'),
    ('training_chapters', '21', 'chapter_cycle'),
    ('training_chapters', '22', 'missing_parent_chapter'),
    ('learning_object_versions', '905', 'missing_learning_object'),
    ('activities', '2001', 'duplicate_primary_key'),
    ('activities', '2013', 'unknown_activity_type'),
    ('activities', '2014', 'unknown_activity_type'),
    ('activities', '2022', 'unknown_activity_type'),
    ('activities', '2020', 'missing_chapter'),
    ('activities', '2024', 'missing_learning_object_version'),
    ('trackings', null, 'null_primary_key'),
    ('trackings', '4016', 'duplicate_primary_key'),
    ('trackings', '4007', 'progression_out_of_range'),
    ('trackings', '4012', 'progression_out_of_range'),
    ('trackings', '4015', 'nps_out_of_range'),
    ('trackings', '4033', 'nps_out_of_range'),
    ('trackings', '4015', 'negative_time_spent'),
    ('trackings', '4015', 'last_access_before_first_access'),
    ('trackings', '4037', 'unknown_attendance_code'),
    ('trackings', '4013', 'tracking_of_unknown_activity_type'),
    ('trackings', '4014', 'tracking_of_unknown_activity_type'),
    ('trackings', '4048', 'tracking_of_unknown_activity_type'),
    ('trackings', '4042', 'orphan_tracking'),
    ('trackings', '4043', 'orphan_tracking'),
    ('trackings', '4044', 'orphan_tracking'),
    ('trackings', '4045', 'orphan_tracking'),
    ('trackings', '4046', 'orphan_tracking'),
    ('trackings', '4047', 'orphan_tracking'),
    ('tracking_time_logs', null, 'null_primary_key'),
    ('tracking_time_logs', '4001|2020-02-20', 'duplicate_primary_key'),
    ('tracking_time_logs', '4002|2020-03-01', 'negative_time_log'),
    ('tracking_time_logs', '4015|2020-03-10', 'negative_time_log'),
    ('tracking_time_logs', '4999|2020-03-10', 'missing_tracking')
),

recorded as (
    select
        source_table,
        record_key,
        issue_code
    from {{ ref('data_quality_issues') }}
),

final as (
    select
        coalesce(expected.source_table, recorded.source_table) as source_table,
        coalesce(expected.record_key, recorded.record_key) as record_key,
        coalesce(expected.issue_code, recorded.issue_code) as issue_code,
        case when recorded.issue_code is null then 'not recorded' else 'unexpected' end as failure
    from expected
    full outer join recorded
        on
            expected.source_table = recorded.source_table
            and coalesce(expected.record_key, '') = coalesce(recorded.record_key, '')
            and expected.issue_code = recorded.issue_code
    where expected.issue_code is null or recorded.issue_code is null
)

select * from final
