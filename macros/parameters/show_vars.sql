{#-
    Run-operation: prints, as one JSON object, every var of project_vars as the macros
    receive it (project_var): what an export was given, for an operator to check.
      dbt run-operation show_vars --vars '{sessionTitle: "Session 01"}'
-#}
{% macro show_vars() -%}
    {%- set received = {} -%}
    {%- for name in project_vars() -%}
        {%- do received.update({name: project_var(name)}) -%}
    {%- endfor -%}
    {%- do print(tojson(received, sort_keys=true)) -%}
{%- endmacro %}
