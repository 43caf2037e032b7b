{#-
    The select list of a base model: every column of the raw table `table_name`, in the lms
    source's order, as its declared `data_type`: `string` columns through clean_text (trimmed,
    empty as null), every other type through `cast(<column> as <data_type>)`.
-#}
{% macro raw_casts(table_name) -%}
    {%- set expressions = [] -%}
    {%- for column in raw_columns(table_name) -%}
        {%- if column['data_type'] == 'string' -%}
            {%- set expression = clean_text(column['name']) -%}
        {%- else -%}
            {#- `decimal(5,2)` written `decimal(5, 2)`, as the project's SQL style has it -#}
            {%- set data_type = modules.re.sub(',\\s*', ', ', column['data_type']) -%}
            {%- set expression = 'cast(' ~ column['name'] ~ ' as ' ~ data_type ~ ')' -%}
        {%- endif -%}
        {%- do expressions.append(expression ~ ' as ' ~ column['name']) -%}
    {%- endfor -%}
    {#- while dbt parses, when the columns are not known yet -#}
    {{- expressions | join(',\n        ') if expressions else '*' -}}
{%- endmacro %}
