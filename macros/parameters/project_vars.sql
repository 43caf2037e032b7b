{#-
    Every var the project reads, with its default: the export parameters (macro
    export_parameters) and the vars of the project itself (where the raw extract is read
    from, strict mode, the runner's run id, build fingerprint and --pii identity). project_var reads a var through it, check_vars
    refuses a name that is not in it. Unset (none) or blank means not given.
-#}
{% macro project_vars() -%}
    {%- set vars = {
        'raw_path': none,
        'raw_format': 'parquet',
        'strict': false,
        'exportRunId': none,
        'buildFingerprint': none,
        'piiIdentity': none,
    } -%}
    {%- for parameter in export_parameters() -%}
        {%- do vars.update({parameter.name: parameter.default}) -%}
    {%- endfor -%}
    {{- return(vars) -}}
{%- endmacro %}
