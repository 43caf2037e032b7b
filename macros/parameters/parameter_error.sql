{#-
    Stops compilation with the one message a user needs: the parameter, the value given
    and what is accepted.
-#}
{% macro parameter_error(name, value, accepted) -%}
    {{- exceptions.raise_compiler_error(
        "Invalid value '" ~ value ~ "' for parameter " ~ name ~ ": expected " ~ accepted ~ "."
    ) -}}
{%- endmacro %}
