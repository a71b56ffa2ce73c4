"""Run the measurements against the estate in the current database and build the results document."""

from datetime import UTC, datetime

from django.db import connection

from development.benchmark import report
from development.benchmark.generate import dataset_counts
from development.benchmark.measure import MeasurementError, measure, profile, slug
from development.benchmark.propagation import Changes
from development.benchmark.suite import Session, measurements
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models import KnowledgeRefresh, ObjectKnowledge


def select(all_measurements, names):
    """The measurements with these names or earlier names (case-insensitive, or as slugs); every name must exist."""
    by_key = {
        slug(name): measurement for measurement in all_measurements for name in (measurement.name, *measurement.aliases)
    }
    unknown = [name for name in names if slug(name) not in by_key]
    if unknown:
        known = ", ".join(repr(measurement.name) for measurement in all_measurements)
        raise MeasurementError(f"unknown measurement(s) {', '.join(map(repr, unknown))}; known: {known}")
    return [by_key[slug(name)] for name in names]


def settle():
    """Bring the query planner's statistics up to date, as autovacuum does within a minute of bulk changes.

    Without it, a freshly generated or rebuilt table has no statistics and the planner scans what it would
    look up by index; a server with autovacuum off would stay in that state.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def state_is_ready():
    """Whether the knowledge state has rows and no rebuild is asked for or running (surfaces answer 503 until then)."""
    return ObjectKnowledge.objects.exists() and not KnowledgeRefresh.objects.unfinished().exists()


def run_measurements(  # pylint: disable=too-many-arguments,too-many-locals  # keyword options of one run
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
    changes=None,
):
    """Measure (all, or `only` some), optionally profile one measurement; return the results document.

    The full rebuild is the first measurement. When `only` leaves it out and the state is not ready (no rows yet, or
    a rebuild asked for by a migration), it runs once unmeasured, so that lists and GraphQL read real rows. The
    propagation measurements (`changes`, see propagation.Changes) come last, with their Celery worker running.
    """
    started = datetime.now(UTC)
    session = Session()
    changes = changes or Changes(say=say)
    reads = measurements(session)
    propagation = changes.measurements()
    every = [*reads, *propagation]
    chosen = select(every, only) if only else every
    to_profile = select(every, [profile_name])[0] if profile_name else None
    rebuild, others = reads[0], reads[1:]
    measured = []

    def measure_and_say(measurement):
        row = measure(measurement, runs).as_dict()
        say(f"  {row['name']:<28} median {report.seconds_text(row['median_s'])}  queries {row['queries']:>5}")
        measured.append(row)
        measured.extend({**row, "name": alias, "same_as": row["name"]} for alias in measurement.aliases)

    settle()
    if rebuild in chosen:
        measure_and_say(rebuild)
    elif not state_is_ready():
        say("rebuilding the knowledge state (not measured)")
        rebuild_knowledge()
    settle()
    for measurement in others:
        if measurement in chosen:
            measure_and_say(measurement)
    if to_profile in reads:
        html, text = profile(to_profile, profile_directory)
        say(f"profile of {to_profile.name!r}: {html} and {text}")
    state_check = None
    chosen_changes = [measurement for measurement in propagation if measurement in chosen]
    if chosen_changes or to_profile in propagation:
        say("propagation: from the commit of a change until the knowledge state shows it")
        rows, state_check, profiled = changes.run(
            chosen_changes,
            profile_of=to_profile if to_profile in propagation else None,
            profile_directory=profile_directory,
        )
        measured.extend(rows)
        if profiled:
            say(f"profile of {to_profile.name!r}: {profiled[0]} and {profiled[1]}")
    return report.results(
        scale=scale,
        database=database,
        seed=seed,
        generation_seconds=generation_seconds,
        dataset=dataset_counts(),
        measured=measured,
        started=started,
        state_check=state_check,
    )
