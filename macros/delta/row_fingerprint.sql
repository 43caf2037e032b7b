{#-
    A fingerprint of a row's values (delta mode, SPEC §5.4): the md5 of every expression as
    text, each written as `<length>:<text>` and a null as `-`, so that no two different
    lists of values give the same input (no separator a value could contain). Engines that
    write a value as different text give different fingerprints: a delta state belongs to
    the engine that recorded it.
-#}
{% macro row_fingerprint(expressions) -%}
    md5(concat(
        {%- for expression in expressions %}
        coalesce(cast(length(cast({{ expression }} as string)) as string) || ':' || cast({{ expression }} as string), '-')
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    ))
{%- endmacro %}
