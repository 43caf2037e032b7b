{#-
    The macro field_catalogue is what scripts/catalogue.py generates from the contract of the
    mart activity_tracking: the same columns in the same order with the same data_type (a
    contract edited without running the script fails here, also for a plain `dbt build`), and
    each export field's rendering fits its type (text: string; number: bigint or int;
    datetime: timestamp; date: date; decimal: decimal; duration: bigint). Returns one row per
    column that breaks it.
-#}
{%- set fits = {
    'text': ['string'],
    'number': ['bigint', 'int'],
    'datetime': ['timestamp'],
    'date': ['date'],
    'duration': ['bigint'],
} -%}
{%- set contract = [] -%}
{%- if execute -%}
    {%- set mart = graph.nodes['model.activity_tracking.activity_tracking'] -%}
    {%- for column in mart.columns.values() -%}
        {%- do contract.append((column.name, (column.data_type or '') | lower)) -%}
    {%- endfor -%}
{%- endif -%}
{%- set catalogue = [] -%}
{%- for field in field_catalogue() -%}
    {%- do catalogue.append((field.name, field.data_type | lower)) -%}
{%- endfor -%}
{%- set problems = [] -%}
{%- if execute and catalogue != contract -%}
    {%- do problems.append(('field_catalogue', 'differs from the contract of activity_tracking:'
        ~ ' run python scripts/catalogue.py')) -%}
{%- endif -%}
{%- for field in field_catalogue() if field.render -%}
    {%- set data_type = field.data_type | lower -%}
    {%- set decimal = field.render == 'decimal' and data_type.startswith('decimal') -%}
    {%- if not (data_type in fits.get(field.render, []) or decimal) -%}
        {%- do problems.append((field.name, 'rendered as ' ~ field.render ~ ' but of type ' ~ data_type)) -%}
    {%- endif -%}
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
