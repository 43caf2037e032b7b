{#-
    One of the two delta-state tables, in schema `delta_state`: `export_runs`
    (the events of each export GUID: selected, written, recorded, reset) and `export_rows`
    (the rows each run selected, with their fingerprints; kept compact by
    compact_delta_rows). The runner and the run-operations
    write them; dbt models only read them.
-#}
{% macro delta_state_relation(name) -%}
    {{- return(api.Relation.create(schema='delta_state', identifier=name)) -}}
{%- endmacro %}
