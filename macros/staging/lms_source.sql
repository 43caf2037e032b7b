{#-
    The relation a base model reads a raw table from, its only parent:
    - `raw_path` unset: the sample seed of the same name (`ref`), so that `dbt build` loads it
      first. The seed is loaded where the `lms` source points (schema `lms`, same name).
    - `raw_path` set: the file `<raw_path>/<table_name>.<raw_format>` in the raw contract's shape
      (no parent: the seed is neither read nor loaded); a file without one of the columns the
      lms source declares for the table stops the build with one message naming the file and
      the columns.
    The lms source is the raw tables' declaration (columns, types, keys: raw_table); no model
    selects from it.
-#}
{% macro lms_source(table_name) -%}
    {%- set raw_path = project_var('raw_path') -%}
    {%- if raw_path is none or raw_path | string | trim == '' -%}
        {{- return(ref(table_name)) -}}
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
