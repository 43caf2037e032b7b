{#-
    Which time spent the export shows: the total (`total_column`), whatever
    the date filter, except in timeSpent mode, where it is the time logged in the window
    (`in_frame_column`).
-#}
{% macro time_spent_column(total_column, in_frame_column) -%}
    {%- set frame = time_frame() -%}
    {{- return(in_frame_column if frame is not none and frame.mode == 'timeSpent' else total_column) -}}
{%- endmacro %}
