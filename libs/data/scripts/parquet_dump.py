"""Prints a Parquet file as JSON as pyarrow reads it: {"schema": {name: type}, "columns": {name: values},
"row_groups": n, "polars_columns": {name: values}} (the last as polars reads the same file).

Dates as day numbers, NaN as the string "NaN"; the data specs check alphafeed's writer with it.
usage: parquet_dump.py FILE OUT_JSON
"""
import datetime as dt
import json
import math
import sys

import polars as pl
import pyarrow.parquet as pq


def plain(vals):
    vals = [(v - dt.date(1970, 1, 1)).days if type(v) is dt.date else v for v in vals]
    return ["NaN" if isinstance(v, float) and math.isnan(v) else v for v in vals]


table = pq.read_table(sys.argv[1])
columns = {name: plain(arr.to_pylist()) for name, arr in zip(table.column_names, table.columns)}
frame = pl.read_parquet(sys.argv[1])
polars_columns = {name: plain(frame[name].to_list()) for name in frame.columns}
schema = {f.name: str(f.type) for f in table.schema}
with open(sys.argv[2], "w") as f:
    row_groups = pq.ParquetFile(sys.argv[1]).num_row_groups
    json.dump({"schema": schema, "columns": columns, "row_groups": row_groups, "polars_columns": polars_columns}, f)
