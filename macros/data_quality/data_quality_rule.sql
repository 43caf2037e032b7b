{#-
    The row of data_quality_rules for the issue code `code` (and the raw table `table_name`,
    when the code holds for several tables), so that a detection or a repair reads its
    expression from the rule table. No such row, or several, is a compile error.
-#}
{% macro data_quality_rule(code, table_name=none) -%}
    {%- set found = [] -%}
    {%- for rule in data_quality_rules()
        if rule.code == code and (table_name is none or rule.table == table_name) -%}
        {%- do found.append(rule) -%}
    {%- endfor -%}
    {%- if found | length != 1 -%}
        {{- exceptions.raise_compiler_error(
            found | length ~ ' data-quality rules for ' ~ code ~ ((' on ' ~ table_name) if table_name else '')
            ~ ' in data_quality_rules; expected one'
        ) -}}
    {%- endif -%}
    {{- return(found[0]) -}}
{%- endmacro %}
