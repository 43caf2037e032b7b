{#-
    One export field (an item of export_fields) as the file shows it, by its `render`: text
    as it is, a number as digits, a datetime with render_datetime, a date with render_date, a
    decimal with render_decimal, the duration (timeSpent) with render_duration: the total,
    or in timeSpent mode the seconds logged in the time frame (the column `in_frame_column`).
-#}
{% macro render_export_field(field, in_frame_column) -%}
    {%- if field.render == 'text' -%}
        {{ field.name }}
    {%- elif field.render == 'number' -%}
        cast({{ field.name }} as string)
    {%- elif field.render == 'datetime' -%}
        {{ render_datetime(field.name) }}
    {%- elif field.render == 'date' -%}
        {{ render_date(field.name) }}
    {%- elif field.render == 'decimal' -%}
        {{ render_decimal(field.name) }}
    {%- elif field.render == 'duration' -%}
        {{ render_duration(time_spent_column(field.name, in_frame_column)) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "Export field " ~ field.name ~ " has rendering '" ~ field.render
            ~ "': expected text, number, datetime, date, decimal or duration"
        ) }}
    {%- endif -%}
{%- endmacro %}
