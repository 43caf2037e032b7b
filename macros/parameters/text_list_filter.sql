{#-
    A comma-list text parameter (learningObjectPublishersName, trainingPublishers): keeps the
    rows whose `column` equals one of the items exactly.
-#}
{% macro text_list_filter(name, column) -%}
    {%- set items = parameter_list(name) -%}
    {%- if not items -%}
        {{- return('true') -}}
    {%- endif -%}
    {{- return(column ~ ' in ' ~ sql_list(items | unique | list)) -}}
{%- endmacro %}
