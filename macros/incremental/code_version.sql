{#-
    A fingerprint of this package's code (activity_tracking, root project or not): every
    model's file and every macro's text.
    Incremental models mix it into what they compare, so that a new version of the project
    rebuilds their rows instead of keeping rows built by the old logic. Models come from the
    documented `graph` variable; dbt does not list macros there, so they come from the
    context's macro objects (`.macro`, dbt's parsed macro). Empty while parsing; unit tests,
    which get no graph, fingerprint the macros alone.
-#}
{% macro code_version() -%}
    {%- if not execute -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for node in graph.get('nodes', {}).values() if node.resource_type == 'model' and node.package_name == 'activity_tracking' -%}
        {%- do parts.append(node.unique_id ~ '=' ~ node.checksum.checksum) -%}
    {%- endfor -%}
    {%- for value in context.values() if value.macro is defined and value.macro.package_name == 'activity_tracking' -%}
        {%- do parts.append(value.macro.unique_id ~ '=' ~ local_md5(value.macro.macro_sql)) -%}
    {%- endfor -%}
    {{- return(local_md5(parts | sort | join(','))) -}}
{%- endmacro %}
