{#-
    A fingerprint of a row's values (delta mode), as text: two different lists of
    values give different fingerprints (up to a hash collision). Each engine uses its fastest
    built-in hash of a list of values; the default is the md5 of every expression as text,
    each written as `<length>:<text>` and a null as `-` (no separator a value could contain).
    Fingerprints differ between engines (and may between engine versions): a delta state
    belongs to the engine that recorded it.
-#}
{% macro row_fingerprint(expressions) -%}
    {{- return(adapter.dispatch('row_fingerprint', 'activity_tracking')(expressions)) -}}
{%- endmacro %}

{% macro default__row_fingerprint(expressions) -%}
    md5(concat(
        {%- for expression in expressions %}
        coalesce(cast(length(cast({{ expression }} as string)) as string) || ':' || cast({{ expression }} as string), '-')
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    ))
{%- endmacro %}

{#- DuckDB's hash() of several values: 64 bits, typed (a null, '' and 0 differ), ~15× faster than md5 of text. -#}
{% macro duckdb__row_fingerprint(expressions) -%}
    cast(hash({{ expressions | join(', ') }}) as string)
{%- endmacro %}

{#- Spark's xxhash64() of several values: 64 bits, typed. -#}
{% macro spark__row_fingerprint(expressions) -%}
    cast(xxhash64({{ expressions | join(', ') }}) as string)
{%- endmacro %}
