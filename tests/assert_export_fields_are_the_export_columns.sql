{#-
    export_field_names() (what a row's fingerprint covers in delta mode) lists exactly the
    columns of activity_tracking_export, in order: a field added to one but not the other
    fails here.
-#}
{%- set actual = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(ref('activity_tracking_export')) -%}
        {%- do actual.append(column.name) -%}
    {%- endfor -%}
{%- endif -%}
{%- set expected = sql_string_literal(export_field_names() | join(',')) -%}
{%- set columns = sql_string_literal(actual | join(',')) %}
-- depends_on: {{ ref('activity_tracking_export') }}
select
    {{ expected }} as export_field_names,
    {{ columns }} as export_columns
where {{ expected }} != {{ columns }}
