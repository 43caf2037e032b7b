{#-
    Every field of export_fields() is a contract column of the mart activity_tracking whose
    data_type its rendering fits (text: string; number: bigint or int; datetime: timestamp;
    date: date; decimal: decimal; duration: bigint), and no field is listed twice. Returns
    one row per field that breaks it.
-#}
{%- set fits = {
    'text': ['string'],
    'number': ['bigint', 'int'],
    'datetime': ['timestamp'],
    'date': ['date'],
    'duration': ['bigint'],
} -%}
{%- set mart_columns = {} -%}
{%- if execute -%}
    {%- set mart = graph.nodes['model.activity_tracking.activity_tracking'] -%}
    {%- for column in mart.columns.values() -%}
        {%- do mart_columns.update({column.name: (column.data_type or '') | lower}) -%}
    {%- endfor -%}
{%- endif -%}
{%- set problems = [] -%}
{%- set seen = [] -%}
{%- for field in export_fields() -%}
    {%- set data_type = mart_columns.get(field.name) -%}
    {%- if field.name in seen -%}
        {%- do problems.append((field.name, 'listed twice')) -%}
    {%- elif data_type is none -%}
        {%- do problems.append((field.name, 'not a column of activity_tracking')) -%}
    {%- elif not (data_type in fits.get(field.render, []) or (field.render == 'decimal' and data_type.startswith('decimal'))) -%}
        {%- do problems.append((field.name, 'rendered as ' ~ field.render ~ ' but of type ' ~ data_type)) -%}
    {%- endif -%}
    {%- do seen.append(field.name) -%}
{%- endfor %}
-- depends_on: {{ ref('activity_tracking', 'activity_tracking') }}
{% for name, problem in problems -%}
select
    {{ sql_string_literal(name) }} as field_name,
    {{ sql_string_literal(problem) }} as problem
union all
{% endfor -%}
select
    cast(null as string) as field_name,
    cast(null as string) as problem
where false
