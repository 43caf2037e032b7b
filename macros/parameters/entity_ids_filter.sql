{#-
    entityIds: keeps the learners whose entity is a listed entity or one of
    its descendants, i.e. whose entity path holds a listed id. Items are 64-bit integers.
    Items are deduplicated on the condition each one builds, exactly (`unique` is told to
    compare case-sensitively: by default it ignores case, looser than what SQL compares).
-#}
{% macro entity_ids_filter() -%}
    {%- set items = parameter_list('entityIds') -%}
    {%- if not items -%}
        {{- return('true') -}}
    {%- endif -%}
    {%- set conditions = [] -%}
    {%- for item in items -%}
        {%- if not modules.re.fullmatch('[+-]?[0-9]+', item)
            or (item | int) > 9223372036854775807 or (item | int) < -9223372036854775808 -%}
            {{- parameter_error('entityIds', item, 'a comma list of integer entity ids') -}}
        {%- endif -%}
        {%- do conditions.append(
            'position(' ~ sql_string_literal('/' ~ (item | int) ~ '/') ~ ' in candidateEntityPath) > 0'
        ) -%}
    {%- endfor -%}
    {{- return('(' ~ (conditions | unique(case_sensitive=true) | join(' or ')) ~ ')') -}}
{%- endmacro %}
