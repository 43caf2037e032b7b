{#-
    preferredLocales: keeps the rows whose learning object version locale
    matches a listed locale, case-insensitive, `_` read as `-`; a locale matches itself and
    its regions (`fr` matches `fr`, `fr-FR`, `fr-CA`; `fr-FR` does not match `fr`). Rows
    without a learning object version locale are dropped. Items look like `ll[-xx…]`. Items
    are deduplicated on the condition each one builds, exactly (`unique` is told to compare
    case-sensitively: by default it ignores case, looser than what the condition compares).
-#}
{% macro preferred_locales_filter() -%}
    {%- set items = parameter_list('preferredLocales') -%}
    {%- if not items -%}
        {{- return('true') -}}
    {%- endif -%}
    {%- set locale = "lower(replace(learningObjectVersionLocale, '_', '-'))" -%}
    {%- set conditions = [] -%}
    {%- for item in items -%}
        {%- if not modules.re.fullmatch('[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*', item) -%}
            {{- parameter_error('preferredLocales', item, 'a comma list of locales such as fr, fr-FR, en_US') -}}
        {%- endif -%}
        {%- set wanted = item | lower | replace('_', '-') -%}
        {%- do conditions.append(
            locale ~ ' = ' ~ sql_string_literal(wanted) ~ ' or ' ~ locale ~ ' like ' ~ sql_string_literal(wanted ~ '-%')
        ) -%}
    {%- endfor -%}
    {{- return('(' ~ (conditions | unique(case_sensitive=true) | join(' or ')) ~ ')') -}}
{%- endmacro %}
