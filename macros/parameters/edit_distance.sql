{#-
    The Levenshtein distance between the texts `a` and `b` (insertions, deletions and
    substitutions of one character), or `limit` when it is `limit` or more: how close a
    misspelt name is to a known one.
-#}
{% macro edit_distance(a, b, limit) -%}
    {%- if ((a | length) - (b | length)) | abs >= limit -%}
        {{- return(limit) -}}
    {%- endif -%}
    {%- set state = namespace(previous=range((b | length) + 1) | list) -%}
    {%- for i in range(a | length) -%}
        {%- set current = [i + 1] -%}
        {%- for j in range(b | length) -%}
            {%- do current.append([
                state.previous[j + 1] + 1,
                current[j] + 1,
                state.previous[j] + (0 if a[i] == b[j] else 1),
            ] | min) -%}
        {%- endfor -%}
        {%- set state.previous = current -%}
    {%- endfor -%}
    {{- return([state.previous[-1], limit] | min) -}}
{%- endmacro %}
