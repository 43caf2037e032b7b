-- hand-written baseline of the default activity tracking export, for benchmarks/benchmark.py.
--
-- why it repeats the project's rules: it is the yardstick, what an engineer would write by
-- hand for the one default export, without dbt or any layer. the benchmark measures the
-- project against it, and checks that both write the same bytes, so every rule the default
-- export shows is written here again on purpose (a change of rule changes both: the
-- benchmark test fails until they agree).
--
-- one duckdb statement, no intermediate tables: reads the raw extract's parquet files and
-- writes the same bytes as `python scripts/export.py --raw-path <dir> --output <file>` with
-- every parameter and file option at its default (the 53 standard fields in the default
-- order, header line, ';', utf-8, lf, decimal point, utc, dateTimeFormat YYYY-MM-DD hh:ii:ss,
-- dateFormat YYYY-MM-DD, rawSeconds, rows by reportId; asOf does not matter without a time
-- frame). it is the "practical limit" the project is measured against, so it does only what
-- that export needs: no data quality issues, no delta fingerprint, no entity paths;
-- learner_custom_field_values and tracking_time_logs are not read (the default export shows
-- neither: no custom field column, no time frame).
--
-- same rules as the models: text trimmed, empty -> null; null keys ignored; duplicate keys:
-- latest updated_at wins, null updated_at oldest, exact ties to the row with the most other
-- columns filled in, then by each of them (nulls last); a tracking is left out when its registration, the registration's learner or
-- session, the session's training, its activity or the activity's training is missing, when
-- the activity type is unknown, or when the session's training is not blendedx; chapter path
-- walked up from the activity's chapter, cut before a repeated chapter, empty titles skipped.
--
-- speed: the small tables are rendered first into the pieces of a csv line they contribute
-- (materialized), only tracking keys seen twice are ranked, and each row is written as one
-- ready csv line (one column, quote '' = written as is) so the final sort moves one string.
-- the line quotes a field the way duckdb's csv writer does with delimiter ';' and quote '"':
-- a value holding ';', '"', cr or lf (or the empty string) is quoted, '"' doubled; null is
-- an empty field. the column's name is the header line.
--
-- placeholders (replaced by sql string literals, quotes included):
--   {raw_path}  the folder holding <table>.parquet for the raw tables
--   {output}    the csv file to write
copy (
    with recursive

    -- the raw tables, cleaned and de-duplicated (the staging models)
    trainings as (
        select *
        from (
            select
                cast(training_id as bigint) as training_id,
                nullif(trim(cast(training_guid as varchar)), '') as training_guid,
                nullif(trim(cast(title as varchar)), '') as title,
                nullif(trim(cast(path_code as varchar)), '') as path_code,
                nullif(trim(cast(publisher_name as varchar)), '') as publisher_name,
                nullif(trim(cast(duration as varchar)), '') as duration,
                nullif(trim(cast(modality as varchar)), '') as modality,
                cast(is_catalog_visible as boolean) as is_catalog_visible,
                cast(is_imported as boolean) as is_imported,
                cast(updated_at as timestamp) as updated_at
            from read_parquet({raw_path} || '/trainings.parquet')
        )
        where training_id is not null
        qualify row_number() over (
            partition by training_id
            order by updated_at desc nulls last,
                ((training_guid is not null)::int + (title is not null)::int + (path_code is not null)::int + (publisher_name is not null)::int + (duration is not null)::int + (modality is not null)::int + (is_catalog_visible is not null)::int + (is_imported is not null)::int) desc,
                training_guid nulls last,
                title nulls last,
                path_code nulls last,
                publisher_name nulls last,
                duration nulls last,
                modality nulls last,
                is_catalog_visible nulls last,
                is_imported nulls last
        ) = 1
    ),

    sessions as (
        select *
        from (
            select
                cast(session_id as bigint) as session_id,
                nullif(trim(cast(session_guid as varchar)), '') as session_guid,
                cast(training_id as bigint) as training_id,
                nullif(trim(cast(title as varchar)), '') as title,
                cast(start_date as date) as start_date,
                cast(end_date as date) as end_date,
                cast(is_imported as boolean) as is_imported,
                cast(updated_at as timestamp) as updated_at
            from read_parquet({raw_path} || '/sessions.parquet')
        )
        where session_id is not null
        qualify row_number() over (
            partition by session_id
            order by updated_at desc nulls last,
                ((session_guid is not null)::int + (training_id is not null)::int + (title is not null)::int + (start_date is not null)::int + (end_date is not null)::int + (is_imported is not null)::int) desc,
                session_guid nulls last,
                training_id nulls last,
                title nulls last,
                start_date nulls last,
                end_date nulls last,
                is_imported nulls last
        ) = 1
    ),

    entities as (
        select *
        from (
            select
                cast(entity_id as bigint) as entity_id,
                nullif(trim(cast(entity_name as varchar)), '') as entity_name,
                cast(parent_entity_id as bigint) as parent_entity_id,
                cast(updated_at as timestamp) as updated_at
            from read_parquet({raw_path} || '/entities.parquet')
        )
        where entity_id is not null
        qualify row_number() over (
            partition by entity_id
            order by updated_at desc nulls last,
                ((entity_name is not null)::int + (parent_entity_id is not null)::int) desc,
                entity_name nulls last,
                parent_entity_id nulls last
        ) = 1
    ),

    learners as (
        select *
        from (
            select
                cast(learner_id as bigint) as learner_id,
                nullif(trim(cast(learner_guid as varchar)), '') as learner_guid,
                nullif(trim(cast(login as varchar)), '') as login,
                nullif(trim(cast(email as varchar)), '') as email,
                nullif(trim(cast(first_name as varchar)), '') as first_name,
                nullif(trim(cast(last_name as varchar)), '') as last_name,
                nullif(trim(cast(reference_number as varchar)), '') as reference_number,
                cast(entity_id as bigint) as entity_id,
                cast(updated_at as timestamp) as updated_at
            from read_parquet({raw_path} || '/learners.parquet')
        )
        where learner_id is not null
        qualify row_number() over (
            partition by learner_id
            order by updated_at desc nulls last,
                ((learner_guid is not null)::int + (login is not null)::int + (email is not null)::int + (first_name is not null)::int + (last_name is not null)::int + (reference_number is not null)::int + (entity_id is not null)::int) desc,
                learner_guid nulls last,
                login nulls last,
                email nulls last,
                first_name nulls last,
                last_name nulls last,
                reference_number nulls last,
                entity_id nulls last
        ) = 1
    ),

    registrations as (
        select *
        from (
            select
                cast(registration_id as bigint) as registration_id,
                nullif(trim(cast(registration_guid as varchar)), '') as registration_guid,
                cast(learner_id as bigint) as learner_id,
                cast(session_id as bigint) as session_id,
                cast(registered_at as timestamp) as registered_at,
                cast(is_imported as boolean) as is_imported,
                cast(updated_at as timestamp) as updated_at
            from read_parquet({raw_path} || '/registrations.parquet')
        )
        where registration_id is not null
        qualify row_number() over (
            partition by registration_id
            order by updated_at desc nulls last,
                ((registration_guid is not null)::int + (learner_id is not null)::int + (session_id is not null)::int + (registered_at is not null)::int + (is_imported is not null)::int) desc,
                registration_guid nulls last,
                learner_id nulls last,
                session_id nulls last,
                registered_at nulls last,
                is_imported nulls last
        ) = 1
    ),

    learning_objects as (
        select *
        from (
            select
                cast(learning_object_id as bigint) as learning_object_id,
                nullif(trim(cast(learning_object_guid as varchar)), '') as learning_object_guid,
                cast(updated_at as timestamp) as updated_at
            from read_parquet({raw_path} || '/learning_objects.parquet')
        )
        where learning_object_id is not null
        qualify row_number() over (
            partition by learning_object_id
            order by updated_at desc nulls last,
                ((learning_object_guid is not null)::int) desc,
                learning_object_guid nulls last
        ) = 1
    ),

    versions as (
        select *
        from (
            select
                cast(learning_object_version_id as bigint) as learning_object_version_id,
                nullif(trim(cast(learning_object_version_guid as varchar)), '') as learning_object_version_guid,
                cast(learning_object_id as bigint) as learning_object_id,
                nullif(trim(cast(title as varchar)), '') as title,
                nullif(trim(cast(code as varchar)), '') as code,
                nullif(trim(cast(publisher_name as varchar)), '') as publisher_name,
                nullif(trim(cast(locale as varchar)), '') as locale,
                nullif(trim(cast(displayed_type as varchar)), '') as displayed_type,
                nullif(trim(cast(runtime_type as varchar)), '') as runtime_type,
                cast(updated_at as timestamp) as updated_at
            from read_parquet({raw_path} || '/learning_object_versions.parquet')
        )
        where learning_object_version_id is not null
        qualify row_number() over (
            partition by learning_object_version_id
            order by updated_at desc nulls last,
                ((learning_object_version_guid is not null)::int + (learning_object_id is not null)::int + (title is not null)::int + (code is not null)::int + (publisher_name is not null)::int + (locale is not null)::int + (displayed_type is not null)::int + (runtime_type is not null)::int) desc,
                learning_object_version_guid nulls last,
                learning_object_id nulls last,
                title nulls last,
                code nulls last,
                publisher_name nulls last,
                locale nulls last,
                displayed_type nulls last,
                runtime_type nulls last
        ) = 1
    ),

    chapters as (
        select *
        from (
            select
                cast(chapter_id as bigint) as chapter_id,
                cast(training_id as bigint) as training_id,
                cast(parent_chapter_id as bigint) as parent_chapter_id,
                nullif(trim(cast(title as varchar)), '') as title,
                cast(position as int) as position,
                cast(updated_at as timestamp) as updated_at
            from read_parquet({raw_path} || '/training_chapters.parquet')
        )
        where chapter_id is not null
        qualify row_number() over (
            partition by chapter_id
            order by updated_at desc nulls last,
                ((training_id is not null)::int + (parent_chapter_id is not null)::int + (title is not null)::int + (position is not null)::int) desc,
                training_id nulls last,
                parent_chapter_id nulls last,
                title nulls last,
                position nulls last
        ) = 1
    ),

    activities as (
        select *
        from (
            select
                cast(activity_id as bigint) as activity_id,
                cast(training_id as bigint) as training_id,
                cast(chapter_id as bigint) as chapter_id,
                nullif(trim(cast(activity_type as varchar)), '') as activity_type,
                nullif(trim(cast(title as varchar)), '') as title,
                nullif(trim(cast(duration as varchar)), '') as duration,
                cast(points as int) as points,
                cast(likes as int) as likes,
                cast(learning_object_version_id as bigint) as learning_object_version_id,
                cast(updated_at as timestamp) as updated_at
            from read_parquet({raw_path} || '/activities.parquet')
        )
        where activity_id is not null
        qualify row_number() over (
            partition by activity_id
            order by updated_at desc nulls last,
                ((training_id is not null)::int + (chapter_id is not null)::int + (activity_type is not null)::int + (title is not null)::int + (duration is not null)::int + (points is not null)::int + (likes is not null)::int + (learning_object_version_id is not null)::int) desc,
                training_id nulls last,
                chapter_id nulls last,
                activity_type nulls last,
                title nulls last,
                duration nulls last,
                points nulls last,
                likes nulls last,
                learning_object_version_id nulls last
        ) = 1
    ),

    -- every chapter's path of titles, top-level chapter first (walk never revisits a chapter)
    chapter_walk as (
        select
            chapter_id as node_id,
            parent_chapter_id as next_id,
            title as label_path,
            [chapter_id] as visited,
            1 as depth
        from chapters
        union all
        select
            walk.node_id,
            parent.parent_chapter_id,
            case
                when parent.title is null then walk.label_path
                when walk.label_path is null then parent.title
                else parent.title || ' > ' || walk.label_path
            end,
            list_append(walk.visited, parent.chapter_id),
            walk.depth + 1
        from chapter_walk as walk
        inner join chapters as parent
            on walk.next_id = parent.chapter_id
        where not list_contains(walk.visited, parent.chapter_id)
    ),

    chapter_paths as (
        select node_id as chapter_id, label_path
        from chapter_walk
        qualify row_number() over (partition by node_id order by depth desc) = 1
    ),

    typed_activities as (
        select
            *,
            case regexp_replace(regexp_replace(lower(activity_type), '^[ _-]+|[ _-]+$', '', 'g'), '[ _-]+', ' ', 'g')
                when '0' then 'Learning resource' when 'learning resource' then 'Learning resource'
                when '1' then 'Web resource' when 'web resource' then 'Web resource'
                when '2' then 'Editorial' when 'editorial' then 'Editorial'
                when '3' then 'Open question' when 'open question' then 'Open question'
                when '4' then 'Classroom activity' when 'classroom activity' then 'Classroom activity'
                when '5' then 'Poll' when 'poll' then 'Poll'
                when '6' then 'Assignment' when 'assignment' then 'Assignment'
                when '7' then 'Assessment' when 'assessment' then 'Assessment'
                when '8' then 'Quiz' when 'quiz' then 'Quiz'
                when '9' then 'Action plan' when 'action plan' then 'Action plan'
                when '10' then 'Measure your progress' when 'measure your progress' then 'Measure your progress'
                when '11' then 'End-of-course survey' when 'end of course survey' then 'End-of-course survey'
            end as type_label
        from activities
    ),

    -- exportable activities (known type, training present) and their fields, csv-quoted:
    -- [1] activityDuration, [2:3] likes;activityPoints, [4:5] activityName;activityType,
    -- [6:15] learningObjectGuid .. learningObjectVersionType, [16] trainingChapters
    activity_parts as materialized (
        select
            activity_id,
            type_label in ('Assignment', 'Assessment') as has_feedback,
            type_label = 'Classroom activity' as is_classroom,
            fields[1] as duration_part,
            array_to_string(fields[2:3], ';') as points_part,
            array_to_string(fields[4:5], ';') as name_part,
            array_to_string(fields[6:15], ';') as learning_object_part,
            fields[16] as chapter_part
        from (
            select
                typed_activities.activity_id,
                typed_activities.type_label,
                list_transform(
                    [
                        typed_activities.duration,
                        cast(typed_activities.likes as varchar),
                        cast(typed_activities.points as varchar),
                        typed_activities.title,
                        typed_activities.type_label,
                        learning_objects.learning_object_guid,
                        cast(learning_objects.learning_object_id as varchar),
                        versions.displayed_type,
                        versions.learning_object_version_guid,
                        cast(versions.learning_object_version_id as varchar),
                        versions.locale,
                        versions.publisher_name,
                        versions.code,
                        versions.title,
                        versions.runtime_type,
                        chapter_paths.label_path
                    ],
                    lambda v: case
                        when v is null then ''
                        when v = '' or regexp_matches(v, '[;"\r\n]') then '"' || replace(v, '"', '""') || '"'
                        else v
                    end
                ) as fields
            from typed_activities
            semi join trainings on typed_activities.training_id = trainings.training_id
            left join chapter_paths on typed_activities.chapter_id = chapter_paths.chapter_id
            left join versions on typed_activities.learning_object_version_id = versions.learning_object_version_id
            left join learning_objects on versions.learning_object_id = learning_objects.learning_object_id
            where typed_activities.type_label is not null
        )
    ),

    -- exportable registrations (learner, session and blendedx session training present) and
    -- their fields, csv-quoted: [1:2] registrationDate;registrationGuid,
    -- [3:11] candidateEmail .. candidateName, [12:16] sessionEndDate .. sessionTitle,
    -- [17:23] trainingDuration .. catalogVisibility
    registration_parts as materialized (
        select
            registration_id,
            array_to_string(fields[1:2], ';') as registration_part,
            array_to_string(fields[3:11], ';') as learner_part,
            array_to_string(fields[12:16], ';') as session_part,
            array_to_string(fields[17:23], ';') as training_part
        from (
            select
                registrations.registration_id,
                list_transform(
                    [
                        strftime(registrations.registered_at, '%Y-%m-%d %H:%M:%S'),
                        registrations.registration_guid,
                        learners.email,
                        cast(learners.entity_id as varchar),
                        entities.entity_name,
                        learners.first_name,
                        learners.learner_guid,
                        cast(learners.learner_id as varchar),
                        learners.login,
                        learners.reference_number,
                        learners.last_name,
                        strftime(sessions.end_date, '%Y-%m-%d'),
                        sessions.session_guid,
                        cast(sessions.session_id as varchar),
                        strftime(sessions.start_date, '%Y-%m-%d'),
                        sessions.title,
                        trainings.duration,
                        trainings.training_guid,
                        cast(trainings.training_id as varchar),
                        trainings.publisher_name,
                        trainings.path_code,
                        trainings.title,
                        case trainings.is_catalog_visible when true then 'Y' when false then 'N' end
                    ],
                    lambda v: case
                        when v is null then ''
                        when v = '' or regexp_matches(v, '[;"\r\n]') then '"' || replace(v, '"', '""') || '"'
                        else v
                    end
                ) as fields
            from registrations
            inner join learners on registrations.learner_id = learners.learner_id
            inner join sessions on registrations.session_id = sessions.session_id
            inner join trainings on sessions.training_id = trainings.training_id
            left join entities on learners.entity_id = entities.entity_id
            where regexp_replace(lower(trainings.modality), '[ _-]+', '', 'g') = 'blendedx'
        )
    ),

    -- trackings, cleaned; only keys present more than once need the ranking
    raw_trackings as not materialized (
        select
            cast(tracking_id as bigint) as tracking_id,
            nullif(trim(cast(tracking_guid as varchar)), '') as tracking_guid,
            cast(registration_id as bigint) as registration_id,
            cast(activity_id as bigint) as activity_id,
            cast(progression as decimal(5, 2)) as progression,
            cast(score as decimal(9, 2)) as score,
            cast(points_gained as int) as points_gained,
            cast(time_spent_seconds as bigint) as time_spent_seconds,
            cast(first_access_at as timestamp) as first_access_at,
            cast(last_access_at as timestamp) as last_access_at,
            cast(submitted_at as timestamp) as submitted_at,
            cast(feedback_at as timestamp) as feedback_at,
            nullif(trim(cast(attendance_code as varchar)), '') as attendance_code,
            cast(nps_score as int) as nps_score,
            cast(created_at as timestamp) as created_at,
            cast(updated_at as timestamp) as updated_at
        from read_parquet({raw_path} || '/trackings.parquet')
        where tracking_id is not null
    ),

    duplicated_trackings as materialized (
        select cast(tracking_id as bigint) as tracking_id
        from read_parquet({raw_path} || '/trackings.parquet')
        where tracking_id is not null
        group by all
        having count(*) > 1
    ),

    trackings as (
        select raw_trackings.*
        from raw_trackings
        anti join duplicated_trackings on raw_trackings.tracking_id = duplicated_trackings.tracking_id
        union all
        select *
        from (
            select raw_trackings.*
            from raw_trackings
            semi join duplicated_trackings on raw_trackings.tracking_id = duplicated_trackings.tracking_id
        )
        qualify row_number() over (
            partition by tracking_id
            order by updated_at desc nulls last,
                ((tracking_guid is not null)::int + (registration_id is not null)::int + (activity_id is not null)::int + (progression is not null)::int + (score is not null)::int + (points_gained is not null)::int + (time_spent_seconds is not null)::int + (first_access_at is not null)::int + (last_access_at is not null)::int + (submitted_at is not null)::int + (feedback_at is not null)::int + (attendance_code is not null)::int + (nps_score is not null)::int + (created_at is not null)::int) desc,
                tracking_guid nulls last,
                registration_id nulls last,
                activity_id nulls last,
                progression nulls last,
                score nulls last,
                points_gained nulls last,
                time_spent_seconds nulls last,
                first_access_at nulls last,
                last_access_at nulls last,
                submitted_at nulls last,
                feedback_at nulls last,
                attendance_code nulls last,
                nps_score nulls last,
                created_at nulls last
        ) = 1
    ),

    joined as (
        select
            trackings.*,
            cast(case
                when trackings.progression < 0 then 0
                when trackings.progression > 100 then 100
                else trackings.progression
            end as decimal(5, 2)) as clamped,
            activity_parts.* exclude (activity_id),
            registration_parts.* exclude (registration_id)
        from trackings
        inner join registration_parts on trackings.registration_id = registration_parts.registration_id
        inner join activity_parts on trackings.activity_id = activity_parts.activity_id
    )

    -- the csv line, fields in the default order; concat writes null as an empty field
    select
        concat(
            duration_part, ';',
            strftime(first_access_at, '%Y-%m-%d %H:%M:%S'), ';',
            cast(activity_id as varchar), ';',
            strftime(last_access_at, '%Y-%m-%d %H:%M:%S'), ';',
            points_part, ';',
            cast(points_gained as varchar), ';',
            case
                when has_feedback and feedback_at is not null then 'Feedback given'
                when has_feedback and (submitted_at is not null or clamped >= 75) then 'Pending feedback'
                when clamped >= 100 then 'Completed'
                when clamped > 0 or first_access_at is not null then 'Started'
                else 'Not started'
            end, ';',
            case when has_feedback then strftime(submitted_at, '%Y-%m-%d %H:%M:%S') end, ';',
            name_part, ';',
            case when is_classroom then
                case regexp_replace(regexp_replace(lower(attendance_code), '^[ _-]+|[ _-]+$', '', 'g'), '[ _-]+', '_', 'g')
                    when 'present' then 'Present'
                    when 'absent' then 'Absent'
                    when 'excused' then 'Absent but excused'
                    when 'not_applicable' then 'Not applicable'
                    else 'No information'
                end
            end, ';',
            cast(cast(clamped as decimal(38, 2)) as varchar), ';',
            registration_part, ';',
            cast(cast(score as decimal(38, 2)) as varchar), ';',
            cast(case when time_spent_seconds >= 0 then time_spent_seconds end as varchar), ';',
            case when has_feedback then strftime(feedback_at, '%Y-%m-%d %H:%M:%S') end, ';',
            learner_part, ';',
            learning_object_part, ';',
            cast(case when nps_score between 0 and 10 then nps_score end as varchar), ';',
            session_part, ';',
            case
                when tracking_guid = '' or regexp_matches(tracking_guid, '[;"\r\n]')
                    then '"' || replace(tracking_guid, '"', '""') || '"'
                else tracking_guid
            end, ';',
            cast(tracking_id as varchar), ';',
            chapter_part, ';',
            training_part
        ) as "activityDuration;activityFirstAccessDate;activityId;activityLastAccessDate;likes;activityPoints;pointsGained;progressStatus;submissionDate;activityName;activityType;attendanceStatus;progression;registrationDate;registrationGuid;score;timeSpent;feedbackDate;candidateEmail;candidateEntityId;candidateEntityName;candidateFirstname;candidateGuid;candidateId;candidateLogin;candidateRefNumber;candidateName;learningObjectGuid;learningObjectId;learningObjectVersionDisplayedType;learningObjectVersionGuid;learningObjectVersionId;learningObjectVersionLocale;learningObjectVersionPublisher;learningObjectVersionCode;learningObjectVersionTitle;learningObjectVersionType;scoreNPS;sessionEndDate;sessionGuid;sessionId;sessionStartDate;sessionTitle;reportGuid;reportId;trainingChapters;trainingDuration;trainingGuid;trainingId;trainingPublisher;trainingPathCode;trainingTitle;catalogVisibility"
    from joined
    order by tracking_id
) to {output} (format csv, header true, quote '');
