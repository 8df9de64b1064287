"""Reads accsim outputs: a run's --out directory and a sweep's --out directory."""
import csv
import json
import os
import re


class ReportInputError(Exception):
    """Bad or missing input: reported as one line, exit status 2."""


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise ReportInputError(f"{path}: cannot read ({e.strerror})")
    except json.JSONDecodeError as e:
        raise ReportInputError(f"{path}:{e.lineno}: malformed JSON ({e.msg})")
    except UnicodeDecodeError:
        raise ReportInputError(f"{path}: not UTF-8 text")
    except (ValueError, RecursionError) as e:  # nesting too deep, integers too long
        raise ReportInputError(f"{path}: unreadable JSON ({type(e).__name__})")


def _dram_bandwidth_gb_s(resolved_path):
    """dram.bandwidth_gb_s from resolved_config.yaml (0 or None = unknown/unlimited)."""
    if not os.path.exists(resolved_path):
        return None
    try:
        import yaml
        with open(resolved_path, encoding="utf-8") as f:
            tree = yaml.safe_load(f) or {}
        value = (tree.get("dram") or {}).get("bandwidth_gb_s")
        return float(value) if value else None
    except ImportError:
        # Without PyYAML: the resolved config is plain block YAML written by accsim.
        text = open(resolved_path, encoding="utf-8").read()
        m = re.search(r"^dram:\n(?:[ ]+.*\n)*?[ ]+bandwidth_gb_s:\s*([0-9.eE+-]+)", text, re.M)
        return float(m.group(1)) if m and float(m.group(1)) > 0 else None


def _need(obj, key, types, where):
    """obj[key], which must exist and be of `types` (bool is never a number)."""
    if not isinstance(obj, dict) or key not in obj:
        raise ReportInputError(f"{where}: missing '{key}'")
    v = obj[key]
    if isinstance(v, bool) and bool not in (types if isinstance(types, tuple) else (types,)) or not isinstance(v, types):
        names = " or ".join(t.__name__ for t in (types if isinstance(types, tuple) else (types,)))
        raise ReportInputError(f"{where}: '{key}' must be {names.replace('NoneType', 'null')}, not {type(v).__name__}")
    if isinstance(v, float) and v != v:
        raise ReportInputError(f"{where}: '{key}' is NaN")
    return v


NUM = (int, float)
RUN_LAYER_FIELDS = ("cycles", "compute_cycles", "stall_cycles", "latency_s", "energy_pj", "utilization", "macs",
                    "effectual_macs", "peak_macs_per_cycle", "dram_read_bytes", "dram_write_bytes")
ROW_FIELDS = ("cycles", "latency_s", "energy_pj", "utilization", "macs", "effectual_macs", "peak_macs_per_cycle",
              "dram_read_bytes", "dram_write_bytes", "clock_hz", "leakage_uw")


def _check_summary(summary, where):
    for key in ("arch", "workload", "total"):
        _need(summary, key, dict, where)
    layers = _need(summary, "layers", list, where)
    _need(summary["arch"], "name", str, where + ": arch")
    _need(summary["arch"], "clock_hz", NUM, where + ": arch")
    if summary["arch"]["clock_hz"] <= 0:
        raise ReportInputError(f"{where}: arch.clock_hz must be positive")
    _need(summary["workload"], "name", str, where + ": workload")
    for k in ("cycles", "latency_s", "energy_pj", "utilization", "macs"):
        _need(summary["total"], k, NUM, where + ": total")
    for i, layer in enumerate(layers):
        w = f"{where}: layers[{i}]"
        _need(layer, "name", str, w)
        _need(layer, "op", str, w)
        for k in RUN_LAYER_FIELDS:
            _need(layer, k, NUM, w)
        for c, v in _need(layer, "energy_breakdown_pj", dict, w).items():
            if isinstance(v, bool) or not isinstance(v, NUM):
                raise ReportInputError(f"{w}: energy_breakdown_pj.{c} must be a number")


def load_run(directory):
    """A run directory: summary.json (+ resolved_config.yaml for the DRAM roof)."""
    where = os.path.join(directory, "summary.json")
    summary = _read_json(where)
    if not isinstance(summary, dict):
        raise ReportInputError(f"{where}: not a JSON object (not written by accsim run --out?)")
    _check_summary(summary, where)
    return {
        "dir": directory,
        "summary": summary,
        "dram_bandwidth_gb_s": _dram_bandwidth_gb_s(os.path.join(directory, "resolved_config.yaml")),
    }


def _check_spec(spec, where):
    if not isinstance(spec, dict):
        raise ReportInputError(f"{where}: not a JSON object")
    dims = _need(spec, "dimensions", list, where)
    keys = []
    for i, d in enumerate(dims):
        w = f"{where}: dimensions[{i}]"
        keys.append(_need(d, "key", str, w))
        values = _need(d, "values", list, w)
        if not values or not all(isinstance(v, str) for v in values):
            raise ReportInputError(f"{w}: 'values' must be a non-empty list of strings")
    if "workload" not in keys:
        raise ReportInputError(f"{where}: no 'workload' dimension (not written by accsim sweep?)")
    return keys


def _check_row(row, keys, where):
    if not isinstance(row, dict):
        raise ReportInputError(f"{where}: a result row must be a JSON object")
    if _need(row, "point", int, where) < 0:
        raise ReportInputError(f"{where}: 'point' must be >= 0")
    if not re.fullmatch(r"[0-9a-f]{16}", _need(row, "point_id", str, where)):
        raise ReportInputError(f"{where}: 'point_id' must be 16 hex digits")
    params = _need(row, "params", dict, where)
    for k in keys:
        if not isinstance(params.get(k), str):
            raise ReportInputError(f"{where}: params.{k} missing or not a string")
    status = _need(row, "status", str, where)
    if status not in ("ok", "error"):
        raise ReportInputError(f"{where}: status must be 'ok' or 'error', not '{status}'")
    if status == "ok":
        for k in ROW_FIELDS:
            if _need(row, k, NUM, where) < 0:
                raise ReportInputError(f"{where}: '{k}' must be >= 0")
        _need(row, "area_um2", NUM + (type(None),), where)
        for c, v in _need(row, "energy_breakdown_pj", dict, where).items():
            if isinstance(v, bool) or not isinstance(v, NUM):
                raise ReportInputError(f"{where}: energy_breakdown_pj.{c} must be a number")


def _check_csv(path):
    """results.csv must at least hold the header accsim writes (the report links it as raw data)."""
    if not os.path.exists(path):
        return
    try:
        with open(path, encoding="utf-8") as f:
            first = f.readline()
    except (OSError, UnicodeDecodeError) as e:
        raise ReportInputError(f"{path}: cannot read ({getattr(e, 'strerror', None) or e})")
    if not first.startswith("point,point_id,"):
        raise ReportInputError(f"{path}:1: " + ("empty file" if not first else "not an accsim results header")
                               + " (expected 'point,point_id,...'; rerun the sweep with --resume to rebuild it)")


def load_sweep(directory):
    """A sweep directory: sweep.json and results.jsonl (a torn last line is skipped), every row checked."""
    spec_path = os.path.join(directory, "sweep.json")
    spec = _read_json(spec_path)
    keys = _check_spec(spec, spec_path)
    path = os.path.join(directory, "results.jsonl")
    rows = []
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except OSError as e:
        raise ReportInputError(f"{path}: cannot read ({e.strerror})")
    except UnicodeDecodeError:
        raise ReportInputError(f"{path}: not UTF-8 text")
    seen = {}
    for number, line in enumerate(lines, 1):
        if not line:
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            if number == len(lines):  # torn last row of an interrupted sweep
                continue
            raise ReportInputError(f"{path}:{number}: malformed result row")
        _check_row(row, keys, f"{path}:{number}")
        if row["point_id"] in seen:
            raise ReportInputError(f"{path}:{number}: point {row['point_id']} already recorded on line {seen[row['point_id']]}")
        seen[row["point_id"]] = number
        rows.append(row)
    _check_csv(os.path.join(directory, "results.csv"))
    return {"dir": directory, "spec": spec, "rows": rows, "keys": keys}


def detect(directory):
    """'sweep', 'run', or a ReportInputError naming what is missing."""
    if not os.path.isdir(directory):
        raise ReportInputError(f"{directory}: no such directory")
    if os.path.exists(os.path.join(directory, "sweep.json")):
        return "sweep"
    if os.path.exists(os.path.join(directory, "summary.json")):
        return "run"
    raise ReportInputError(f"{directory}: neither a sweep (sweep.json) nor a run (summary.json) directory")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
