{#-
    Every table of the lms source is checked against the raw contract (null and duplicate
    keys, empty required values) by int_raw_rows_checked: a raw table added to the source
    but not to that model's list fails here. Read from the graph: the model has the table's
    base model as a parent.
-#}
{%- set rows = [] -%}
{%- if execute -%}
    {%- for source in graph.sources.values() if source.source_name == 'lms' -%}
        {%- set base_model = 'model.activity_tracking.base_lms__' ~ source.name -%}
        {%- set checking = [] -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type == 'model'
                and node.name == 'int_raw_rows_checked'
                and base_model in node.depends_on.nodes -%}
                {%- do checking.append(node.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do rows.append(
            {'table': source.name, 'checking': checking | join(', '), 'count': checking | length}
        ) -%}
    {%- endfor -%}
{%- endif -%}
{%- if not rows -%}
    {%- do rows.append({'table': 'none', 'checking': '', 'count': 1}) -%}
{%- endif %}

with

checked as (
    {%- for row in rows %}
        {{ 'union all' if not loop.first }}
        select
            '{{ row.table }}' as raw_table,
            '{{ row.checking }}' as checking_models,
            {{ row.count }} as checking_count
    {%- endfor %}
),

final as (
    select
        raw_table,
        checking_models,
        checking_count
    from checked
    where checking_count != 1
)

select * from final
