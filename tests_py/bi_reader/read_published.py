"""Run by the DuckDB 1.x reader's Python (build/bi-reader): what a published copy holds.

python read_published.py DUCKDB_FILE [PARQUET_DIR] prints, as JSON, the DuckDB version, and
for every table of the DuckDB file (opened read-only) and every Parquet file of the folder:
its rows (each value as text, in `order by all`), its row count and, for the DuckDB file, its
table and column comments. Standard library and duckdb only: it runs outside the project's
environment.
"""

import json
import sys
from pathlib import Path

import duckdb


def rows(connection, relation):
    found = connection.execute(f"select * from {relation} order by all").fetchall()
    return [[None if value is None else str(value) for value in row] for row in found]


def main(database, parquet_dir=None):
    read = {"version": duckdb.__version__, "duckdb": {}, "parquet": {}}
    with duckdb.connect(database, read_only=True) as connection:
        tables = connection.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'main' order by 1"
        ).fetchall()
        for table, comment in tables:
            columns = connection.execute(
                "select column_name, comment from duckdb_columns() "
                "where schema_name = 'main' and table_name = ? order by column_index",
                [table],
            ).fetchall()
            values = rows(connection, f'main."{table}"')
            read["duckdb"][table] = {
                "rows": len(values),
                "count": connection.execute(f'select count(*) from main."{table}"').fetchone()[0],
                "values": values,
                "comment": comment,
                "columns": dict(columns),
            }
    if parquet_dir is not None:
        with duckdb.connect() as connection:
            for path in sorted(Path(parquet_dir).glob("*.parquet")):
                literal = "'" + str(path).replace("'", "''") + "'"
                values = rows(connection, f"read_parquet({literal})")
                read["parquet"][path.name] = {"rows": len(values), "values": values}
    json.dump(read, sys.stdout)


if __name__ == "__main__":
    main(*sys.argv[1:])
