{#-
    True when the lms source reads the sample seeds: no `raw_path`, and `lms_schema` and
    `lms_database` left at their defaults (the sample's schema, the target's database). Only
    then are the seeds enabled (dbt_project.yml, `seeds:`, which says the same in its own
    Jinja: a project file cannot call a macro) and a base model's parents. A user's own
    tables are never in the sample's schema, so a build never loads the sample over them.
-#}
{% macro lms_sample_used() -%}
    {%- set raw_path = project_var('raw_path') -%}
    {{- return(
        (raw_path is none or raw_path | string | trim == '')
        and var('lms_schema', 'lms_sample') == 'lms_sample'
        and var('lms_database', target.database) == target.database
    ) -}}
{%- endmacro %}
