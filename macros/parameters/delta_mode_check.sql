{#-
    deltaMode (SPEC §5.4) is reserved: delta exports need an export GUID and the state kept
    by the export runner. Here deltaMode=N is accepted and deltaMode=Y is an error.
-#}
{% macro delta_mode_check() -%}
    {%- if parameter_flag('deltaMode') -%}
        {{- exceptions.raise_compiler_error(
            'Parameter deltaMode=Y needs an export GUID and delta state, which plain dbt builds do not keep: '
            ~ 'leave deltaMode unset (or N) for a full export.'
        ) -}}
    {%- endif -%}
{%- endmacro %}
