{#- Fails on every value of the column longer than `length` characters. -#}
{% test max_length(model, column_name, length) %}
    select {{ column_name }}
    from {{ model }}
    where length({{ column_name }}) > {{ length }}
{% endtest %}
