{#-
    The date pattern of parameter `name` (dateTimeFormat or dateFormat) as a
    list of parts `{'token': 'YYYY'|'MM'|'DD'|'hh'|'ii'|'ss'}` or `{'text': literal}`,
    scanned left to right, tokens case-sensitive; the parameter's default when not given. A pattern with
    no token, or with `'`, `"`, a backquote, a backslash, `;` or a control character, is an
    error.
-#}
{% macro date_pattern(name) -%}
    {%- set pattern = parameter_value(name) | string -%}
    {%- if modules.re.search('[\'"`\\\\;\\x00-\\x1f\\x7f]', pattern) -%}
        {{- parameter_error(name, pattern, 'a pattern of YYYY, MM, DD, hh, ii, ss and literal characters other than quotes, backquotes, backslashes, semicolons and control characters') -}}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for piece in modules.re.findall('YYYY|MM|DD|hh|ii|ss|.', pattern) -%}
        {%- if piece in ['YYYY', 'MM', 'DD', 'hh', 'ii', 'ss'] -%}
            {%- do parts.append({'token': piece}) -%}
        {%- elif parts and parts[-1].text is defined -%}
            {%- do parts[-1].update({'text': parts[-1].text ~ piece}) -%}
        {%- else -%}
            {%- do parts.append({'text': piece}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if parts | selectattr('token', 'defined') | list | length == 0 -%}
        {{- parameter_error(name, pattern, 'a pattern holding at least one of YYYY, MM, DD, hh, ii, ss') -}}
    {%- endif -%}
    {{- return(parts) -}}
{%- endmacro %}
