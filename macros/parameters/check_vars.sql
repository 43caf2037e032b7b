{#-
    Refuses a run whose --vars name a var the project does not read (an export parameter
    misspelt, `reportstatus` for `reportStatus`, would otherwise be ignored without a
    word): one error naming it and, when one is close (same letters in another case, or at
    most two edits away), the var meant. The accepted names are project_vars(). Called by
    on-run-start, only when this project is the root one (installed as a package, the --vars
    are the root project's); returns no SQL.
-#}
{% macro check_vars() -%}
    {%- set given = invocation_args_dict.get('vars') or {} -%}
    {#- as a package, the --vars are the root project's: not ours to refuse -#}
    {%- if given is not mapping or not given or project_name != 'activity_tracking' -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set accepted = project_vars().keys() | list -%}
    {%- for name in given.keys() | sort -%}
        {#- the lms source's table names are known once the graph is (execute): until then
            an `lms_<table>_identifier` waits for that check -#}
        {%- set waits = not execute and (name | string).startswith('lms_') and (name | string).endswith('_identifier') -%}
        {%- if name not in accepted and not waits -%}
            {%- set closest = namespace(name=none, distance=3) -%}
            {%- for candidate in accepted -%}
                {%- set distance = 0 if (candidate | lower) == (name | string | lower) else edit_distance(candidate, name | string, 3) -%}
                {%- if distance < closest.distance -%}
                    {%- set closest.name, closest.distance = candidate, distance -%}
                {%- endif -%}
            {%- endfor -%}
            {{- exceptions.raise_compiler_error(
                "Unknown parameter or var '" ~ name ~ "'"
                ~ ((": did you mean " ~ closest.name ~ "?") if closest.name else '.')
                ~ ' Accepted: ' ~ (accepted | join(', ')) ~ '.'
            ) -}}
        {%- endif -%}
    {%- endfor -%}
    {{- return('') -}}
{%- endmacro %}
