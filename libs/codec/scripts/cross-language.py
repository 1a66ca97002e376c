"""
Step 2 of the cross-language fixture. Uses ONLY schemas/*.avsc and fastavro
(a generic Avro implementation, no alphafeed code) to

  1. compute each schema's Parsing Canonical Form and CRC-64-AVRO fingerprint,
  2. decode the single-object messages our TypeScript encoder produced
     (step 1, cross-language.samples.ts) and check them against the samples,
  3. encode the same samples as single-object messages with fastavro,

and writes everything to libs/codec/src/fixtures/cross-language.json, which
the Jest spec checks without Python.

Run (once, when schemas change):
  python -m venv /tmp/avroenv && /tmp/avroenv/bin/pip install fastavro
  node libs/codec/scripts/ts-run.js libs/codec/scripts/cross-language.samples.ts > /tmp/node-messages.json
  node libs/codec/scripts/ts-run.js libs/codec/scripts/cross-language.samples.ts --samples > /tmp/samples.json
  /tmp/avroenv/bin/python libs/codec/scripts/cross-language.py /tmp/node-messages.json /tmp/samples.json
"""
import datetime
import io
import json
import math
import struct
import sys
from pathlib import Path

import fastavro
from fastavro.schema import fingerprint, to_parsing_canonical_form

ROOT = Path(__file__).resolve().parents[3]
EPOCH = datetime.date(1970, 1, 1)


def load(name):
    return fastavro.parse_schema(json.loads((ROOT / "schemas" / f"{name}.avsc").read_text()))


def to_plain(value, schema_json):
    """fastavro's logical-type objects -> the plain values of the samples."""
    out = {}
    for field in schema_json["fields"]:
        v = value[field["name"]]
        logical = field["type"].get("logicalType") if isinstance(field["type"], dict) else None
        if logical == "date":
            v = (v - EPOCH).days
        elif logical == "timestamp-millis":
            v = round(v.timestamp() * 1000)
        elif isinstance(v, bytes):
            v = v.hex()
        out[field["name"]] = v
    return out


def from_plain(value, schema_json):
    out = {}
    for field in schema_json["fields"]:
        v = value[field["name"]]
        logical = field["type"].get("logicalType") if isinstance(field["type"], dict) else None
        if logical == "date":
            v = EPOCH + datetime.timedelta(days=v)
        elif logical == "timestamp-millis":
            v = datetime.datetime.fromtimestamp(v / 1000, tz=datetime.timezone.utc)
        elif field["name"] in ("key", "payload") and v is not None:
            v = bytes.fromhex(v)
        out[field["name"]] = v
    return out


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def main(node_messages_path, samples_path):
    node_messages = json.loads(Path(node_messages_path).read_text())
    samples = json.loads(Path(samples_path).read_text())
    names = sorted({s["schema"] for s in samples})
    parsed = {n: load(n) for n in names}
    raw = {n: json.loads((ROOT / "schemas" / f"{n}.avsc").read_text()) for n in names}
    canonical = {n: to_parsing_canonical_form(parsed[n]) for n in names}
    # fastavro returns the CRC-64-AVRO bytes little-endian, as the single-object header stores them
    fp_le = {n: bytes.fromhex(fingerprint(canonical[n], "CRC-64-AVRO")) for n in names}
    by_fp = {fp_le[n]: n for n in names}

    decoded_by_python = []
    for sample, msg in zip(samples, node_messages):
        data = bytes.fromhex(msg["hex"])
        assert data[:2] == b"\xc3\x01", "bad marker"
        name = by_fp[data[2:10]]
        assert name == sample["schema"], (name, sample["schema"])
        stream = io.BytesIO(data[10:])
        value = fastavro.schemaless_reader(stream, parsed[name], None)
        assert stream.read() == b"", "trailing bytes"
        plain = to_plain(value, raw[name])
        assert same(plain, sample["value"]), (plain, sample["value"])
        decoded_by_python.append({"schema": name, "value": plain})

    from_python = []
    for sample in samples:
        name = sample["schema"]
        buf = io.BytesIO()
        fastavro.schemaless_writer(buf, parsed[name], from_plain(sample["value"], raw[name]))
        from_python.append({"schema": name, "hex": (b"\xc3\x01" + fp_le[name] + buf.getvalue()).hex()})

    out = {
        "generator": f"fastavro {fastavro.__version__}, libs/codec/scripts/cross-language.py",
        "canonical": canonical,
        "fingerprintUnsigned": {n: str(int.from_bytes(fp_le[n], "little")) for n in names},
        "fingerprintSigned": {n: str(struct.unpack("<q", fp_le[n])[0]) for n in names},
        "fromNode": [{"schema": m["schema"], "hex": m["hex"]} for m in node_messages],
        "decodedByPython": decoded_by_python,
        "fromPython": from_python,
    }
    target = ROOT / "libs" / "codec" / "src" / "fixtures" / "cross-language.json"
    target.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {target}: {len(samples)} samples decoded by fastavro, {len(from_python)} encoded")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
