{#- A fingerprint (64-bit hash) of every column of the row `alias` (a table alias) names. -#}
{% macro record_fingerprint(alias) -%}
    {{- return(adapter.dispatch('record_fingerprint', 'activity_tracking')(alias)) -}}
{%- endmacro %}

{#- DuckDB: a table alias is the row as a struct, hashed whole. -#}
{% macro default__record_fingerprint(alias) -%}
    hash({{ alias }})
{%- endmacro %}

{% macro spark__record_fingerprint(alias) -%}
    xxhash64({{ alias }}.*)
{%- endmacro %}

{#- PostgreSQL: the md5 of the row's text (a table alias is the whole row). -#}
{% macro postgres__record_fingerprint(alias) -%}
    md5(cast({{ alias }} as text))
{%- endmacro %}
