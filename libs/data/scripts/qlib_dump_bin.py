"""Writes a Qlib binary data directory the way Qlib's scripts/dump_bin.py (DumpDataAll) does.

Used by the data lib's specs to build a Qlib fixture with Qlib's own layout and
arithmetic, independently of alphafeed's qlib.writer. dump_bin.py itself is not in
the pyqlib wheel (it lives in the repository's scripts/ and needs fire, loguru, tqdm
and qlib), so its steps are followed here with pandas and numpy, as it does them:

- calendars/day.txt: the sorted union of all dates (np.savetxt, "%Y-%m-%d");
- instruments/all.txt: "CODE<tab>first date<tab>last date" per instrument file;
- features/<code lower-cased>/<field>.day.bin: the instrument's frame reindexed on the
  calendar between its first and last date (missing dates NaN), then
  np.hstack([date_index, values]).astype("<f").tofile(...): little-endian float32,
  the first value the calendar index of its first date.

On top, `--market NAME --spells CSV` writes instruments/<NAME>.txt from a membership
table (instrument,start_date,end_date; an empty end = the last calendar date), one
line per spell, as Qlib's index collectors write csi300.txt.

usage: qlib_dump_bin.py CSV_DIR QLIB_DIR [--fields open,high,...] [--market NAME --spells CSV]
"""
import argparse
from pathlib import Path

import numpy as np
import pandas as pd


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv_dir")
    parser.add_argument("qlib_dir")
    parser.add_argument("--fields", default="open,high,low,close,volume,amount")
    parser.add_argument("--market")
    parser.add_argument("--spells")
    args = parser.parse_args()
    fields = [f for f in args.fields.split(",") if f]
    files = sorted(Path(args.csv_dir).glob("*.csv"))
    qlib = Path(args.qlib_dir)

    frames = {}
    all_dates = set()
    ranges = []
    for path in files:
        df = pd.read_csv(path, low_memory=False)
        df["date"] = pd.to_datetime(df["date"])
        df = df.dropna(subset=["date"]).drop_duplicates("date")
        code = path.stem.strip().upper()
        frames[code] = df
        all_dates |= set(df["date"])
        ranges.append(f"{code}\t{df['date'].min():%Y-%m-%d}\t{df['date'].max():%Y-%m-%d}")

    calendar = sorted(all_dates)
    (qlib / "calendars").mkdir(parents=True, exist_ok=True)
    np.savetxt(qlib / "calendars" / "day.txt", [f"{d:%Y-%m-%d}" for d in calendar], fmt="%s", encoding="utf-8")
    (qlib / "instruments").mkdir(parents=True, exist_ok=True)
    np.savetxt(qlib / "instruments" / "all.txt", ranges, fmt="%s", encoding="utf-8")

    cal = pd.DataFrame({"date": pd.Series(calendar, dtype="datetime64[ns]")})
    for code, df in frames.items():
        window = cal[(cal["date"] >= df["date"].min()) & (cal["date"] <= df["date"].max())].set_index("date")
        aligned = df.set_index("date").reindex(window.index)
        date_index = calendar.index(aligned.index.min())
        out = qlib / "features" / code.lower()
        out.mkdir(parents=True, exist_ok=True)
        for field in fields:
            if field in aligned.columns:
                np.hstack([date_index, aligned[field]]).astype("<f").tofile(str(out / f"{field}.day.bin"))

    if args.market:
        spells = pd.read_csv(args.spells, dtype=str, keep_default_na=False)
        last = f"{calendar[-1]:%Y-%m-%d}"
        lines = [f"{r.instrument}\t{r.start_date}\t{r.end_date or last}" for r in spells.itertuples()]
        np.savetxt(qlib / "instruments" / f"{args.market}.txt", lines, fmt="%s", encoding="utf-8")


if __name__ == "__main__":
    main()
