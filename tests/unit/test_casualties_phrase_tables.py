"""The indexed trigger-phrase tables are a speed-up: they must find what a full scan of the tables finds."""

from streams.casualties import extract as ex


def test_indexed_phrase_tables_find_what_a_full_scan_finds():
    for phrase, _outcome, _weak in ex._BEFORE:
        words = ["x", *phrase]
        expected = next(item for item in ex._BEFORE if tuple(words[len(words) - len(item[0]) :]) == item[0])
        assert ex._match_before(words, len(words) - 1) == expected
    for phrase, _outcome, _weak in ex._AFTER:
        words = [*phrase, "x"]
        expected = next(item for item in ex._AFTER if tuple(words[: len(item[0])]) == item[0])
        assert ex._match_after_at(words, 0) == expected
    assert ex._match_before(["killed"], 5) is None and ex._match_after_at(["killed"], 3) is None
