{#-
    The raw table `table_name` as the lms source declares it (models/staging/lms/_lms__sources.yml):
    `{'columns': [{'name', 'data_type', 'meta'}, …] in the source's order, 'primary_key': [key
    columns], 'duplicate_kept': which row of a duplicated key is kept (words), 'duplicate_order':
    the same as an SQL ordering (default `updated_at desc nulls last`)}`.
    While dbt parses (the graph is not known yet): no columns and no key. A unit test compiles
    its model without the graph: there the test gives the facts it needs with
    `overrides: macros: {raw_table: {…}}`, and without them the macro stops with a message saying so.
-#}
{% macro raw_table(table_name) -%}
    {%- if not execute -%}
        {{- return({'columns': [], 'primary_key': [], 'duplicate_kept': '', 'duplicate_order': ''}) -}}
    {%- endif -%}
    {%- set sources = graph.get('sources') or {} -%}
    {%- if not sources -%}
        {{- exceptions.raise_compiler_error(
            "raw_table('" ~ table_name ~ "'): the graph is not known here (a unit test compiles its model"
            ~ " without it); give the table's facts in the unit test with"
            ~ " overrides: {macros: {raw_table: {primary_key: [...], columns: [{name: ..., data_type: ...}]}}}."
        ) -}}
    {%- endif -%}
    {%- for node in sources.values() -%}
        {%- if node.source_name == 'lms' and node.name == table_name -%}
            {%- set meta = node.config.get('meta') or node.meta -%}
            {%- if not meta.get('primary_key') -%}
                {{- exceptions.raise_compiler_error(
                    "The lms source table '" ~ table_name ~ "' declares no meta.primary_key."
                ) -}}
            {%- endif -%}
            {%- set columns = [] -%}
            {%- for column in node.columns.values() -%}
                {%- if not column.data_type -%}
                    {{- exceptions.raise_compiler_error(
                        "The lms source column " ~ table_name ~ "." ~ column.name ~ " declares no data_type."
                    ) -}}
                {%- endif -%}
                {%- do columns.append({
                    'name': column.name,
                    'data_type': column.data_type | trim | lower,
                    'meta': column.get('config', {}).get('meta') or column.meta or {},
                }) -%}
            {%- endfor -%}
            {{- return({
                'columns': columns,
                'primary_key': meta['primary_key'],
                'duplicate_kept': meta.get('duplicate_kept', ''),
                'duplicate_order': meta.get('duplicate_order', 'updated_at desc nulls last'),
            }) -}}
        {%- endif -%}
    {%- endfor -%}
    {{- exceptions.raise_compiler_error("The lms source declares no table '" ~ table_name ~ "'.") -}}
{%- endmacro %}
