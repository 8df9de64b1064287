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


def load_run(directory):
    """A run directory: summary.json (+ resolved_config.yaml for the DRAM roof)."""
    summary = _read_json(os.path.join(directory, "summary.json"))
    for key in ("arch", "workload", "total", "layers"):
        if key not in summary:
            raise ReportInputError(f"{directory}/summary.json: missing '{key}' (not written by accsim run --out?)")
    return {
        "dir": directory,
        "summary": summary,
        "dram_bandwidth_gb_s": _dram_bandwidth_gb_s(os.path.join(directory, "resolved_config.yaml")),
    }


def load_sweep(directory):
    """A sweep directory: sweep.json and results.jsonl (a torn last line is skipped)."""
    spec = _read_json(os.path.join(directory, "sweep.json"))
    path = os.path.join(directory, "results.jsonl")
    rows = []
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except OSError as e:
        raise ReportInputError(f"{path}: cannot read ({e.strerror})")
    for number, line in enumerate(lines, 1):
        if not line:
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            if number == len(lines):  # torn last row of an interrupted sweep
                continue
            raise ReportInputError(f"{path}:{number}: malformed result row")
    keys = [d["key"] for d in spec.get("dimensions", [])]
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
