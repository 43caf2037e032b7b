{#-
    How the mart is materialised on this engine: 'incremental' where a table can delete rows
    in place (DuckDB; the mart's delete+insert and its post-hook's delete), 'table' on Spark,
    whose tables here are Parquet: Parquet tables cannot delete rows, so Spark rebuilds the
    mart in full at every build (same rows; see docs/operating.md, Spark).
-#}
{% macro mart_materialization() -%}
    {{- return(adapter.dispatch('mart_materialization', 'activity_tracking')()) -}}
{%- endmacro %}

{% macro default__mart_materialization() -%}
    {{- return('incremental') -}}
{%- endmacro %}

{% macro spark__mart_materialization() -%}
    {{- return('table') -}}
{%- endmacro %}
