"""Ratios, targets, the printed table and the JSON file of a benchmark run."""

import json
import os
import platform
import subprocess
from pathlib import Path

# name -> (measurement, its core counterpart)
RATIOS = {
    "device_page_vs_core": ("device page", "device page core"),
    "device_list_vs_core": ("device list", "device list core"),
    "graphql_vs_core": ("graphql 1000 devices", "graphql 1000 devices core"),
    "coverage_vs_floor": ("coverage REST", "floor SQL"),
    "technology_page_vs_feature_off": ("technology page with candidates", "technology page, feature off"),
    "capacity_page_vs_dashboard": ("capacity page", "coverage dashboard"),
    "capacity_rest_vs_coverage": ("capacity REST", "coverage REST"),
}


# Time per answered value: the app's GraphQL query over the core query without the app's field (1,000 devices each).
PER_VALUE = ("graphql values 1000 devices", "graphql values 1000 devices core")


def _median(by_name, name):
    return by_name[name]["median_s"] if name in by_name else None


def _p95(by_name, name):
    return by_name[name]["p95_s"] if name in by_name else None


def _per_value(by_name, name):
    row = by_name.get(name)
    return row["median_s"] / row["values"] if row and row.get("values") else None


def _detail(by_name, name, key):
    return by_name[name].get(key) if name in by_name else None


def _queries(by_name, name):
    return by_name[name]["queries"] if name in by_name else None


def _difference(by_name, name, baseline):
    found, base = _queries(by_name, name), _queries(by_name, baseline)
    return None if found is None or base is None else found - base


def ratios(by_name):
    """{ratio name: median / median of the counterpart, or None when either was not measured}."""
    answer = {}
    for key, (name, baseline) in RATIOS.items():
        value, base = _median(by_name, name), _median(by_name, baseline)
        answer[key] = round(value / base, 3) if value is not None and base else None
    value, base = (_per_value(by_name, name) for name in PER_VALUE)
    answer["graphql_per_value_vs_core"] = round(value / base, 3) if value is not None and base else None
    return answer


# The activity Job keeps per person and technology what it writes, never the change log: its memory is bounded by
# people x technologies, whatever the size of the log.
ACTIVITY_MEMORY_MB = 256

# (what, unit, limit, value from ({name: measurement dict}, ratios)); targets of the large estate.
TARGETS = (
    ("coverage REST median", "s", 1.0, lambda m, r: _median(m, "coverage REST")),
    ("coverage REST queries", "", 20, lambda m, r: _queries(m, "coverage REST")),
    ("gaps REST median", "s", 1.5, lambda m, r: _median(m, "gaps REST")),
    ("gaps REST queries", "", 25, lambda m, r: _queries(m, "gaps REST")),
    ("device page / core", "x", 1.25, lambda m, r: r["device_page_vs_core"]),
    ("queries the panel adds", "", 10, lambda m, r: _difference(m, "device page", "device page core")),
    ("device list / core", "x", 1.2, lambda m, r: r["device_list_vs_core"]),
    ("queries the columns add", "", 3, lambda m, r: _difference(m, "device list", "device list core")),
    ("GraphQL 1000 devices / core", "x", 2.0, lambda m, r: r["graphql_vs_core"]),
    (
        "GraphQL queries, 1000 minus 100 devices",
        "",
        0,
        lambda m, r: _difference(m, "graphql 1000 devices", "graphql 100 devices"),
    ),
    (
        "GraphQL values queries, 1000 minus 100 devices",
        "",
        0,
        lambda m, r: _difference(m, "graphql values 1000 devices", "graphql values 100 devices"),
    ),
    (
        "GraphQL values core queries, 1000 minus 100 devices",
        "",
        0,
        lambda m, r: _difference(m, "graphql values 1000 devices core", "graphql values 100 devices core"),
    ),
    ("what-if REST median", "s", 2.0, lambda m, r: _median(m, "what-if REST")),
    ("assessors REST 1000 devices median", "s", 0.5, lambda m, r: _median(m, "assessors REST 1000 devices")),
    (
        "assessors REST queries, 1000 minus 100 devices",
        "",
        0,
        lambda m, r: _difference(m, "assessors REST 1000 devices", "assessors REST 100 devices"),
    ),
    ("truck factor REST median", "s", 5.0, lambda m, r: _median(m, "truck factor REST")),
    ("coverage REST / floor", "x", 10.0, lambda m, r: r["coverage_vs_floor"]),
    ("full rebuild median", "s", 60.0, lambda m, r: _median(m, "full rebuild")),
    ("activity Job median", "s", 60.0, lambda m, r: _median(m, "activity Job")),
    (
        "activity Job peak Python memory",
        "MB",
        ACTIVITY_MEMORY_MB,
        lambda m, r: _detail(m, "activity Job", "peak_python_mb"),
    ),
    ("technology page with candidates / feature off", "x", 1.1, lambda m, r: r["technology_page_vs_feature_off"]),
    (
        "queries the candidates add",
        "",
        3,
        lambda m, r: _difference(m, "technology page with candidates", "technology page, feature off"),
    ),
    ("capacity page median", "s", 0.5, lambda m, r: _median(m, "capacity page")),
    (
        "capacity page queries beyond the dashboard's",
        "",
        10,
        lambda m, r: _difference(m, "capacity page", "coverage dashboard"),
    ),
    ("capacity REST median", "s", 0.5, lambda m, r: _median(m, "capacity REST")),
    ("capacity REST queries", "", 25, lambda m, r: _queries(m, "capacity REST")),
    ("device edit inline p95", "s", 5.0, lambda m, r: _p95(m, "device edit inline")),
    ("device edit worker p95", "s", 5.0, lambda m, r: _p95(m, "device edit worker")),
    ("skill edit inline p95", "s", 2.0, lambda m, r: _p95(m, "skill edit inline")),
    ("skill edit worker p95", "s", 2.0, lambda m, r: _p95(m, "skill edit worker")),
    ("custodian on a location (10,000 devices)", "s", 30.0, lambda m, r: _p95(m, "custodian on a location")),
    ("device import (1,000 devices)", "s", 60.0, lambda m, r: _p95(m, "device import")),
    ("edit stream inline, pending back to 0", "s", 10.0, lambda m, r: _p95(m, "edit stream inline")),
    ("edit stream worker, pending back to 0", "s", 10.0, lambda m, r: _p95(m, "edit stream worker")),
)


def targets(by_name, found_ratios):
    """Each target with its measured value and whether it is met (None when not measured)."""
    rows = []
    for what, unit, limit, value_of in TARGETS:
        value = value_of(by_name, found_ratios)
        rows.append(
            {
                "target": f"{what} <= {limit}{unit}",
                "value": value,
                "passed": None if value is None else value <= limit,
            }
        )
    return rows


def results(*, scale, database, seed, generation_seconds, dataset, measured, started, state_check=None):  # pylint: disable=too-many-arguments
    """The results document written to benchmark-results.json.

    `state_check` says whether the knowledge state came back to what it was once every propagation change was undone
    (None when none was measured).
    """
    by_name = {row["name"]: row for row in measured}
    found_ratios = ratios(by_name)
    return {
        "scale": scale,
        "date": started.isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": _cpus(), "system": platform.platform()},
        "revision": revision(),
        "database": database,
        "seed": seed,
        "generation_s": None if generation_seconds is None else round(generation_seconds, 1),
        "dataset": dataset,
        "measurements": measured,
        "ratios": found_ratios,
        "targets": targets(by_name, found_ratios),
        "state_after_changes": state_check,
    }


def revision():
    """The code measured: `git describe --always --dirty` of the repository, or None without git."""
    try:
        found = subprocess.run(  # noqa: S603
            ["git", "describe", "--always", "--dirty"],  # noqa: S607
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return found.stdout.strip()


def _cpus():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def write(document, path):
    """Write the results as JSON; return the path."""
    path = Path(path)
    path.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def seconds_text(seconds):
    """Seconds in a readable unit: ms below one second."""
    return f"{seconds * 1000:9.1f} ms" if seconds < 1 else f"{seconds:9.2f} s "


def table(document):
    """The readable report: dataset, measurements, propagation, ratios and targets, as lines."""
    lines = [f"Benchmark, scale {document['scale']}, {document['date']}, database {document['database']}"]
    lines.append("dataset: " + ", ".join(f"{name} {number}" for name, number in document["dataset"].items()))
    reads = [row for row in document["measurements"] if "median_s" in row and "same_as" not in row]
    changes = [row for row in document["measurements"] if "p50_s" in row]
    width = max((len(row["name"]) for row in reads + changes), default=20)
    if reads:
        header = f"\n{'measurement':<{width}}  {'median':>12}  {'min':>12}  {'max':>12}  {'queries':>7}  runs  details"
        lines.append(header)
    for row in reads:
        lines.append(
            f"{row['name']:<{width}}  {seconds_text(row['median_s'])}  {seconds_text(row['min_s'])}  "
            f"{seconds_text(row['max_s'])}  {row['queries']:>7}  {row['runs']:>4}  {_details(row, READ_KEYS)}"
        )
    if changes:
        lines.append("\npropagation (from the commit until the knowledge state shows the change):")
        lines.append(
            f"{'measurement':<{width}}  {'p50':>12}  {'p95':>12}  {'max':>12}  {'queries':>7}  samples  details"
        )
        for row in changes:
            queries = "" if row["queries"] is None else row["queries"]
            lines.append(
                f"{row['name']:<{width}}  {seconds_text(row['p50_s'])}  {seconds_text(row['p95_s'])}  "
                f"{seconds_text(row['max_s'])}  {queries:>7}  {row['samples']:>7}  {_details(row, CHANGE_KEYS)}"
            )
    check = document.get("state_after_changes")
    if check is not None:
        lines.append(
            "state after every change was undone: "
            + ("as before" if check["same"] else f"DIFFERS ({check['differing']} table x technology groups)")
        )
        lines.extend(f"  {row}" for row in check["differences"] + check["undo_failures"])
    lines.append("\nratios (median / median): " + ", ".join(f"{k} {v}" for k, v in document["ratios"].items()))
    lines.append("\ntargets (set for the large estate; informative only):")
    for row in document["targets"]:
        mark = {True: "pass", False: "MISS", None: "----"}[row["passed"]]
        value = "not measured" if row["value"] is None else row["value"]
        lines.append(f"  [{mark}] {row['target']:<58} measured: {value}")
    return lines


# Keys every row of its kind has; the table lists the others as details.
READ_KEYS = {"name", "median_s", "min_s", "max_s", "queries", "runs"}
CHANGE_KEYS = {"name", "p50_s", "p95_s", "min_s", "max_s", "samples", "queries"}


def _details(row, shown):
    hidden = {"incomplete": 0}  # said only when some change was never shown
    return ", ".join(
        f"{key} {value}"
        for key, value in row.items()
        if key not in shown and value is not None and hidden.get(key, object()) != value
    )
