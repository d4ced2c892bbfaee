"""Where the default worker's event loop spends its time on short reports: one `streams worker` (role all) run
under pyinstrument while a burst of WAD descriptions goes through it.

    .venv/bin/python bench/profile_worker.py [--short 2332] [--out /tmp/worker-profile]

pyinstrument samples the main thread, the one running the event loop (decoding, the tables and their
changelogs, producing, the delivery guard, the rollups and the incident stage); the NLP runs on threads of its
own and shows only as the loop's waits. Writes OUT.txt (the call tree) and OUT.html.
The broker on STREAMS_KAFKA_PORT is used when it answers, else started here and stopped at the end.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from deployment import load_short
from pipeline import balance_keys, run_through, warm_up

from streams.config import load_settings
from streams.kafka import broker
from tests.integration.harness import WorkerFactory, free_port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", type=int, default=2332)
    parser.add_argument("--out", type=Path, default=Path("/tmp/worker-profile"))
    args = parser.parse_args()
    settings = load_settings()
    articles = balance_keys(load_short(args.short), settings.topics.partitions)
    started_broker = not broker.answers_metadata(settings)
    if started_broker:
        broker.start(settings)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            factory = WorkerFactory(settings, Path(scratch))
            pyinstrument = Path(sys.executable).parent / "pyinstrument"
            command = [str(pyinstrument), "-r", "text", "--show-all", "-o", f"{args.out}.txt"]
            command += ["-m", "streams", "worker", "--web-port", str(free_port())]
            worker = factory.start(command=command)
            warm_up(factory, factory.settings.topics.enriched.name)
            rate = run_through(factory, articles, factory.settings.topics.enriched.name)
            print(f"{len(articles)} short reports at {rate:.1f}/s under the profiler", flush=True)
            worker.stop()
    finally:
        if started_broker:
            broker.stop(settings)
    print(f"profile: {args.out}.txt")


if __name__ == "__main__":
    main()
