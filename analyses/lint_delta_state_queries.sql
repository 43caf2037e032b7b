{#-
    Never run: compiled so that sqlfluff lints the delta state's queries (macros
    delta_exported_rows, delta_recorded_runs and delta_unfinished_runs), which the export
    renders only in delta mode, so no model's default rendering shows them. Their joined
    subqueries stay (ST05): the export and delta_state_summary embed these queries whole.
-#}
{{ delta_exported_rows('lint') }}  -- noqa: ST05
