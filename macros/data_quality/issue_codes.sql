{#-
    The issue codes of data_quality_issues, in the rule table's order, each once (a code may
    hold for several tables): derived from data_quality_rules, the one home of the rules. The
    accepted_values test on data_quality_issues.issue_code reads it.
-#}
{% macro issue_codes() -%}
    {%- set codes = [] -%}
    {%- for rule in data_quality_rules() if rule.code not in codes -%}
        {%- do codes.append(rule.code) -%}
    {%- endfor -%}
    {{- return(codes) -}}
{%- endmacro %}
