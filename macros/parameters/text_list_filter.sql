{#-
    A comma-list text parameter (learningObjectPublishersName, trainingPublishers): keeps the
    rows whose `column` equals one of the items exactly, case-sensitive. An item repeated
    exactly is listed once; items that differ only by case are different items (`ACME,Acme`
    keeps the rows of both), so `unique` is told to compare case-sensitively (it ignores case
    by default).
-#}
{% macro text_list_filter(name, column) -%}
    {%- set items = parameter_list(name) -%}
    {%- if not items -%}
        {{- return('true') -}}
    {%- endif -%}
    {{- return(column ~ ' in ' ~ sql_list(items | unique(case_sensitive=true) | list)) -}}
{%- endmacro %}
