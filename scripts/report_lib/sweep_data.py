"""Interpreting sweep rows: labels, Pareto fronts, pruning specs, grouping by the other parameters."""
import os
import re


def arch_title(sweep):
    """The architecture's name, or a count when the sweep compares several."""
    arch = sweep["spec"].get("arch")
    if arch:
        return os.path.splitext(os.path.basename(arch))[0]
    archs = next((d["values"] for d in sweep["spec"].get("dimensions", []) if d["key"] == "arch"), [])
    return f"{len(archs)} architectures"


def ok_rows(sweep):
    return [r for r in sweep["rows"] if r.get("status") == "ok"]


def varying_keys(sweep):
    """Swept keys that take more than one value (the others say nothing about a point)."""
    return [d["key"] for d in sweep["spec"].get("dimensions", []) if len(d.get("values", [])) > 1]


def short_key(key):
    """compute.rows -> rows; compute.buffers.ifmap.size_kb -> ifmap.size_kb (the last part alone is vague)."""
    if key in ("workload", "arch"):
        return key
    parts = key.split(".")
    return ".".join(parts[-2:]) if len(parts) >= 3 else parts[-1]


def short_value(key, value):
    if key in ("workload", "arch") and not value.startswith("gemm:"):
        return os.path.splitext(os.path.basename(value))[0]
    return value


def label(row, keys):
    return ", ".join(f"{short_key(k)}={short_value(k, row['params'][k])}" for k in keys) or "the only point"


def pareto_front(rows, x="latency_s", y="energy_pj", epsilon=0.0):
    """Rows on the Pareto front minimising x and y, sorted by x.

    Exact front first (no other row is at least as good in both and better in one; ties keep the
    lowest point index). With epsilon > 0 a front point is then dropped when another front point is
    within a factor (1 + epsilon) of it in both metrics and better by more than that factor in one:
    a design 1.8x larger for 0.04 % less latency is not a trade-off worth showing.
    """
    front, best_y = [], float("inf")
    for r in sorted(rows, key=lambda r: (r[x], r[y], r["point"])):
        if r[y] < best_y:
            front.append(r)
            best_y = r[y]
    if epsilon <= 0:
        return front
    f = 1.0 + epsilon

    def dominated(p):
        return any(q is not p and q[x] <= p[x] * f and q[y] <= p[y] * f and (q[x] * f < p[x] or q[y] * f < p[y])
                   for q in front)

    kept = [p for p in front if not dominated(p)]
    return kept or front


def parse_prune(spec):
    """(family label, sparsity in [0, 1), point tag) of a prune= value; None when unreadable."""
    parts = spec.split(":")
    try:
        if spec == "dense":
            return ("dense", 0.0, "dense")
        if parts[0] == "nm" and len(parts) == 3:
            n, m = int(parts[1]), int(parts[2])
            return ("N:M structured", 1.0 - n / m, f"{n}:{m}")
        if parts[0] == "unstructured" and len(parts) == 2:
            return ("unstructured", float(parts[1]), None)
        if parts[0] == "block" and len(parts) == 3:
            return (f"block {parts[1]}", float(parts[2]), None)
        if parts[0] == "bank" and len(parts) == 3:
            return (f"bank-balanced (bank {parts[1]})", float(parts[2]), None)
    except ValueError:
        return None
    return None


def bits_of(key, value):
    """Bit width of a workload.wbits/abits value or of a dtype name (int4, fp16, fp8_e4m3, ...)."""
    if key.endswith("bits"):
        return int(value)
    m = re.search(r"(\d+)", value)
    return int(m.group(1)) if m else None


def group_by_others(rows, key, keys):
    """{tuple of the other varying params: [rows]} in first-seen order."""
    others = [k for k in keys if k != key]
    groups = {}
    for r in sorted(rows, key=lambda r: r["point"]):
        groups.setdefault(tuple((k, r["params"][k]) for k in others), []).append(r)
    return groups


def group_label(group_key):
    """Architecture and workload by name alone (they need no key), other keys as key=value."""
    return ", ".join(short_value(k, v) if k in ("arch", "workload") else f"{short_key(k)}={short_value(k, v)}"
                     for k, v in group_key) or "all points"


def merge_identical(series):
    """Joins (label, xs, ys) series with the same points, so coinciding lines stay explained in the legend."""
    merged = []
    for name, xs, ys in series:
        key = (tuple(xs), tuple(round(y, 9) for y in ys))
        for m in merged:
            if m[0] == key:
                m[1].append(name)
                break
        else:
            merged.append((key, [name], xs, ys))
    out = []
    for _, names, xs, ys in merged:
        if len(names) == 1:
            text = names[0]
        elif len(names) <= 3:
            text = " = ".join(names)
        else:
            text = f"{len(names)} identical: {names[0]}, {names[1]}, …, {names[-1]}"
        out.append((text, xs, ys))
    return out
