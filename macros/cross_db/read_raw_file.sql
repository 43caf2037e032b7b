{#- A table expression reading one raw extract file (Parquet, or CSV with a header row). -#}
{% macro read_raw_file(file_path, file_format) -%}
    {{- return(adapter.dispatch('read_raw_file', 'activity_tracking')(file_path, file_format)) -}}
{%- endmacro %}

{% macro default__read_raw_file(file_path, file_format) -%}
    {{- exceptions.raise_compiler_error(
        "raw_path is not supported on adapter '" ~ adapter.type() ~ "'."
    ) -}}
{%- endmacro %}

{% macro duckdb__read_raw_file(file_path, file_format) -%}
    {%- if file_format == 'parquet' -%}
        read_parquet({{ sql_string_literal(file_path) }})
    {%- else -%}
        {#- every column as text: the base models cast to the contract's types -#}
        read_csv({{ sql_string_literal(file_path) }}, header = true, all_varchar = true)
    {%- endif -%}
{%- endmacro %}

{% macro spark__read_raw_file(file_path, file_format) -%}
    {%- if file_format != 'parquet' -%}
        {{- exceptions.raise_compiler_error(
            "raw_format " ~ file_format ~ " is not supported on Spark: give the raw extract"
            ~ " as Parquet files (raw_format parquet)."
        ) -}}
    {%- endif -%}
    {#- a backquoted path: a backquote inside it is doubled -#}
    parquet.`{{ file_path | replace('`', '``') }}`
{%- endmacro %}
