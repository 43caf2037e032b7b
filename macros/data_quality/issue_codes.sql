{#-
    The issue codes of data_quality_issues, each with what it means and what the
    pipeline does about it: the one list. The accepted_values test on
    data_quality_issues.issue_code reads it, and the docs point here.
-#}
{% macro issue_codes() -%}
    {{- return({
        'null_primary_key': 'Raw rows without their primary key (or a part of it): ignored; one row per table counts them.',
        'duplicate_primary_key': 'Several raw rows share a primary key: one is kept (the source meta duplicate_kept says which).',
        'empty_required_value': 'A column the raw contract requires (not `nullable` in the lms source, keys aside) is empty after trimming: the row is kept with that value empty; the detail names the columns.',
        'missing_learner': "A registration or custom field value names a learner that does not exist: the registration's trackings are excluded; the value is kept.",
        'missing_session': 'A registration names a session that does not exist: its trackings are excluded.',
        'missing_training': 'A session or activity names a training that does not exist: its trackings are excluded.',
        'missing_chapter': 'An activity names a chapter that does not exist: kept, trainingChapters left empty.',
        'missing_learning_object_version': 'An activity names a learning object version that does not exist: kept, the learning object fields left empty.',
        'missing_learning_object': 'A learning object version names a learning object that does not exist: kept, learningObjectId and learningObjectGuid left empty.',
        'missing_entity': 'A learner names an entity that does not exist: kept, candidateEntityName left empty.',
        'missing_tracking': 'A time log names a tracking that does not exist: kept.',
        'orphan_tracking': 'A tracking whose registration, learner, session, training or activity is missing or empty: excluded from the export; the detail says which.',
        'tracking_of_unknown_activity_type': 'A tracking of an activity of unknown type: excluded from the export.',
        'unknown_activity_type': 'An activity type that is none of the 12 activity types: its trackings are excluded.',
        'progression_out_of_range': 'A progression outside 0-100: clamped to 0-100.',
        'nps_out_of_range': 'An NPS score outside 0-10: emptied.',
        'negative_time_spent': 'A negative time spent on a tracking: emptied.',
        'negative_time_log': 'A negative number of seconds in a time log: emptied.',
        'last_access_before_first_access': 'A last access before the first access: kept.',
        'unreadable_duration': 'An activity or training duration that is none of the forms 2h, 2h30, 1h05min, 45min: kept as it is in the export; its minutes in activity_tracking_bi left empty.',
        'unknown_attendance_code': 'An attendance code of a classroom activity that is not known: shown as No information.',
        'custom_field_value_too_long': 'A custom field value longer than 250 characters: cut to 250.',
        'chapter_cycle': 'The chapter tree has a cycle: the path is cut before the repeated chapter.',
        'entity_cycle': 'The entity tree has a cycle: the ancestors are cut before the repeated entity.',
        'missing_parent_chapter': "A chapter's parent chapter does not exist: it counts as top-level.",
        'missing_parent_entity': "An entity's parent entity does not exist: the parent's id stays an ancestor, at the top of the path.",
    }) -}}
{%- endmacro %}
