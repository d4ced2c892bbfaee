"""What bounds a worker's life at both ends: a join into its group that never happens, a stop that never ends.

A worker the broker will not take into its consumer group (unreachable, a session timeout it refuses, another
application holding the group id) would otherwise stay up forever, never assigned, with /health at 503 and
nothing said. `exit_unless_joined` gives the join `worker.join_timeout_seconds`; past it the worker logs why in
one line (the Kafka client's last error) and stops, with a non-zero exit code for its supervisor.

A SIGTERM (or Ctrl-C) starts faust's graceful stop, which waits for the batch in hand. `BoundedStopWorker`
gives it `worker.shutdown_timeout_seconds`; past it the process exits non-zero at once. Nothing is lost that
way: offsets are committed only past finished work, so what the batch held is processed again by the next worker.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from typing import Any, NoReturn

import faust

from streams.config import Settings
from streams.kafka import faust_compat

log = logging.getLogger(__name__)

# The exit code of a worker stopped by its own bounds (join or stop), as of any failed run.
EXIT_FAILED = 1
_exit_code: dict[str, int] = {}


class BoundedStopWorker(faust.Worker):
    """faust's worker with a deadline on its stop, and the exit code a bound asked for."""

    stop_timeout_seconds = 50.0

    def install_signal_handlers(self) -> None:
        super().install_signal_handlers()
        faust_compat.before_stop_signals(self, self.arm_stop_deadline)

    def arm_stop_deadline(self, signum: int) -> None:
        """Start the stop's clock (once): a thread, so that it runs whatever the event loop is stuck on."""
        if getattr(self, "_stop_deadline", None) is None:
            name = signal.Signals(signum).name
            self._stop_deadline = threading.Timer(self.stop_timeout_seconds, exit_now, args=(name, self))
            self._stop_deadline.daemon = True
            self._stop_deadline.start()

    def execute_from_commandline(self) -> NoReturn:
        try:
            super().execute_from_commandline()
        except SystemExit as exc:
            if _exit_code and not exc.code:
                raise SystemExit(_exit_code["code"]) from None
            raise


def exit_now(signal_name: str, worker: BoundedStopWorker) -> None:
    """The stop took too long: say so in one line and leave without waiting for anything more."""
    log.critical(
        "%s not honoured within %g s (worker.shutdown_timeout_seconds): exiting now; the uncommitted articles "
        "will be processed again by the next worker",
        signal_name,
        worker.stop_timeout_seconds,
    )
    for handler in logging.getLogger().handlers:
        handler.flush()
    os._exit(EXIT_FAILED)


def worker_class(settings: Settings) -> type[BoundedStopWorker]:
    """The worker class faust runs (its `Worker` setting), with this configuration's stop deadline."""
    return type(
        "BoundedStopWorker",
        (BoundedStopWorker,),
        {"stop_timeout_seconds": settings.worker.shutdown_timeout_seconds, "__module__": __name__},
    )


def stop_with(code: int) -> None:
    """Stop the worker gracefully (as a SIGTERM does, within its deadline) and exit with `code`."""
    _exit_code["code"] = code
    os.kill(os.getpid(), signal.SIGTERM)


def exit_unless_joined(app: faust.App, settings: Settings, last_error: Callable[[], str | None]) -> None:
    """Stop the worker, naming the reason, when its first join into the consumer group has not completed
    within `worker.join_timeout_seconds` of the worker's start (an empty assignment counts: more workers than
    partitions). The clock is a thread: faust starts its own tasks only once the worker has joined."""
    joined = threading.Event()
    timeout, group = settings.worker.join_timeout_seconds, settings.worker.group_id

    async def on_assigned(sender: Any, /, *args: Any, signal: Any = None, **kwargs: Any) -> None:
        joined.set()

    def give_up_unless_joined() -> None:
        if joined.is_set():
            return
        reason = last_error() or "the Kafka client reported no error"
        log.critical(
            "not taken into consumer group %s within %g s (worker.join_timeout_seconds); last error: %s; stopping",
            group,
            timeout,
            reason,
        )
        stop_with(EXIT_FAILED)

    clocks: list[threading.Timer] = []

    def start_the_clock(sender: Any, /, *args: Any, signal: Any = None, **kwargs: Any) -> None:
        if not clocks:  # faust may send the signal more than once
            clocks.append(threading.Timer(timeout, give_up_unless_joined))
            clocks[0].daemon = True
            clocks[0].start()

    app.on_partitions_assigned.connect(on_assigned)
    app.on_worker_init.connect(start_the_clock)  # sent as `streams worker` starts the app, not on create_app
