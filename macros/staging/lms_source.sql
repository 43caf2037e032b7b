{#-
    The relation a base model reads a raw table from.
    - `raw_path` unset: the `lms` source, i.e. the sample seed of the same name. The seed is
      also made a parent of the model, so that `dbt build` loads it first.
    - `raw_path` set: the file `<raw_path>/<table_name>.<raw_format>` in the raw contract's shape;
      a file without one of the columns the lms source declares for the table stops the build
      with one message naming the file and the columns.
-#}
{% macro lms_source(table_name) -%}
    {%- set raw_path = project_var('raw_path') -%}
    {%- set raw_source = source('lms', table_name) -%}
    {%- if raw_path is none or raw_path | string | trim == '' -%}
        {%- do ref(table_name) -%}
        {{- return(raw_source) -}}
    {%- endif -%}
    {%- set raw_format = project_var('raw_format') | string | trim | lower -%}
    {%- if raw_format not in ['parquet', 'csv'] -%}
        {{- exceptions.raise_compiler_error(
            "Invalid raw_format '" ~ project_var('raw_format') ~ "': expected parquet or csv."
        ) -}}
    {%- endif -%}
    {%- set file_path = (raw_path | string | trim).rstrip('/') ~ '/' ~ table_name ~ '.' ~ raw_format -%}
    {%- set relation = read_raw_file(file_path, raw_format) -%}
    {%- if execute -%}
        {%- set found = run_query('select * from ' ~ relation ~ ' limit 0').column_names | map('lower') | list -%}
        {%- set expected = raw_columns(table_name) | map(attribute='name') | list -%}
        {%- set missing = expected | reject('in', found) | list -%}
        {%- if missing -%}
            {{- exceptions.raise_compiler_error(
                'Raw file ' ~ file_path ~ ' has no column ' ~ (missing | join(', ')) ~ ': the raw table '
                ~ table_name ~ ' has the columns ' ~ (expected | join(', ')) ~ '.'
            ) -}}
        {%- endif -%}
    {%- endif -%}
    {{- return(relation) -}}
{%- endmacro %}
