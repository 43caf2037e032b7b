{#-
    The trackings that cannot be exported (int_trackings_validated), each with the reason: a
    tracking of an activity of unknown type, or an orphan (a reference missing or empty).
    Trackings out of scope are not anomalies and are not here.
-#}
with

validated_trackings as (
    select * from {{ ref('activity_tracking', 'int_trackings_validated') }}
),

issues as (
    select
        'trackings' as source_table,
        {{ issue_record_key(['tracking_id']) }} as record_key,
        case exclusion_reason
            when 'unknown_activity_type' then 'tracking_of_unknown_activity_type'
            else 'orphan_tracking'
        end as issue_code,
        exclusion_detail || '; tracking excluded' as issue_detail
    from validated_trackings
    where exclusion_reason != 'out_of_scope'
),

final as (
    select
        source_table,
        record_key,
        issue_code,
        issue_detail
    from issues
)

select * from final
