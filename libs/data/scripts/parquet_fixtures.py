"""Writes Parquet fixtures the way pandas/pyarrow and polars write them, for the data specs.

usage: parquet_fixtures.py OUT_DIR BARS_CSV

Writes into OUT_DIR:
- types-<variant>.parquet: one table of every flat type alphafeed reads (nulls included),
  written with each codec, encoding and page version the writers offer, and with the
  timestamp units and INT96; types-expected.json holds the values as JSON (dates and
  timestamps as day / millisecond numbers, nulls as null), and variants.json the list.
- bars-pandas.parquet: BARS_CSV as pandas writes it by default (datetime64[ns] dates,
  int64 volume, snappy, its index column); bars-polars.parquet as polars writes it by
  default (zstd, date32, large strings); bars-pyarrow-v2-gzip.parquet with date32, data
  page v2, gzip, plain strings and a null amount in the third row.
"""
import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

out = Path(sys.argv[1])
bars_csv = sys.argv[2]
out.mkdir(parents=True, exist_ok=True)

n = 3000
base = dt.datetime(2020, 1, 1)
columns = {
    "i8": pa.array([None if k % 89 == 0 else (k % 200) - 100 for k in range(n)], type=pa.int8()),
    "i32": pa.array([None if k % 97 == 0 else k * 3 - 500 for k in range(n)], type=pa.int32()),
    "i64": pa.array([k * 1_000_000_007 - 10**11 for k in range(n)], type=pa.int64()),
    "u32": pa.array([k * 1_000_003 for k in range(n)], type=pa.uint32()),
    "f32": pa.array([k / 8 for k in range(n)], type=pa.float32()),
    "f64": pa.array([None if k % 10 == 3 else k / 3 for k in range(n)], type=pa.float64()),
    "flag": pa.array([None if k % 41 == 0 else k % 3 == 0 for k in range(n)], type=pa.bool_()),
    "name": pa.array([None if k % 50 == 7 else f"name-{k % 37}-é" for k in range(n)], type=pa.string()),
    "day": pa.array([base.date() + dt.timedelta(days=k) for k in range(n)], type=pa.date32()),
    "ts_s": pa.array([base + dt.timedelta(hours=k) for k in range(n)], type=pa.timestamp("s")),
    "ts_ms": pa.array([base + dt.timedelta(minutes=7 * k) for k in range(n)], type=pa.timestamp("ms")),
    "ts_us": pa.array([None if k % 13 == 0 else base + dt.timedelta(seconds=k) for k in range(n)], type=pa.timestamp("us")),
    "ts_ns": pa.array([base + dt.timedelta(milliseconds=k) for k in range(n)], type=pa.timestamp("ns")),
    "ts_tz": pa.array([base + dt.timedelta(hours=k) for k in range(n)], type=pa.timestamp("ms", tz="Asia/Shanghai")),
}
table = pa.table(columns)

expected = {}
epoch = dt.datetime(1970, 1, 1)
for name, arr in columns.items():
    vals = arr.to_pylist()
    if name == "day":
        vals = [None if v is None else (v - dt.date(1970, 1, 1)).days for v in vals]
    elif name.startswith("ts_"):
        # milliseconds since the epoch; a zoned timestamp is an instant (to_pylist gives it in its zone)
        vals = [
            None if v is None
            else round(v.timestamp() * 1000) if v.tzinfo is not None
            else round((v - epoch).total_seconds() * 1000)
            for v in vals
        ]
    expected[name] = vals
(out / "types-expected.json").write_text(json.dumps(expected))

variants = {}


def pyarrow_variant(name, **kwargs):
    pq.write_table(table, out / f"types-{name}.parquet", row_group_size=1000, data_page_size=2048, **kwargs)
    variants[name] = "pyarrow " + ", ".join(f"{k}={v}" for k, v in kwargs.items()) if kwargs else "pyarrow defaults"


pyarrow_variant("pyarrow-default")
for codec in ["zstd", "gzip", "lz4", "brotli", "none"]:
    pyarrow_variant(f"pyarrow-{codec}", compression=codec)
pyarrow_variant("pyarrow-v2-pages", data_page_version="2.0")
pyarrow_variant("pyarrow-plain", use_dictionary=False)
pyarrow_variant(
    "pyarrow-delta",
    use_dictionary=False,
    column_encoding={
        "i8": "DELTA_BINARY_PACKED",
        "i32": "DELTA_BINARY_PACKED",
        "i64": "DELTA_BINARY_PACKED",
        "u32": "DELTA_BINARY_PACKED",
        "name": "DELTA_BYTE_ARRAY",
        "day": "DELTA_BINARY_PACKED",
    },
)
pyarrow_variant(
    "pyarrow-delta-length",
    use_dictionary=False,
    column_encoding={"name": "DELTA_LENGTH_BYTE_ARRAY", "f32": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT"},
)
pyarrow_variant("pyarrow-int96", use_deprecated_int96_timestamps=True)
pd.DataFrame({k: v.to_pandas() for k, v in zip(table.column_names, table.columns)}).to_parquet(
    out / "types-pandas-default.parquet"
)
variants["pandas-default"] = "pandas DataFrame.to_parquet defaults (its index column included)"
polars_frame = pl.from_arrow(table)
polars_frame.write_parquet(out / "types-polars-default.parquet")
variants["polars-default"] = "polars write_parquet defaults (zstd)"
for codec in ["snappy", "lz4", "gzip", "uncompressed"]:
    polars_frame.write_parquet(out / f"types-polars-{codec}.parquet", compression=codec)
    variants[f"polars-{codec}"] = f"polars compression={codec}"
(out / "variants.json").write_text(json.dumps(variants))

bars = pd.read_csv(bars_csv, parse_dates=["date"])
bars.to_parquet(out / "bars-pandas.parquet")
pl.read_csv(bars_csv, try_parse_dates=True).write_parquet(out / "bars-polars.parquet")
t = pa.Table.from_pandas(bars, preserve_index=False)
t = t.set_column(0, "date", pa.array([d.date() for d in bars["date"]], type=pa.date32()))
amount = bars["amount"].astype("float64").tolist()
amount[2] = None
t = t.set_column(t.schema.get_field_index("amount"), "amount", pa.array(amount, type=pa.float64()))
pq.write_table(t, out / "bars-pyarrow-v2-gzip.parquet", data_page_version="2.0", compression="gzip",
               use_dictionary=["industry"], row_group_size=5)
