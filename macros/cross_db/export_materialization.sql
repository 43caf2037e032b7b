{#-
    How the export model is materialised on this engine: 'view' where the runner reads it
    in the engine itself (DuckDB): its COPY then filters, renders and sorts the rows straight
    into the file, and no rendered copy of the export is written and read back. 'table' on
    Spark: the runner reads a Spark table from its Parquet files, which a view has none of.
-#}
{% macro export_materialization() -%}
    {{- return(adapter.dispatch('export_materialization', 'activity_tracking')()) -}}
{%- endmacro %}

{% macro default__export_materialization() -%}
    {{- return('view') -}}
{%- endmacro %}

{% macro spark__export_materialization() -%}
    {{- return('table') -}}
{%- endmacro %}
