{#-
    onlyFromImportedRegistrations / onlyFromImportedSessions / onlyFromImportedTraining
: Y keeps only the rows whose registration, session or training was imported
    (`column` is the mart's flag); N means no filter.
-#}
{% macro imported_filter(name, column) -%}
    {{- return(column if parameter_flag(name) else 'true') -}}
{%- endmacro %}
