{#-
    The catalogue's activities: one row per activity, with its training and its type (empty
    when the raw type is unknown), whether anyone tracked it or not. The export's activityType
    parameter keeps the trainings holding an activity of a listed type.
-#}
with

activities as (
    select * from {{ ref('activity_tracking', 'stg_lms__activities') }}
),

final as (
    select
        activity_id as activityId,
        training_id as trainingId,
        activity_type as activityType
    from activities
)

select * from final
