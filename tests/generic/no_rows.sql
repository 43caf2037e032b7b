{#- Fails (or warns, by its severity) when the model has any row. -#}
{% test no_rows(model) %}
    select *
    from {{ model }}
{% endtest %}
