{#-
    The minutes a duration written as free text stands for, or null when the text is not
    one of the forms read: `<h>h` (`2h`), `<h>h<m>` or `<h>h<m>min` (`2h30`, `1h05min`) and
    `<m>min` (`45min`), case and spaces ignored; hours up to 4 digits, minutes after hours
    0-59, minutes alone up to 5 digits (so the number always fits an int).
-#}
{% macro duration_minutes(column) -%}
    {%- set text = 'lower(trim(' ~ column ~ '))' -%}
    case
        when {{ regexp_extract(text, '^([0-9]{1,4}) *h *(([0-5]?[0-9]) *(min)?)?$', 1) }} != ''
            then
                cast({{ regexp_extract(text, '^([0-9]{1,4})', 1) }} as int) * 60
                + coalesce(cast(nullif(
                    {{ regexp_extract(text, '^[0-9]{1,4} *h *([0-5]?[0-9])', 1) }}, ''
                ) as int), 0)
        when {{ regexp_extract(text, '^([0-9]{1,5}) *min$', 1) }} != ''
            then cast({{ regexp_extract(text, '^([0-9]{1,5})', 1) }} as int)
    end
{%- endmacro %}
