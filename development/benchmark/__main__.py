"""Command line of the benchmark: `python -m development.benchmark --scale small` (what `./run benchmark` calls).

Prepares the scale's own database (copied from the migrated template, or migrated), generates the estate once
(later runs only measure), measures (the propagation measurements with a Celery worker it starts and stops itself),
prints the table and writes the results as JSON.
"""

import argparse
import os
import sys
from pathlib import Path

from development.benchmark import database
from development.benchmark.scales import DEFAULT_SEED, SCALES

ROOT = Path(__file__).resolve().parents[2]
# Redis database of the benchmark unless NAUTOBOT_REDIS_DB says otherwise (its Celery broker takes the next one):
# apart from the development server's (0) and the tests' (2 and up), since the benchmark clears it.
REDIS_DB = "14"


def arguments(argv=None):
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m development.benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="small", help="estate size (default small)")
    parser.add_argument("--database", help="database name (default techmgmt_bench_<scale>)")
    parser.add_argument("--output", default=str(ROOT / "benchmark-results.json"), help="results file (JSON)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per measurement (default 5)")
    parser.add_argument("--only", action="append", default=[], help="measure only this one (repeatable)")
    parser.add_argument("--profile", help="also write a pyinstrument profile of this measurement")
    parser.add_argument("--regenerate", action="store_true", help="drop the estate's database and build it again")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the generator")
    return parser.parse_args(argv)


class EstateError(RuntimeError):
    """The database cannot be used for the estate."""


def prepare_database(name, regenerate):
    """Create (or re-create) the database before Django connects; return True when it needs `migrate`."""
    if regenerate:
        database.drop(name)
    return database.create(name)


def ensure_estate(scale, name, seed, needs_migrate):
    """Make the database hold the scale's estate: reuse it, or generate it; return the seconds generation took."""
    # pylint: disable=import-outside-toplevel  # Django is set up by now
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connections

    from development.benchmark.generate import generate, holds_estate, is_empty

    def migrate(complete):
        # A copy of the template lacks only migrations newer than the template: a short run.
        print(f"==> migrating {name}" + ("" if complete else f" (from a copy of {database.TEMPLATE})"), flush=True)
        call_command("migrate", interactive=False, verbosity=0)

    migrate(needs_migrate)
    cache.clear()  # this process's own Redis index; nothing cached for another database may be reused
    counts = SCALES[scale]
    if holds_estate(counts, seed):
        print(f"==> {name} already holds the {scale} estate: measuring only", flush=True)
        return None
    if not is_empty():
        if not database.is_owned(name):
            raise EstateError(f"{name} holds other data; use an empty database or one named {database.OWNED_PREFIX}_*")
        print(f"==> {name} holds another estate: building it again", flush=True)
        connections.close_all()
        database.drop(name)
        ContentType.objects.clear_cache()  # ids cached from the dropped database would not hold in the new one
        migrate(database.create(name))
        cache.clear()
    print(f"==> generating the {scale} estate in {name}", flush=True)
    seconds = generate(counts, seed, say=lambda line: print(line, flush=True))
    print(f"==> generated in {seconds:.1f} s", flush=True)
    return seconds


def main(argv=None):
    """Run the benchmark; return the process exit code."""
    args = arguments(argv)
    name = args.database or database.default_name(args.scale)
    os.environ["NAUTOBOT_DB_NAME"] = name
    # Its own Redis index: cached content types and caches of other databases must not mix with this one's.
    os.environ.setdefault("NAUTOBOT_REDIS_DB", REDIS_DB)
    config = os.environ.setdefault("NAUTOBOT_CONFIG", str(ROOT / "development" / "nautobot_config.py"))
    needs_migrate = prepare_database(name, args.regenerate)

    import nautobot  # pylint: disable=import-outside-toplevel

    nautobot.setup(config)
    # pylint: disable=import-outside-toplevel  # these need Django set up
    from development.benchmark import report, run
    from development.benchmark.measure import MeasurementError
    from development.benchmark.propagation import Changes
    from development.benchmark.worker import CeleryWorker

    local = ROOT / "development" / ".local"
    try:
        generation_seconds = ensure_estate(args.scale, name, args.seed, needs_migrate)
        document = run.run_measurements(
            args.scale,
            name,
            args.seed,
            generation_seconds=generation_seconds,
            runs=args.runs,
            only=args.only,
            profile_name=args.profile,
            profile_directory=local,
            changes=Changes(worker=CeleryWorker(local / "benchmark-worker.log")),
        )
    except (MeasurementError, EstateError) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    print("\n" + "\n".join(report.table(document)))
    print(f"\nresults written to {report.write(document, args.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
