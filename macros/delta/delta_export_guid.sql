{#-
    deltaMode: the export GUID whose delta this export is, or none for a full
    export (deltaMode unset or N). deltaMode=Y needs the var exportGuid and forbids
    timeFrames and timeFramesScale.
-#}
{% macro delta_export_guid() -%}
    {%- if not parameter_flag('deltaMode') -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set export_guid = parameter_value('exportGuid') -%}
    {%- if export_guid is none -%}
        {{- exceptions.raise_compiler_error(
            'Parameter deltaMode=Y needs an export GUID: set the var exportGuid '
            ~ '(the runner: --export-guid, or <export guid="..."> in the XML configuration).'
        ) -}}
    {%- endif -%}
    {%- for name in ['timeFrames', 'timeFramesScale'] -%}
        {%- if parameter_value(name) is not none -%}
            {{- exceptions.raise_compiler_error(
                'Parameter deltaMode=Y cannot be combined with ' ~ name
                ~ ': a delta export covers every change, whatever its date.'
            ) -}}
        {%- endif -%}
    {%- endfor -%}
    {{- return(export_guid | string) -}}
{%- endmacro %}
