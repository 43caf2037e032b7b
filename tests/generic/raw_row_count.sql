{#- Fails when the model does not hold exactly as many rows as the raw table `table_name` (read through lms_source). -#}
{% test raw_row_count(model, table_name) %}
    with

    model_rows as (
        select count(*) as row_count
        from {{ model }}
    ),

    raw_rows as (
        select count(*) as row_count
        from {{ lms_source(table_name) }}
    )

    select
        model_rows.row_count as model_row_count,
        raw_rows.row_count as raw_row_count
    from model_rows
    cross join raw_rows
    where model_rows.row_count != raw_rows.row_count
{% endtest %}
