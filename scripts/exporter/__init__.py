"""The export runner: reads its inputs, builds the dbt project, writes the export file."""
