{#- Fails on every combination of the given columns held by more than one row (a composite key; null counts as a value). -#}
{% test unique_combination(model, columns) %}
    {%- if columns is string or columns | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            'unique_combination: columns must be a list of one or more column names, not '
            ~ tojson(columns) ~ '.'
        ) }}
    {%- endif %}
    select
        {{ columns | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
