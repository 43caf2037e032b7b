{#-
    Every var the project reads, with its default: the export parameters (macro
    export_parameters) and the vars of the project itself (where the raw extract is read
    from, strict mode, the runner's run id, build fingerprint and --pii identity, where the
    lms source's tables are and how fresh they must be). project_var reads a var through it,
    check_vars refuses a name that is not in it. Unset (none) or blank means not given;
    `lms_database` none means the target's database. The lms source's YAML reads its vars
    with var() and the same defaults (dbt renders it before any macro):
    tests_py/test_sources.py holds the two equal.
-#}
{% macro project_vars() -%}
    {%- set vars = {
        'raw_path': none,
        'raw_format': 'parquet',
        'strict': false,
        'exportRunId': none,
        'buildFingerprint': none,
        'piiIdentity': none,
        'lms_database': none,
        'lms_schema': 'lms_sample',
        'lms_freshness_warn_after_hours': 24,
        'lms_freshness_error_after_hours': 48,
    } -%}
    {#- where the lms source's tables are: their names (known once the graph is) -#}
    {%- for node in (graph.get('sources') or {}).values() if execute and node.source_name == 'lms' -%}
        {%- do vars.update({'lms_' ~ node.name ~ '_identifier': node.name}) -%}
    {%- endfor -%}
    {%- for parameter in export_parameters() -%}
        {%- do vars.update({parameter.name: parameter.default}) -%}
    {%- endfor -%}
    {{- return(vars) -}}
{%- endmacro %}
