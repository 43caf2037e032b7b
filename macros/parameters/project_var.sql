{#-
    The var `name` as data (as_data), its default (project_vars) when not given. dbt renders
    Jinja inside every text var before a macro sees it, so a value that must be taken as
    data whatever it holds is given as `{json: '<JSON string>'}` without `{` or `}`; this
    macro returns the string it encodes. Any other value is returned as it is.

    In a unit test, a var the test does not set (overrides) has its default, not the command
    line's value: dbt would otherwise hand the unit tests the build's --vars, and a build
    with any valid parameters must pass them.
-#}
{% macro project_var(name) -%}
    {%- set defaults = project_vars() -%}
    {%- if name not in defaults -%}
        {{- exceptions.raise_compiler_error("project_var: '" ~ name ~ "' is not one of project_vars().") -}}
    {%- endif -%}
    {%- if model is defined and model is mapping and model.get('resource_type') == 'unit_test' -%}
        {%- set command_line = invocation_args_dict.get('vars') or {} -%}
        {%- set overrides = (model.get('overrides') or {}).get('vars') or {} -%}
        {%- if command_line is mapping and name in command_line and name not in overrides -%}
            {{- return(defaults[name]) -}}
        {%- endif -%}
    {%- endif -%}
    {{- return(as_data(var(name, defaults[name]))) -}}
{%- endmacro %}
