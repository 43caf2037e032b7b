{#-
    The twelve activity types of the platform: code and canonical label. The one list the
    models, the tests and the activityType parameter read.
-#}
{% macro activity_types() -%}
    {{- return([
        {'code': 0, 'label': 'Learning resource'},
        {'code': 1, 'label': 'Web resource'},
        {'code': 2, 'label': 'Editorial'},
        {'code': 3, 'label': 'Open question'},
        {'code': 4, 'label': 'Classroom activity'},
        {'code': 5, 'label': 'Poll'},
        {'code': 6, 'label': 'Assignment'},
        {'code': 7, 'label': 'Assessment'},
        {'code': 8, 'label': 'Quiz'},
        {'code': 9, 'label': 'Action plan'},
        {'code': 10, 'label': 'Measure your progress'},
        {'code': 11, 'label': 'End-of-course survey'},
    ]) -}}
{%- endmacro %}
