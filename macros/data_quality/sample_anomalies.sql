{#-
    The anomalies planted in the sample seeds, one per expected data_quality_issues row:
    `{'table', 'key', 'code', 'names'}` (names: what its detail must name, or none), flattened
    from the `planted` entries of data_quality_rules, their one home.
-#}
{% macro sample_anomalies() -%}
    {%- set anomalies = [] -%}
    {%- for rule in data_quality_rules() -%}
        {%- for entry in rule.planted -%}
            {%- set planted = entry if entry is mapping else {'key': entry} -%}
            {%- do anomalies.append({
                'table': planted.get('table', rule.table),
                'key': planted.key,
                'code': rule.code,
                'names': planted.get('names'),
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(anomalies) -}}
{%- endmacro %}
