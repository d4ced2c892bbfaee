"""Linking a mention to its trigger: one after it ("12 people were killed"), one before it
("killing 12 people", "hacked five civilians to death", "claimed 12 lives", "the toll rose to 50"),
or one past a long description of the subject ("seven civilians on the Indian side of the Line of
Control in the Ramgarh sector were killed")."""

from __future__ import annotations

from streams.casualties.apposition import skip_apposition, skip_uncounted_conjunct
from streams.casualties.implicit_outcomes import takes_lives
from streams.casualties.knowledge import fragments, phrases
from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import (
    ACTIVE_GAP,
    ARTICLES,
    AUXILIARY_GAP,
    DAY_WORDS,
    INDEFINITE_ARTICLES,
    PRONOUNS,
    SPEECH_VERBS,
    VERB_AUX,
)
from streams.casualties.links import Link
from streams.casualties.mention import Mention
from streams.casualties.mentions import person_like
from streams.casualties.numbers import COUNT_WORDS
from streams.casualties.tolls import link_toll
from streams.casualties.triggers import INTRANSITIVE, TRIGGER_FIRST_WORDS, Trigger, match_after, match_before

_FINITE_AUX = vocabulary("finite_aux")
_OBJECT_PREPOSITIONS = vocabulary("object_prepositions")
# A lone victim opened by these links to a trigger after it without an auxiliary ("a man shot dead").
_UNNAMED_OPENERS = INDEFINITE_ARTICLES | {"another"}
_PLURAL_AUX = vocabulary("plural_aux")
_PLACE_HEADS = vocabulary("place_heads")
_LONG_SUBJECT_BREAKS = vocabulary("long_subject_breaks")
_DEATH_SENTENCES = vocabulary("death_sentences")
_QUOTES = vocabulary("quotes")
_PROTEST_CUES = fragments("protest_cues")
_CAUSING = phrases("causing")
_IRREALIS = vocabulary("irrealis")
_LIFE_TAKERS = vocabulary("life_takers")
_CLAIMED = vocabulary("claimed")


def _starts_mention(mentions_by_start: dict[int, Mention], words: list[str], k: int) -> bool:
    while k < len(words) and k not in mentions_by_start and words[k] in ACTIVE_GAP:
        k += 1
    return k in mentions_by_start


def link_after(
    words: list[str], mention: Mention, mentions_by_start: dict[int, Mention], headline: bool = False
) -> tuple[Link | None, int]:
    """The trigger after the mention (past an apposition and the gap words), and where the
    apposition ends. A ``headline`` drops auxiliaries ("Teen shot on Main Street")."""
    k = skip_apposition(words, mention.end, mention.lone)
    appositive_end = k
    k = skip_uncounted_conjunct(words, k, mentions_by_start)
    has_aux = False
    while k < len(words) and words[k] in AUXILIARY_GAP:
        has_aux = has_aux or words[k] in _FINITE_AUX
        k += 1
    match = match_after(words, k)
    if not match:
        return None, appositive_end
    phrase, outcome, weak, k = match
    if _starts_mention(mentions_by_start, words, k + len(phrase)) and phrase not in INTRANSITIVE:
        return None, appositive_end  # "Gunmen killed 12": the mention is the perpetrator
    if (
        mention.lone
        and not has_aux
        and not headline
        and phrase not in INTRANSITIVE
        and mention.victim_words[0] not in _UNNAMED_OPENERS
    ):
        return None, appositive_end
    if mention.lone and mention.start > 0 and words[mention.start - 1] in _OBJECT_PREPOSITIONS:
        return None, appositive_end
    return Link(mention, outcome, "after", k, weak), appositive_end


def link_long_subject(words: list[str], mention: Mention, mentions_by_start: dict[int, Mention]) -> Link | None:
    """ "At least seven civilians on the Indian side of the Line of Control in the Ramgarh sector
    were killed": a counted subject whose description runs past the apposition window. Only
    through plain words (no comma, clause word, other count or trigger) to a plural auxiliary
    and then a trigger."""
    if mention.lone or mention.count.min < 2:
        return None
    k = mention.end
    while k < min(len(words), mention.end + 30):
        word = words[k]
        if word == "(" and ")" in words[k + 1 : k + 8]:  # "(LoC)": an aside inside the subject
            k = words.index(")", k + 1) + 1
            continue
        if word in _PLURAL_AUX:
            j = k + 1
            while j < len(words) and words[j] in AUXILIARY_GAP:
                j += 1
            match = match_after(words, j)
            if match is None or k - mention.end < 3:
                return None
            return Link(mention, match[1], "after", match[3], match[2])
        other = mentions_by_start.get(k)
        if other is not None and (
            not other.lone or other.victim_words[0] in PRONOUNS or other.victim_words[0] in ARTICLES
        ):
            return None  # another victim group: the verb may be its own ("a name" is a place)
        if (
            word == "and"
            and words[k - 1] in _PLACE_HEADS
            and k + 1 not in mentions_by_start
            and words[k + 1 : k + 2]
            and words[k + 1].isalpha()
            and words[k + 1] not in COUNT_WORDS
        ):
            k += 1  # "in Samba district and Manjakote area of Rajouri district": places joined
            continue
        if (
            word in _LONG_SUBJECT_BREAKS
            or word in VERB_AUX
            or word in TRIGGER_FIRST_WORDS
            or word in SPEECH_VERBS
            or word[:1].isdigit()
            or word in COUNT_WORDS
        ):
            return None
        k += 1
    return None


def _caused_by_the_event(words: list[str], k: int) -> bool:
    """Whether "(the) death of" at ``k`` is what an event caused ("a protest ..., resulting in the
    death of a reporter"): a death in the event, not one the protest is about."""
    if k >= 0 and words[k] in ("the", "a"):
        k -= 1
    return any(tuple(words[k - len(p) + 1 : k + 1]) == p for p in _CAUSING)


def _skip_date_back(words: list[str], k: int) -> int:
    """Before "killing on August 25 at least 11 civilians": back past "on <date>" to the verb."""
    if k < 1 or not (words[k][:1].isdigit() or words[k] in DAY_WORDS):
        return k
    for on in range(k - 1, max(-1, k - 4), -1):
        if words[on] == "on":
            dated = words[on + 1 : k + 1]
            if any(w in DAY_WORDS for w in dated) and all(w[:1].isdigit() or w in DAY_WORDS or w == "," for w in dated):
                return on - 1
            return k
    return k


def _killed_and_injured_together(words: list[str], k: int) -> bool:
    """ "killed and wounded 68 people": one count of both, which coders record as the dead, as
    they do the passive "68 people were killed and wounded" ("killed or injured" stays unsure)."""
    if k < 1 or words[k] != "and":
        return False
    match = match_before(words, k - 1)
    return match is not None and match[1] == "killed"


def _verb_position(words: list[str], mention: Mention) -> int:
    """Where the verb before the mention ends: past the gap words and a date ("killing on August 25")."""
    k = mention.start - 1
    while k >= 0 and words[k] in ACTIVE_GAP:
        k -= 1
    dated = _skip_date_back(words, k)
    if dated != k and match_before(words, dated) is not None:
        k = dated
    return k


def _put_to_death(words: list[str], mention: Mention, k: int) -> Link | None:
    """ "hacked five civilians to death" (not "sentenced 5 men to death")."""
    verb = k - 1 if k >= 1 and words[k] in _QUOTES else k  # 'a mob "hacked and burnt" 8 herders'
    if verb >= 0 and words[verb].isalpha() and words[verb] not in _DEATH_SENTENCES:
        return Link(mention, "killed", "before", verb)
    return None


def _link_trigger_before(words: list[str], mention: Mention, k: int, match: Trigger) -> Link | None:
    """The trigger ending at ``k``, unless the death is what a protest is about or is unreal."""
    phrase, outcome, weak = match
    if (
        phrase[-1] == "of"
        and any(cue in " ".join(words[:k]) for cue in _PROTEST_CUES)
        and not _caused_by_the_event(words, k - len(phrase))
    ):
        return None
    if phrase == ("kill",) and k and words[k - 1] == "to" and k > 1 and words[k - 2] in _IRREALIS:
        return None  # "threatened to kill hundreds"
    if outcome == "injured" and _killed_and_injured_together(words, k - len(phrase)):
        outcome, weak = "killed", False
    return Link(mention, outcome, "before", k, weak)


def link_before(words: list[str], mention: Mention) -> Link | None:
    """The trigger before the mention, the life-takers ("claimed 12 lives"), or a toll."""
    k = _verb_position(words, mention)
    if words[mention.end : mention.end + 2] == ["to", "death"]:
        put_to_death = _put_to_death(words, mention, k)
        if put_to_death is not None:
            return put_to_death
    match = match_before(words, k)
    if match:
        return _link_trigger_before(words, mention, k, match)
    if takes_lives(mention) and k >= 0 and words[k] in _LIFE_TAKERS:
        return Link(mention, "killed", "before", k)  # "claimed 12 lives"
    if mention.lone:
        return None
    claimer = k - 1 if k >= 1 and words[k] == "the" else k
    if (
        claimer >= 0
        and words[claimer] in _CLAIMED
        and person_like(mention.victim_words)
        and mention.victim_words
        and not mention.count.vague
    ):
        return Link(mention, "killed", "before", claimer)  # "the feud has claimed eight persons"
    return link_toll(words, mention, k)
