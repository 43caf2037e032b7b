{#-
    Run-operation: prints the delta state of every export GUID: the rows it has
    exported since its last reset, its last recorded run, and the runs that never recorded
    their state (their rows come again in its next delta).
      dbt run-operation list_delta_exports
-#}
{% macro list_delta_exports() -%}
    {%- set runs = delta_state_relation('export_runs') -%}
    {%- if adapter.get_relation(database=target.database, schema=runs.schema, identifier=runs.identifier) is none -%}
        {%- do print('No delta export yet.') -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set guids = run_query(
        'select export_guid from ' ~ delta_state_relation('export_runs')
        ~ ' group by export_guid order by ' ~ binary_text('export_guid')
    ).columns[0].values() -%}
    {%- if guids | length == 0 -%}
        {%- do print('No delta export yet.') -%}
    {%- endif -%}
    {%- for export_guid in guids -%}
        {%- set exported = run_query(
            'select count(*) from (' ~ delta_exported_rows(export_guid) ~ ') as exported'
        ).rows[0][0] -%}
        {%- set state = delta_state_summary(export_guid) -%}
        {%- if state.last -%}
            {%- set line = export_guid ~ ': ' ~ exported ~ ' rows exported; last run ' ~ state.last[0]
                ~ ' (asOf ' ~ state.last[1] ~ ', recorded ' ~ state.last[2] ~ ')' -%}
        {%- else -%}
            {%- set line = export_guid ~ ': nothing recorded ' ~ ('since its last reset' if state.reset else 'yet')
                ~ ' (next delta: every row)' -%}
        {%- endif -%}
        {%- if state.unfinished -%}
            {%- set line = line ~ '; ' ~ state.unfinished | length
                ~ ' unfinished run(s) since, their rows come again' -%}
        {%- endif -%}
        {%- do print(line ~ '.') -%}
    {%- endfor -%}
{%- endmacro %}
