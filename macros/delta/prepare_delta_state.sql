{#- Pre-hook of activity_tracking_export: in delta mode, makes sure the delta-state tables exist. -#}
{% macro prepare_delta_state() -%}
    {%- if execute and delta_export_guid() is not none -%}
        {%- do create_delta_state() -%}
    {%- endif -%}
{%- endmacro %}
