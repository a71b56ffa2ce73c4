"""Run the measurements against the estate in the current database and build the results document."""

from datetime import UTC, datetime

from django.db import connection

from development.benchmark import report
from development.benchmark.generate import dataset_counts
from development.benchmark.measure import MeasurementError, measure, profile, slug
from development.benchmark.suite import Session, measurements
from nautobot_techmgmt.knowledge.materialize import refresh_object_knowledge
from nautobot_techmgmt.models import ObjectKnowledge


def select(all_measurements, names):
    """The measurements with these names (case-insensitive, or as slugs); every name must exist."""
    by_key = {slug(measurement.name): measurement for measurement in all_measurements}
    unknown = [name for name in names if slug(name) not in by_key]
    if unknown:
        known = ", ".join(repr(measurement.name) for measurement in all_measurements)
        raise MeasurementError(f"unknown measurement(s) {', '.join(map(repr, unknown))}; known: {known}")
    return [by_key[slug(name)] for name in names]


def settle():
    """Bring the query planner's statistics up to date, as autovacuum does within a minute of bulk changes.

    Without it, a freshly generated or refreshed table has no statistics and the planner scans what it would
    look up by index; a server with autovacuum off would stay in that state.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def run_measurements(
    scale,
    database,
    seed,
    *,
    generation_seconds=None,
    runs=5,
    only=(),
    profile_name=None,
    profile_directory=None,
    say=print,
):
    """Measure (all, or `only` some), optionally profile one measurement; return the results document.

    The refresh of ObjectKnowledge is the first measurement. When `only` leaves it out and no rows exist yet,
    it runs once unmeasured, so that lists and GraphQL read real rows.
    """
    started = datetime.now(UTC)
    session = Session()
    every = measurements(session)
    chosen = select(every, only) if only else every
    to_profile = select(every, [profile_name])[0] if profile_name else None
    refresh, others = every[0], every[1:]
    measured = []

    def measure_and_say(measurement):
        row = measure(measurement, runs).as_dict()
        say(f"  {row['name']:<28} median {report.seconds_text(row['median_s'])}  queries {row['queries']:>5}")
        measured.append(row)

    settle()
    if refresh in chosen:
        measure_and_say(refresh)
    elif not ObjectKnowledge.objects.exists():
        say("refreshing object knowledge (not measured)")
        refresh_object_knowledge()
    settle()
    for measurement in others:
        if measurement in chosen:
            measure_and_say(measurement)
    if to_profile is not None:
        html, text = profile(to_profile, profile_directory)
        say(f"profile of {to_profile.name!r}: {html} and {text}")
    return report.results(
        scale=scale,
        database=database,
        seed=seed,
        generation_seconds=generation_seconds,
        dataset=dataset_counts(),
        measured=measured,
        started=started,
    )
