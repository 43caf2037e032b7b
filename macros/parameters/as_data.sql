{#-
    `value` as data: the string a `{json: '<JSON string>'}` mapping encodes, or `value` as
    it is. The runner gives every text it hands dbt (vars and run-operation arguments) in
    that form, with `{` and `}` written `\u007b` and `\u007d`: a text holding no Jinja
    delimiter, which dbt's rendering of vars leaves alone, whatever the value holds.
-#}
{% macro as_data(value) -%}
    {%- if value is mapping and (value.keys() | list) == ['json'] and value['json'] is string -%}
        {{- return(fromjson(value['json'])) -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
