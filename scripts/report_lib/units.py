"""Scaling figures to readable units (every axis names its unit)."""

_TIME = [(1.0, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns")]
_ENERGY_PJ = [(1e12, "J"), (1e9, "mJ"), (1e6, "µJ"), (1e3, "nJ"), (1.0, "pJ")]


def time_unit(seconds_values):
    """(divisor, name) such that the largest value reads between 1 and 1000."""
    top = max([abs(v) for v in seconds_values if v] or [1.0])
    for scale, name in _TIME:
        if top >= scale:
            return scale, name
    return _TIME[-1]


def energy_unit(pj_values):
    top = max([abs(v) for v in pj_values if v] or [1.0])
    for scale, name in _ENERGY_PJ:
        if top >= scale:
            return scale, name
    return _ENERGY_PJ[-1]


def fmt(value, digits=4):
    """Compact, fixed formatting for tables."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.{digits}g}"
