"""Performance benchmark of the app's knowledge surfaces on a generated estate (development only, not shipped).

`./run benchmark --scale small|large` runs `python -m development.benchmark`; see docs/dev/benchmarks.md.
Modules: `scales` (sizes), `generate` with `inventory`, `people`, `knowledge` and `builder` (the estate),
`suite` (what is read and measured), `measure` (how), `propagation` with `changes` (how fast changes reach the
knowledge state) and `worker` (the Celery worker they run with), `run` (the measured run), `report` (ratios, targets,
output), `database` (the benchmark's own PostgreSQL databases).
"""
