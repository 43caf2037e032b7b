{#-
    Why a reference of a tracking resolves to no row, in words: `<name>_id is empty` when the
    id column is null, else `<name> <id> does not exist`; both followed by ` of <owner> <id>`
    when the reference is held by another row than the tracking (its registration, session
    or activity).
-#}
{% macro missing_reference_text(name, id_column, owner=none, owner_id_column=none) -%}
    {%- set of_owner = (" || ' of " ~ owner ~ " ' || " ~ id_text(owner_id_column)) if owner else '' -%}
    case
        when {{ id_column }} is null then '{{ name }}_id'{{ of_owner }} || ' is empty'
        else '{{ name }} ' || cast({{ id_column }} as string){{ of_owner }} || ' does not exist'
    end
{%- endmacro %}
