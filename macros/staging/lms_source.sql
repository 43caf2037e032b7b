{#-
    The relation a base model (and `dbt source freshness`) reads the raw table `table_name`
    from: always through the lms source (`source('lms', table_name)`), so that the graph's
    lineage starts at the source node whichever of three places holds the data
    (docs/using.md, "Point it at your data"):
    - the sample seeds (lms_sample_used): the source's own relation, schema `lms_sample`; the
      seed of the same name is also a parent, so that `dbt build` loads it before it is read
      (not for `dbt source freshness`, which reads what is there);
    - tables in the warehouse (vars `lms_database`, `lms_schema`, `lms_<table>_identifier`):
      the source's own relation;
    - files (var `raw_path`): `<raw_path>/<table_name>.<raw_format>` read by the engine
      (read_raw_file), the source node still the model's parent. (Not a dbt-duckdb
      `external_location`: that key turns a source into a file whether raw_path is set or
      not, and its path is a format string, where a `{` in a folder's name breaks it.)
    Either way the relation must exist and hold every column the source declares for the
    table: a missing one, or one without a column, stops the build with one message naming
    it. (Not checked in a unit test, whose fixture is the relation, nor by `dbt compile` and
    `dbt docs generate`, which read nothing: on a new database the seeds are not loaded yet.)
-#}
{% macro lms_source(table_name) -%}
    {%- set relation = source('lms', table_name) -%}
    {#- the vars naming it are data: a name that could end its quotes is refused -#}
    {%- for part, name in [('lms_database', relation.database), ('lms_schema', relation.schema),
                           ('lms_' ~ table_name ~ '_identifier', relation.identifier)] -%}
        {%- if name is string and modules.re.search('["\'`\\\\\\x00-\\x1f\\x7f]', name) -%}
            {{- exceptions.raise_compiler_error(
                'Invalid ' ~ part ~ ' ' ~ tojson(name) ~ ': a name of the lms source holds no quote, backslash or control character.'
            ) -}}
        {%- endif -%}
    {%- endfor -%}
    {%- set raw_path = project_var('raw_path') -%}
    {%- if raw_path is none or raw_path | string | trim == '' -%}
        {%- if lms_sample_used() and (model is not mapping or model.get('resource_type') != 'source') -%}
            {%- do ref('activity_tracking', table_name) -%}
        {%- endif -%}
        {%- set described = 'The raw table ' ~ relation -%}
    {%- else -%}
        {%- set raw_format = project_var('raw_format') | string | trim | lower -%}
        {%- if raw_format not in ['parquet', 'csv'] -%}
            {{- exceptions.raise_compiler_error(
                "Invalid raw_format '" ~ project_var('raw_format') ~ "': expected parquet or csv."
            ) -}}
        {%- endif -%}
        {%- set file_path = (raw_path | string | trim).rstrip('/') ~ '/' ~ table_name ~ '.' ~ raw_format -%}
        {%- set relation = read_raw_file(file_path, raw_format) -%}
        {%- set described = 'Raw file ' ~ file_path -%}
    {%- endif -%}
    {%- set reads = flags.WHICH not in ['compile', 'generate'] and not (model is mapping and model.get('resource_type') == 'unit_test') -%}
    {%- if execute and reads -%}
        {%- if raw_format is defined and not raw_file_exists(file_path) -%}
            {{- exceptions.raise_compiler_error(
                'Raw file ' ~ file_path ~ ' does not exist: with raw_path set, the raw table '
                ~ table_name ~ ' is read from <raw_path>/' ~ table_name ~ '.' ~ raw_format ~ '.'
            ) -}}
        {%- elif raw_format is not defined and adapter.get_relation(relation.database, relation.schema, relation.identifier) is none -%}
            {{- exceptions.raise_compiler_error(
                'The raw table ' ~ relation ~ ' does not exist: the lms source reads ' ~ table_name
                ~ ' from the vars lms_database, lms_schema and lms_' ~ table_name ~ '_identifier'
                ~ (' (the sample seeds are loaded by dbt build or dbt seed)' if lms_sample_used() else '') ~ '.'
            ) -}}
        {%- endif -%}
        {%- set found = run_query('select * from ' ~ relation ~ ' limit 0').column_names | map('lower') | list -%}
        {%- set expected = raw_columns(table_name) | map(attribute='name') | list -%}
        {%- set missing = expected | reject('in', found) | list -%}
        {%- if missing -%}
            {{- exceptions.raise_compiler_error(
                described ~ ' has no column ' ~ (missing | join(', ')) ~ ': the raw table '
                ~ table_name ~ ' has the columns ' ~ (expected | join(', ')) ~ '.'
            ) -}}
        {%- endif -%}
    {%- endif -%}
    {{- return(relation) -}}
{%- endmacro %}
