"""The Kafka client log during an outage: a few lines a minute, every error counted, the outage on a gauge."""

import logging

from streams.kafka.outage import UNREACHABLE_FOR_SECONDS, ClientLogBackoff


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def record(message: str, *args, level: int = logging.ERROR, name: str = "aiokafka") -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, args, None)


def test_an_outage_of_two_minutes_at_ten_attempts_a_second_gives_a_few_lines_a_minute():
    clock = Clock()
    backoff = ClientLogBackoff(clock=clock)
    emitted = []
    for tick in range(1200):  # two minutes, four kinds of message every 0.1 s
        clock.now = 1000.0 + tick / 10
        for line in (
            record("Unable connect to node with id %s: %s", 1, "[Errno 111] Connect call failed"),
            record("Unable to update metadata from %s", [1]),
            record("Failed fetch messages from %s: %s", 1, "NodeNotReadyError", level=logging.WARNING),
            record("Group Coordinator Request failed: %s", "NodeNotReadyError"),
        ):
            if backoff.filter(line):
                emitted.append((clock.now, line.getMessage()))
    assert 4 <= len(emitted) <= 12, emitted
    for minute in (0, 1):
        assert sum(1 for at, _ in emitted if 1000 + 60 * minute <= at < 1060 + 60 * minute) <= 6
    assert any("more like it, logged with back-off" in text for _, text in emitted)
    assert backoff.unreachable() and backoff.outage_seconds() >= 119
    assert backoff.last_error_text() == "aiokafka: Group Coordinator Request failed: NodeNotReadyError"


def test_info_lines_pass_and_the_outage_ends_when_the_errors_stop():
    clock = Clock()
    backoff = ClientLogBackoff(clock=clock)
    assert backoff.filter(record("Discovered coordinator", level=logging.INFO))
    assert not backoff.unreachable()
    assert backoff.filter(record("Unable connect to node with id 1"))
    assert backoff.unreachable()
    clock.now += UNREACHABLE_FOR_SECONDS + 1
    assert not backoff.unreachable() and backoff.outage_seconds() == 0


def test_a_refused_request_is_an_error_but_not_an_outage():
    backoff = ClientLogBackoff(clock=Clock())
    assert backoff.filter(record("Attempt to join group failed due to fatal error: %s", "InvalidSessionTimeoutError"))
    assert not backoff.unreachable()
    assert backoff.last_error_text() == (
        "aiokafka: Attempt to join group failed due to fatal error: InvalidSessionTimeoutError"
    )


def test_a_message_quiet_for_a_while_is_logged_at_once_again():
    clock = Clock()
    backoff = ClientLogBackoff(clock=clock)
    assert backoff.filter(record("Unable connect to node with id 1"))
    clock.now += 1
    assert not backoff.filter(record("Unable connect to node with id 1"))
    clock.now += 300
    assert backoff.filter(record("Unable connect to node with id 1"))


def test_the_end_of_an_outage_is_reported_once():
    clock = Clock()
    backoff = ClientLogBackoff(clock=clock)
    for _ in range(50):
        clock.now += 0.5
        backoff.filter(record("Unable connect to node with id 1"))
    assert backoff.recovery_report() is None, "still in the outage"
    clock.now += UNREACHABLE_FOR_SECONDS + 1
    report = backoff.recovery_report()
    assert report is not None and "about 24 s" in report and "lines left out" in report
    assert backoff.recovery_report() is None
