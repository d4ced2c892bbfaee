"""Incidents: whether a figure adds to the toll reported before it or restates it. It adds when
marked so ("3 more", "another 6", "also killed"), when its sentence opens another incident ("Later",
"In a separate attack", "Two days later", a new date in a chronology, another named victim), or
when one of the wounded reported before died afterwards."""

from __future__ import annotations

from collections.abc import Sequence

from streams.casualties.knowledge import phrases
from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import MONTHS, WEEKDAYS
from streams.casualties.links import Link
from streams.casualties.numbers import COUNT_WORDS, ORDINAL_SUFFIXES, ORDINALS
from streams.casualties.text import Token

_NEXT_INCIDENT = phrases("next_incident")
_TIME_UNITS = vocabulary("time_units")
_RELATIVE_TIME = vocabulary("relative_time")
_CAME = vocabulary("came")
_SPAN_WORDS = vocabulary("span_words") | COUNT_WORDS
_ADDITIVE_MARKERS = vocabulary("additive_markers")
_ANOTHER_SOURCE = vocabulary("another_source")
_OTHERS = vocabulary("others")
_DAY_REPORTERS = vocabulary("day_reporters")
_DAY_FILLERS = vocabulary("day_fillers")
_AFTERWARDS = vocabulary("afterwards")
_DIED = vocabulary("died")
_RANK_OPENERS = frozenset({"a", "the"})  # "a sixth protester", "the third victim"


def _tells_earlier_incident(words: list[str]) -> bool:
    """ "The attack came barely 12 hours after gunmen killed ...", "This is coming a few days after
    ...": the sentence tells an earlier incident, added to the toll."""
    for k, word in enumerate(words):
        if word in _CAME:
            j = k + 1
            while j < len(words) and j - k <= 4 and (words[j] in _SPAN_WORDS or words[j] == "a" or words[j].isdigit()):
                j += 1
            if j > k + 1 and words[j : j + 1] and words[j] in _TIME_UNITS and words[j + 1 : j + 2] == ["after"]:
                return True
    return False


def opens_another_incident(words: list[str]) -> bool:
    """A sentence that opens with "Later (on the same day)", "In a separate attack", "Elsewhere":
    its figures are another incident's, added to the toll."""
    if any(tuple(words[: len(p)]) == p for p in _NEXT_INCIDENT) or _tells_earlier_incident(words):
        return True
    return (
        len(words) > 2 and words[1] in _TIME_UNITS and words[2] in _RELATIVE_TIME
    )  # "Two days later", "A week earlier"


def date_opener(tokens: list[Token]) -> tuple[str, ...] | None:
    """ "On 25 July,", "On the 20th,": the date a sentence opens with. Sentences with figures that
    open with different dates report different incidents (a chronology), added together."""
    words = [t.lower for t in tokens[:7]]
    if not words or words[0] != "on" or "," not in words:
        return None
    opener = tuple(words[1 : words.index(",")])
    return opener if opener and any(w[:1].isdigit() or w in MONTHS for w in opener) else None


def _day_at(words: list[str], k: int) -> str | None:
    """The day the word at ``k`` names: a weekday ("Sunday's"), "3 May", "May 3", "the 13th"."""
    word = words[k]
    bare = word[:-2] if word.endswith(("'s", "’s")) else word
    if bare in WEEKDAYS:
        return bare
    if word.isdigit() and len(word) <= 2 and 1 <= int(word) <= 31:
        if k + 1 < len(words) and words[k + 1] in MONTHS:
            return f"{words[k + 1][:3]} {int(word)}"
        if k and words[k - 1] in MONTHS:
            return f"{words[k - 1][:3]} {int(word)}"
        if k and words[k - 1] == "the" and words[k + 1 : k + 2] and words[k + 1] in ORDINAL_SUFFIXES:
            return f"the {int(word)}"
    return None


def sentence_day(words: list[str]) -> str | None:
    """The day a sentence dates its events by: a weekday ("on Sunday", "Tuesday night") or a
    calendar day ("on 3 May", "May 3", "on the 13th"), not the day someone said it ("police said
    Monday") nor a bound ("since Friday"). None when the sentence names no day."""
    for k in range(len(words)):
        day = _day_at(words, k)
        if day is None:
            continue
        back = [w for w in words[max(0, k - 3) : k] if w not in _DAY_FILLERS]
        if back and back[-1] in _DAY_REPORTERS:
            continue
        return day
    return None


def additive(
    words: list[str],
    link: Link,
    earlier_outcomes: set[str] | frozenset[str] = frozenset(),
    beside_name: bool = False,
) -> bool:
    """Whether the figure adds to what was reported before. "Others" after a figure of another
    outcome in its sentence ("killing 3 men and wounding two others"), after a chained victim,
    after "the" or joined to a name ("Conley and seven others") means other than those, not more
    than earlier reports."""
    window = words[max(0, link.mention.start - 3) : max(link.mention.end, link.trigger)]
    markers = {
        w
        for i, w in enumerate(window)
        if w in _ADDITIVE_MARKERS and not (w == "more" and window[i + 1 : i + 2] == ["than"])
    }  # "more than 140": a qualifier
    low = max(0, link.mention.start - 3)
    for other in ("another", "other"):  # "Another (account) indicated 52", "other sources reported 37"
        if other in markers and all(
            words[j + 1 : j + 2] and words[j + 1] in _ANOTHER_SOURCE
            for j in range(low, low + len(window))
            if words[j] == other
        ):
            markers.discard(other)  # another source, not another victim group
    if link.mention.lone and link.mention.victim_words[:2] == ("the", "other"):
        markers.discard("other")  # "one of the boys shot the other": one of a pair, not more
    if (
        markers
        and markers <= _OTHERS
        and (
            earlier_outcomes - {link.outcome}  # "1 killed and 3 others wounded"
            or link.relation == "coordinated"  # "a boy and a dozen other people"
            or (link.mention.start and words[link.mention.start - 1] == "the")
            or beside_name
        )
    ):  # "the six others"
        markers = set()
    return link.relation == "elliptical" or bool(markers) or (len(window) >= 2 and window[-2:] == ["as", "well"])


def died_of_wounds(words: list[str], link: Link) -> bool:
    """A counted victim who died afterwards ("taken to hospital, where one victim died", "one of
    the wounded later succumbed"): one of the wounded reported before, a death not yet counted."""
    mention = link.mention
    if (
        mention.lone
        or mention.count.vague
        or link.relation != "after"
        or not 0 <= link.trigger < len(words)
        or words[link.trigger] not in _DIED
    ):
        return False
    return any(w in _AFTERWARDS for w in words[max(0, mention.start - 8) : link.trigger + 6])


def ordinal_rank(link: Link, links: Sequence[Link]) -> int:
    """ "A sixth protester died", "a third victim has died": a lone victim counted by rank names
    the toll reached (6, 3), when no other victim shares the trigger (and, see the caller, an
    earlier sentence reported that outcome: else "a second activist killed this month" is one)."""
    words = link.mention.victim_words
    if (
        not link.mention.lone
        or len(words) < 3
        or words[0] not in _RANK_OPENERS
        or words[1] not in ORDINALS
        or link.relation != "after"
        or any(o is not link and o.trigger == link.trigger for o in links)
    ):
        return 0
    return ORDINALS[words[1]]


def _name_words(figure: dict, persons: set[str]) -> set[str]:
    """The words of the person's name a lone victim holds ("Baz Muhammad Kakar"), else empty."""
    victims = figure["victims"]
    return {w.lower() for person in persons if person in victims for w in person.split() if w[:1].isalpha()}


def another_name(figure: dict, earlier: Sequence[tuple[dict, object]], persons: set[str]) -> bool:
    """ "Bar president Ali Khan was gunned down. Former president Omar Baig was injured and later
    succumbed": a killed victim named with no word of the names killed before is someone else
    (in an untitled description, named by the entity stage)."""
    names = _name_words(figure, persons)
    killed = [f for f, _ in earlier if f["outcome"] == "killed" and not f["cumulative"]]
    if figure["outcome"] != "killed" or not names or not killed:
        return False
    before = [_name_words(f, persons) for f in killed]
    return all(b and not (b & names) for b in before)
