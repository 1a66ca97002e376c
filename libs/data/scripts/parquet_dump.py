"""Prints a Parquet file as JSON as pyarrow reads it: {"schema": {name: type}, "columns": {name: values}}.

Dates as day numbers, NaN as the string "NaN"; the data specs check alphafeed's writer with it.
usage: parquet_dump.py FILE OUT_JSON
"""
import datetime as dt
import json
import math
import sys

import pyarrow.parquet as pq

table = pq.read_table(sys.argv[1])
columns = {}
for name, arr in zip(table.column_names, table.columns):
    vals = arr.to_pylist()
    if str(arr.type).startswith("date32"):
        vals = [None if v is None else (v - dt.date(1970, 1, 1)).days for v in vals]
    vals = ["NaN" if isinstance(v, float) and math.isnan(v) else v for v in vals]
    columns[name] = vals
schema = {f.name: str(f.type) for f in table.schema}
with open(sys.argv[2], "w") as f:
    json.dump({"schema": schema, "columns": columns, "row_groups": pq.ParquetFile(sys.argv[1]).num_row_groups}, f)
