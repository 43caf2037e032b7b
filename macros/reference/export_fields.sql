{#-
    The export's system fields: the columns of the mart activity_tracking that an export file
    shows, in the file's default column order, each with how it is written (macro
    render_export_field): `text` as it is, `number` as digits, `datetime` in the export's
    time zone with dateTimeFormat, `date` with dateFormat, `decimal` with the file's decimal
    separator, `duration` (timeSpent) with timeGlobalFormat. The field catalogue's columns
    that have a `render` (macro field_catalogue), in its order. The export model's columns,
    the row fingerprint of delta mode and the runner's default columns all come from it.
-#}
{% macro export_fields() -%}
    {%- set fields = [] -%}
    {%- for field in field_catalogue() if field.render -%}
        {%- do fields.append({'name': field.name, 'render': field.render}) -%}
    {%- endfor -%}
    {{- return(fields) -}}
{%- endmacro %}
