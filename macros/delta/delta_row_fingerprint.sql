{#-
    The fingerprint delta mode records and compares for a row of the mart: its rowFingerprint
    as it is, or, when the runner's --pii changed the personal columns (the var piiIdentity:
    the mode, and for pseudonymise an id of the key, never the key), a hash of both. A change
    of --pii mode or key then changes every row's fingerprint, so the next delta export sends
    every row again instead of mixing values of two modes.
-#}
{% macro delta_row_fingerprint(column) -%}
    {%- set identity = project_var('piiIdentity') -%}
    {%- if identity -%}
        md5({{ column }} || {{ sql_string_literal('|' ~ identity) }})
    {%- else -%}
        {{ column }}
    {%- endif -%}
{%- endmacro %}
