"""Figures from an article: link each victim mention to the outcome that governs it.

Per sentence, a mention is linked (in this order of trust) to a trigger after it ("12 people
were killed"), a trigger before it ("killing 12 people"), a coordinated neighbour ("5 soldiers
and 3 civilians were killed"), or, elliptically, to the previous figure ("6 killed by fire and
3 by IEDs"). Mentions after "including"/"among them" become sub-groups of the figure before.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from streams.casualties import context
from streams.casualties.lexicon import (_phrases, ACTIVE_GAP, MONTHS, PRONOUNS, WEEKDAYS, ADDITIVE_MARKERS, AUXILIARY_GAP, BODY_WORDS, IRREALIS, NEGATED_SUBJECTS,
                      OUTCOME_AFTER, OUTCOME_BEFORE, SINGULAR_PERSONS, SUBGROUP_MARKERS,
                      VICTIM_TYPE_OF_WORD,
                      WEAK_INJURY_AFTER, WEAK_INJURY_BEFORE)
from streams.casualties.mentions import BODY_HEADS, NP_STOP, Mention, find_mentions, person_like
from streams.casualties.numbers import TENS, UNITS, VAGUE_WORDS, Count
from streams.casualties.text import Token, split_sentences, tokenize

_AFTER = sorted(((phrase, outcome, False) for outcome, phrases in OUTCOME_AFTER.items() for phrase in phrases),
                key=lambda item: -len(item[0])) + [(phrase, "injured", True) for phrase in WEAK_INJURY_AFTER]
_BEFORE = sorted([(phrase, outcome, False) for outcome, phrases in OUTCOME_BEFORE.items() for phrase in phrases]
                 + [(phrase, "injured", True) for phrase in WEAK_INJURY_BEFORE if phrase not in OUTCOME_BEFORE["injured"]],
                 key=lambda item: -len(item[0]))
# Phrase tables indexed by the word a match must contain at ``k`` (first word after the victims,
# last word before them), each list in the order of the full table so the first match is the same.
_AFTER_BY_FIRST: dict[str, list] = {}
for _item in _AFTER:
    _AFTER_BY_FIRST.setdefault(_item[0][0], []).append(_item)
_BEFORE_BY_LAST: dict[str, list] = {}
for _item in _BEFORE:
    _BEFORE_BY_LAST.setdefault(_item[0][-1], []).append(_item)
_SUBGROUP_BY_LAST: dict[str, list] = {}
for _phrase in SUBGROUP_MARKERS:
    _SUBGROUP_BY_LAST.setdefault(_phrase[-1], []).append(_phrase)
_INTRANSITIVE = frozenset({("died",), ("dies",), ("dead",), ("perished",), ("succumbed",),
                           ("deaths",), ("fatalities",), ("injuries",), ("missing",)})
_TRIGGER_FIRST_WORDS = frozenset(item[0][0] for item in _AFTER)
_SINGULAR_AUX = frozenset("was is has had been got".split())
_COORDINATORS = frozenset([",", "and", "as", "well", "plus", "along", "with", "together", "&"])
_APPOSITION_OPEN = {",": ",", "--": "--", "—": "—", "(": ")", "-": "-"}
_ELLIPSIS_FOLLOWERS = frozenset(["by", "in", "at", "from", "during", "on", "more", ",", ".", ";",
                                 "others", "were", "in", "after"])
_TOLL_VERBS = frozenset("rose risen climbed increased reached stands stood at to is was jumped hit "
                        "as".split())
_LIFE_TAKERS = frozenset("claimed claiming claims claim cost costing took taken taking".split())
_PROTEST_CUES = ("protest", "demonstrat", "rall", "march", "condemn", "justice for", "vigil",
                 "mourn", "funeral", "anniversary", "commemorat", "sentenced", "convicted",
                 "charged", "trial", "accused", "suspected of", "arrested for", "arrested in connection")


@dataclass
class Link:
    mention: Mention
    outcome: str
    relation: str          # after | before | coordinated | elliptical
    trigger: int           # token index of the governing trigger (shared by a coordinated chain)
    weak: bool = False     # "was shot": an injury that may be the same victim who died
    update: bool = False   # "the death toll rose to 50", "fatalities coded as 10"


_SUFFERED = frozenset("sustained suffered received sustaining suffering receiving".split())
_WOUND_NOUNS = frozenset("injuries injury wounds wound".split())
_FATAL = frozenset("fatal mortal deadly lethal".split())


def _suffered_wounds(words: list[str], k: int) -> tuple[tuple[str, ...], str, bool] | None:
    """"sustained (serious / non-life threatening / fatal) injuries": injured, or killed when fatal."""
    for j in range(k + 1, min(len(words), k + 6)):
        if words[j] in _WOUND_NOUNS:
            outcome = "killed" if any(w in _FATAL for w in words[k + 1:j]) else "injured"
            return tuple(words[k:j + 1]), outcome, False
        if not words[j].replace("-", "").isalpha() or words[j] in NP_STOP:
            return None
    return None


def _match_after_at(words: list[str], k: int) -> tuple[tuple[str, ...], str, bool] | None:
    if words[k + 1:k + 3] == ["to", "death"]:  # "tortured to death", "hacked to death"
        return tuple(words[k:k + 3]), "killed", False
    if k >= len(words):
        return None
    for phrase, outcome, weak in _AFTER_BY_FIRST.get(words[k], ()):
        if tuple(words[k:k + len(phrase)]) == phrase:
            return phrase, outcome, weak
    return _suffered_wounds(words, k) if words[k] in _SUFFERED else None


def _match_after(words: list[str], k: int) -> tuple[tuple[str, ...], str, bool, int] | None:
    """The trigger at ``k`` (or after "ambushed and"), preferring a death that follows with
    "and" ("abducted and killed"): (phrase, outcome, weak, index of the trigger)."""
    match = _match_after_at(words, k)
    if match is None:
        if k + 2 < len(words) and words[k + 1] == "and" and words[k].isalpha():
            later = _match_after_at(words, k + 2)
            return (*later, k + 2) if later else None
        return None
    after = k + len(match[0])
    if after + 1 < len(words) and words[after] == "and":
        later = _match_after_at(words, after + 1)
        if later and later[1] == "killed":
            return (*later, after + 1)
    return (*match, k)


def _match_before(words: list[str], k: int) -> tuple[tuple[str, ...], str, bool] | None:
    if k < 0 or k >= len(words):
        return None
    for phrase, outcome, weak in _BEFORE_BY_LAST.get(words[k], ()):
        start = k - len(phrase) + 1
        if start >= 0 and tuple(words[start:k + 1]) == phrase:
            return phrase, outcome, weak
    return None


# An outcome word between a marker and a count ends the marker's scope: the count belongs to
# the next clause ("... including two children were killed and 12 injured").
_SUBGROUP_SCOPE_ENDS = (frozenset(_AFTER_BY_FIRST) | frozenset(_BEFORE_BY_LAST)) - {"of", "another", "with"}


_OF_THE_DEAD = frozenset("killed dead deceased slain".split())


def _is_subgroup(words: list[str], mention: Mention) -> bool:
    """Whether a marker like "including" or "among them" governs the mention, or the mention
    names part of a group already counted: "ten of those killed were children", "killing 15
    people, eight of them civilians"."""
    k = mention.start
    tail = words[mention.end:mention.end + 3]
    if len(tail) == 3 and tail[0] == "of" and tail[1] in ("those", "the") and tail[2] in _OF_THE_DEAD:
        return True
    if mention.victim_words[:2] in (("of", "them"), ("of", "whom")) and len(mention.victim_words) > 2 \
            and k and words[k - 1] == ",":
        return True
    for back in range(1, 8):
        j = k - back
        if j < 0 or words[j] in (";", "(") or (words[j] in (".",)):
            return False
        for phrase in _SUBGROUP_BY_LAST.get(words[j], ()):
            if tuple(words[j - len(phrase) + 1:j + 1]) == phrase:
                return True
        if words[j] in _SUBGROUP_SCOPE_ENDS:
            return False  # "5 civilians including 2 children were killed and 12 injured"
    return False


_TAIL_STARTS = frozenset("of on in from near at with".split())
_QUALIFYING_TAIL_STOPS = frozenset(".;:".split()) | frozenset(
    "who which that when while after before because said says told but as".split())


_ARTICLES = frozenset("a an the".split())
_APPOSITION_MARKERS = frozenset("including mostly mainly among all both most many some".split())
_COUNT_WORDS = frozenset(UNITS) | frozenset(TENS) | frozenset(VAGUE_WORDS)
_CLAUSE_OPENERS = frozenset("while whereas but and as when after before although though and".split())


def _skip_apposition(words: list[str], k: int, lone: bool = False) -> int:
    """Index after ", including 10 foreigners," / "-- mostly women --" / "(beheaded)" / a
    qualifying tail ("of the extended family", "on the Indian side of the LoC"), else k."""
    if k < len(words) and (words[k] in ("of", "on", "in", "from", "including", "mostly", "near", "at")
                           or (words[k] == "with" and _match_after(words, k) is None)):
        for j in range(k + 1, min(len(words), k + 13)):
            if (words[j] in _VERB_AUX or words[j] in _TRIGGER_FIRST_WORDS) and words[j - 1] not in _ARTICLES:
                return j  # (not "in a displaced persons camp": an adjective there)
            if words[j] == "," and words[j + 1:j + 2] == ["including"]:
                after = _skip_apposition(words, j)  # "16 members of the imam's family, including
                if j < after < len(words) and (words[after] in _VERB_AUX  # four children, were killed"
                                               or words[after] in _TRIGGER_FIRST_WORDS):
                    return after
            if words[j] in _QUALIFYING_TAIL_STOPS or words[j][:1].isdigit() \
                    or (words[k] == "with" and words[j] in _COUNT_WORDS) \
                    or (words[j] == "," and words[j + 1:j + 2] == ["and"]) \
                    or (words[j] == "and" and words[j + 1:j + 2] and words[j + 1] in _COUNT_WORDS
                        and words[k] not in _APPOSITION_MARKERS):
                break  # another group or clause starts: the trigger is not this mention's
        return k
    if k + 1 < len(words) and words[k] == "," and words[k + 1] in AUXILIARY_GAP:
        if words[k + 1] in _APPOSITION_MARKERS:  # ", both members of the tribe ...," is an apposition
            closing = next((j for j in range(k + 2, min(len(words), k + 30)) if words[j] in (",", ".", ";")), None)
            if closing is not None and words[closing] == "," and not any(
                    w in _VERB_AUX or w in _TRIGGER_FIRST_WORDS for w in words[k + 2:closing]):
                return closing + 1
        return k + 1
    if k >= len(words) or words[k] not in _APPOSITION_OPEN:
        return k
    closing = _APPOSITION_OPEN[words[k]]
    if words[k + 1:k + 2] and words[k + 1] in _CLAUSE_OPENERS:
        return k  # ", while 60 others were injured,": another clause, not an apposition
    subgroup = words[k + 1:k + 2] == ["including"]
    window = 30 if subgroup or words[k + 1:k + 2] and words[k + 1] in _APPOSITION_MARKERS else 16
    for j in range(k + 1, min(len(words), k + window)):  # ", both members of ...," may run long
        if words[j] == closing:
            if lone and closing == "," and "and" in words[k + 1:j] and words[k + 1] not in _APPOSITION_MARKERS:
                break  # "killing him, his son and two guests,": a list of victims, not an apposition
            if subgroup and closing == ",":
                follow = next((n for n in range(j + 1, min(len(words), j + 7)) if not words[n].isalpha()), None)
                if follow is not None and follow > j + 1 and words[follow] == "," and follow + 1 < len(words) \
                        and words[follow + 1] in _VERB_AUX and not any(
                            w in _CLAUSE_WORDS or w in _OUTCOME_WORDS for w in words[j + 1:follow]):
                    return follow + 1  # "including four aides of the emir, Musa Bello, were killed"
            return j + 1
        if words[j] in (".", ";"):
            break
        if subgroup and words[j] in ("who", "which", "that", "when", "where", "whose"):
            subgroup = False  # a clause of its own inside: its verb is not the mention's
        if subgroup and closing == "," and words[j] in _VERB_AUX:
            return j  # ", including a police inspector were killed": the closing comma left out
    return k


def _starts_mention(mentions_by_start: dict[int, Mention], words: list[str], k: int) -> bool:
    while k < len(words) and k not in mentions_by_start and words[k] in ACTIVE_GAP:
        k += 1
    return k in mentions_by_start


def _skip_uncounted_conjunct(words: list[str], k: int, mentions_by_start: dict) -> int:
    """"40 foreigners and Afghans were killed": past an uncounted "and" group to its verb."""
    if words[k:k + 1] != ["and"]:
        return k
    j = k + 1
    while j < len(words) and j - k <= 3 and words[j].isalpha() and j not in mentions_by_start \
            and words[j] not in NP_STOP and words[j] not in _COUNT_WORDS and words[j] not in _TRIGGER_FIRST_WORDS:
        j += 1
    if j > k + 1 and words[j:j + 1] == [","] and "," in words[j + 1:j + 6]:
        close = words.index(",", j + 1)  # "12 women and children, all related, were killed"
        if all(w.isalpha() and w not in _VERB_AUX and w not in _TRIGGER_FIRST_WORDS for w in words[j + 1:close]):
            j = close + 1
    return j if j > k + 1 and j < len(words) and words[j] in _VERB_AUX else k


_LONG_SUBJECT_BREAKS = frozenset(",;:.()\"") | frozenset(
    "who whom which when while after before because as but if where whose and or said says "
    "told reported according".split())
_PLURAL_AUX = frozenset("were have had are".split())
_PLACE_HEADS = frozenset("district province area region state town village county city sector camp".split())


def _link_long_subject(words, mention, mentions_by_start) -> Link | None:
    """"At least seven civilians on the Indian side of the Line of Control in the Ramgarh sector
    were killed": a counted subject whose description runs past the apposition window. Only
    through plain words (no comma, clause word, other count or trigger) to a plural auxiliary
    and then a trigger."""
    if mention.lone or mention.count.min < 2:
        return None
    k = mention.end
    while k < min(len(words), mention.end + 30):
        word = words[k]
        if word == "(" and ")" in words[k + 1:k + 8]:  # "(LoC)": an aside inside the subject
            k = words.index(")", k + 1) + 1
            continue
        if word in _PLURAL_AUX:
            j = k + 1
            while j < len(words) and words[j] in AUXILIARY_GAP:
                j += 1
            match = _match_after(words, j)
            if match is None or k - mention.end < 3:
                return None
            return Link(mention, match[1], "after", match[3], match[2])
        other = mentions_by_start.get(k)
        if other is not None and (not other.lone or other.victim_words[0] in PRONOUNS
                                  or other.victim_words[0] in _ARTICLES):
            return None  # another victim group: the verb may be its own ("a name" is a place)
        if word == "and" and words[k - 1] in _PLACE_HEADS and k + 1 not in mentions_by_start \
                and words[k + 1:k + 2] and words[k + 1].isalpha() and words[k + 1] not in _COUNT_WORDS:
            k += 1  # "in Samba district and Manjakote area of Rajouri district": places joined
            continue
        if word in _LONG_SUBJECT_BREAKS or word in _VERB_AUX \
                or word in _TRIGGER_FIRST_WORDS or word in _SPEECH_VERBS or word[:1].isdigit() \
                or word in _COUNT_WORDS:
            return None
        k += 1
    return None


def _link_after(words, mention, mentions_by_start, headline=False) -> tuple[Link | None, int]:
    k = _skip_apposition(words, mention.end, mention.lone)
    appositive_end = k
    k = _skip_uncounted_conjunct(words, k, mentions_by_start)
    has_aux = False
    while k < len(words) and words[k] in AUXILIARY_GAP:
        has_aux = has_aux or words[k] in _SINGULAR_AUX or words[k] in ("were", "are", "have")
        k += 1
    match = _match_after(words, k)
    if not match:
        return None, appositive_end
    phrase, outcome, weak, k = match
    if _starts_mention(mentions_by_start, words, k + len(phrase)) and phrase not in _INTRANSITIVE:
        return None, appositive_end  # "Gunmen killed 12": the mention is the perpetrator
    if mention.lone and not has_aux and not headline and phrase not in _INTRANSITIVE \
            and mention.victim_words[0] not in ("a", "an", "another"):
        return None, appositive_end
    if mention.lone and mention.start > 0 and words[mention.start - 1] in _PREPOSITIONS:
        return None, appositive_end
    return Link(mention, outcome, "after", k, weak), appositive_end


# Verbs that put victims "to death" only in law: "sentenced 5 men to death" kills no one yet.
_DEATH_SENTENCES = frozenset("sentenced sentencing sentence condemned condemning condemn "
                             "sentences condemns".split())


_QUOTES = frozenset('"\'“”‘’')


_CAUSING = _phrases("resulting in", "resulted in", "results in", "leading to", "led to", "leads to",
                    "causing", "caused")


def _caused(words: list[str], k: int) -> bool:
    """Whether "(the) death of" at ``k`` is what an event caused ("a protest ..., resulting in the
    death of a reporter"): a death in the event, not one the protest is about."""
    if k >= 0 and words[k] in ("the", "a"):
        k -= 1
    return any(tuple(words[k - len(p) + 1:k + 1]) == p for p in _CAUSING)


_DAY_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS)


def _skip_date_back(words: list[str], k: int) -> int:
    """Before "killing on August 25 at least 11 civilians": back past "on <date>" to the verb."""
    if k < 1 or not (words[k][:1].isdigit() or words[k] in _DAY_WORDS):
        return k
    for on in range(k - 1, max(-1, k - 4), -1):
        if words[on] == "on":
            dated = words[on + 1:k + 1]
            if any(w in _DAY_WORDS for w in dated) and all(w[:1].isdigit() or w in _DAY_WORDS or w == "," for w in dated):
                return on - 1
            return k
    return k


def _killed_and(words: list[str], k: int) -> bool:
    """"killed and wounded 68 people": one count of both, which coders record as the dead, as
    they do the passive "68 people were killed and wounded" ("killed or injured" stays unsure)."""
    if k < 1 or words[k] != "and":
        return False
    match = _match_before(words, k - 1)
    return match is not None and match[1] == "killed"


def _link_before(words, mention) -> Link | None:
    k = mention.start - 1
    while k >= 0 and words[k] in ACTIVE_GAP:
        k -= 1
    dated = _skip_date_back(words, k)
    if dated != k and _match_before(words, dated) is not None:
        k = dated
    if words[mention.end:mention.end + 2] == ["to", "death"]:
        verb = k - 1 if k >= 1 and words[k] in _QUOTES else k  # 'a mob "hacked and burnt" 8 herders'
        if verb >= 0 and words[verb].isalpha() and words[verb] not in _DEATH_SENTENCES:
            return Link(mention, "killed", "before", verb)  # "hacked five civilians to death"
    match = _match_before(words, k)
    if match:
        phrase, outcome, weak = match
        if phrase[-1] == "of" and any(cue in " ".join(words[:k]) for cue in _PROTEST_CUES) \
                and not _caused(words, k - len(phrase)):
            return None
        if phrase == ("kill",) and k and words[k - 1] == "to" and k > 1 and words[k - 2] in IRREALIS:
            return None
        if outcome == "injured" and _killed_and(words, k - len(phrase)):
            outcome, weak = "killed", False
        return Link(mention, outcome, "before", k, weak)
    if "lives" in mention.victim_words[:1] + mention.victim_words[-1:] and k >= 0 and words[k] in _LIFE_TAKERS:
        # "claimed 12 lives", "has claimed 31 lives of villagers" (the head first, its people after)
        return Link(mention, "killed", "before", k)
    if mention.lone:
        return None
    claimer = k - 1 if k >= 1 and words[k] == "the" else k
    if claimer >= 0 and words[claimer] in _CLAIMED and person_like(mention.victim_words) \
            and mention.victim_words and not mention.count.vague:
        return Link(mention, "killed", "before", claimer)  # "the feud has claimed eight persons"
    for k in dict.fromkeys((mention.start - 1, k)):  # "put the toll at 11" ("at" is also a gap word)
        if k >= 0 and (words[k] in _TOLL_VERBS or (words[k] == "of" and words[k - 1:k] == ["toll"])):
            toll = next((j for j in range(k, max(-1, k - 45), -1) if _toll_word(words, j)), None)
            if toll is None or any(w in (".", ";") or w in _SPECULATION for w in words[toll:k]) \
                    or ("toll" in words[max(0, toll - 3):toll + 1]
                        and any(w in _NON_DEATH_TOLL for w in words[toll:k])):
                continue
            # "the toll rose to 50" revises; "(another source) put the toll at 11", "a lower
            # toll of three" is one more account, weighed like any restatement
            update = words[k] not in ("at", "of") or any(w in _TOLL_CHANGES for w in words[toll:k])
            # each toll figure is its own chain: "a toll of 359 was revised to 253" is not 612
            return Link(mention, "killed", "before", mention.start, update=update)
    return None


# A toll someone only thinks possible ("the toll could be closer to 50", "may rise to 60") is
# no figure: coders record what was reported.
_SPECULATION = frozenset("could may might would expected feared".split())


_CLAIMED = frozenset("claimed claiming".split())


# Heads that make a counted phrase a toll of the dead by itself.
_TOLL_HEADS = frozenset("casualties death fatality".split())
_TOLL_NOUNS = frozenset("figure count total tally number".split())
_TOLL_OF = frozenset("death casualty fatality".split())


def _toll_word(words: list[str], j: int) -> bool:
    """"toll", "deaths", "fatalities", or a figure named for them: "the casualty figure", "the
    death count"."""
    return words[j] in ("toll", "fatalities", "deaths") or (words[j] in _TOLL_NOUNS and j and words[j - 1] in _TOLL_OF)


# A toll that counts the injured too is not a death toll ("the toll of deaths and injuries reached 120").
_NON_DEATH_TOLL = frozenset("injuries injured wounded casualties casualty injury".split())
_TOLL_CHANGES = frozenset("rose risen climbed increased reached jumped hit now stands stood revised".split())


def _lives_lost(words: list[str], mention: Mention) -> bool:
    """"The lives of five people were lost", "12 lives were lost": they were killed."""
    if mention.victim_words[-1:] != ("lives",) and words[max(0, mention.start - 2):mention.start] != ["lives", "of"]:
        return False
    k = mention.end
    while k < len(words) and words[k] in AUXILIARY_GAP:
        k += 1
    return words[k:k + 1] == ["lost"]


_HOSPITAL = frozenset(["hospital", "hospitals"])
_STILL_IN = frozenset("is are was were remain remains remained still now both all".split())


def _in_hospital(words: list[str], k: int) -> bool:
    """"(sent / left / landed) 4 people (to / in) (the) hospital", "two men are in the hospital":
    they were injured."""
    while k < len(words) and words[k] in _STILL_IN:
        k += 1
    if words[k:k + 1] not in (["to"], ["in"]):
        return False
    k += 1
    if words[k:k + 1] in (["the"], ["a"], ["area"]):
        k += 1
    return k < len(words) and words[k] in _HOSPITAL


def _object_positions(words: list[str]) -> set[int]:
    """Token positions right after a killing or wounding verb (past its adverbs)."""
    positions = set()
    for k in range(len(words)):
        if words[k] not in _BEFORE_BY_LAST:
            continue
        match = _match_before(words, k)
        if match and match[1] in ("killed", "injured", "kidnapped"):
            j = k + 1
            while j < len(words) and words[j] in ACTIVE_GAP and (words[j] != "at" or words[j + 1:j + 2] == ["least"]):
                j += 1
            positions.add(j)
    return positions


_PREPOSITIONS = frozenset("by of with for in at from near to on into against".split())
_VERB_AUX = frozenset("were was have has had been are is".split())
_SINGLE_DETERMINERS = frozenset("a an his her one another its".split())
_SUBJECT_BREAKS = frozenset([",", ";", ":", "(", ")", "--", "when", "after", "before", "while",
                             "because", "as", "but", "said", "says", "that", "where", "if"])
_NON_VICTIM_SUBJECTS = frozenset("it this that which there what what's".split()) | NEGATED_SUBJECTS


def _link_bare_passives(tokens: list[Token], words: list[str], links: dict[int, Link]) -> None:
    """"X was killed" / "X and Y were shot dead" with no counted subject: one victim per
    coordinated singular subject, whatever the subject's words."""
    used = {link.trigger for link in links.values()}
    covered = [(link.mention.start, link.trigger) for link in links.values()]
    for aux in range(1, len(words)):
        if words[aux] not in ("was", "were", "been", "is") or not tokens[aux].text.islower():
            continue
        subject_end = aux
        before_aux = aux - 1
        if words[aux] == "been" and words[before_aux] in ("has", "have", "had") and aux >= 2:
            before_aux -= 1  # "Maria Lopez, the owner of the farm, has been murdered"
        if words[before_aux] == ",":  # "Andrey Karlov, Russia's ambassador to Turkey, was killed"
            opening = next((j for j in range(before_aux - 1, max(0, before_aux - 24), -1) if words[j] == ","), None)
            if opening is None:
                continue
            subject_end = opening
        elif words[aux - 1] in _SUBJECT_BREAKS:
            continue
        k = aux + 1
        while k < len(words) and words[k] in AUXILIARY_GAP:
            k += 1
        match = _match_after(words, k)
        if not match or match[3] in used or any(start <= aux <= trigger for start, trigger in covered):
            continue
        start = subject_end - 1
        while start > 0 and words[start - 1] not in _SUBJECT_BREAKS and subject_end - start < 12:
            start -= 1
        subject = words[start:subject_end]
        while subject and subject[-1] in AUXILIARY_GAP:
            subject.pop()
        if not subject or any(w in _NON_VICTIM_SUBJECTS for w in subject) or any(w[0].isdigit() for w in subject):
            continue
        victims = 1
        if words[aux] == "were" or (words[aux] == "been" and words[aux - 1] == "have"):
            parts = [p.split() for p in " ".join(subject).replace(" along with ", " and ").split(" and ")]
            if len(parts) < 2 or not all(p and (p[0] in _SINGLE_DETERMINERS or p[-1] in SINGULAR_PERSONS) for p in parts):
                continue
            victims = len(parts)
        end = start + len(subject)
        text = " ".join(t.text for t in tokens[start:end])
        mention = Mention(Count(victims, victims, "exact"), text, text, start, end, True, tuple(subject))
        links[start] = Link(mention, match[1], "after", match[3], match[2])
        used.add(match[3])


_DIED = frozenset("died dies succumbed".split())
_LATER = frozenset("later subsequently eventually afterwards".split())


def _shot_then_died(words: list[str], links: dict[int, Link]) -> None:
    """"A boy shot while hunting dies", "a man shot on Friday has died": one victim was shot and
    the same clause says he died, with no other death in the sentence: he was killed."""
    if any(link.outcome == "killed" for link in links.values()):
        return
    weak = [link for link in links.values() if link.mention.count.min == 1 and link.outcome == "injured"
            and (link.weak or link.mention.lone)]
    if len(weak) != 1:
        return
    link = weak[0]
    for k in range(link.trigger + 1, min(len(words), link.trigger + 16)):
        if words[k] in (".", ";", "but") or k in links:
            return
        if words[k] in _DIED and (link.weak or words[k - 1] in _LATER):
            # ("was injured in the attack and later succumbed to his wounds": killed as well)
            links[link.mention.start] = Link(link.mention, "killed", link.relation, link.trigger)
            return


_SPEECH_VERBS = frozenset("said says say told tells reported reports confirmed confirms added stated "
                          "explained noted announced claimed quoted".split())


def _list_continues(words: list[str], end: int) -> bool:
    """Whether "and" (or ", and") follows within a few words: "a farmer, a teacher and a
    student" is a list, "the village head, Chief Alfa Yayu" names one person twice."""
    for k in range(end, min(len(words), end + 6)):
        if words[k] in ("and", "&", "plus"):
            return True
        if words[k] in (".", ";", ":") or words[k] in _VERB_AUX:
            return False
    return False


_PHRASE_PREPOSITIONS = frozenset("from of in at on near with".split())


def _qualifying_phrase(between: list[str]) -> bool:
    """"from an electric company and": a short prepositional phrase, then "and"."""
    return 3 <= len(between) <= 8 and between[-1] == "and" and between[0] in _PHRASE_PREPOSITIONS \
        and all(w.isalpha() and w not in _CLAUSE_WORDS and w not in _OUTCOME_WORDS for w in between[1:-1])


def _coordinated(words: list[str], left: Mention, right: Mention, headline: bool = False) -> bool:
    if right.lone and ((words[right.end:right.end + 1] and words[right.end] in _SPEECH_VERBS)
                       or right.victim_words[-1:] and right.victim_words[-1] in _SPEECH_VERBS):
        return False  # "killing 17 civilians, a police officer said": the source, not a victim
    between = words[left.end:right.start]
    if between == [","] and left.count.vague and not right.count.vague and not right.lone:
        return False  # "there were several victims, 12 dead": the number says what "several" means
    if len(between) >= 3 and between[0] == "," and between[1].isdigit() and len(between[1]) <= 3:
        between = between[2:]  # "John Carter, 33, and Mary Carter": an age, not a group
    if left.lone and right.lone and between == [","] and not headline and not _list_continues(words, right.end):
        return False  # "killed Benjamin Okulto, 47, a candidate for mayor": one person, named twice
        # (a headline's comma is "and": "Woman, boyfriend killed in shooting")
    if "as" in between and "well" not in between:
        return False  # "hitting her daughter, as she drove past": a clause, not "as well as"
    if not right.lone and "other" in right.victim_words and _qualifying_phrase(between):
        return True  # "8 workers from a power company and 3 other people were found dead"
    if not between and left.lone and right.lone and right.victim_words[:1] and right.victim_words[0] in _POSSESSIVE \
            and words[right.end:right.end + 1] == ["were"]:
        return True  # "a councilwoman her driver were shot": the "and" left out, the verb plural
    if left.lone and right.lone and left.victims.split()[-1:] and left.victims.split()[-1][:1].isupper() \
            and _titled_name(words, between, right):
        return True  # "bass player Ana Ruiz and drummer Luis Soto were found dead"
    return bool(between) and len(between) <= 4 and all(w in _COORDINATORS for w in between) and (
        "and" in between or "," in between or "with" in between or "plus" in between)


_POSSESSIVE = frozenset("his her their".split())


def _titled_name(words: list[str], between: list[str], right: Mention) -> bool:
    """"and drummer Luis Soto": "and", a short lower-case title, then a name."""
    return 2 <= len(between) <= 4 and between[0] == "and" and right.victim_words[:1] != () \
        and right.victim_words[0] not in _ARTICLES and right.victim_words[0] not in PRONOUNS \
        and all(w.isalpha() and w not in _CLAUSE_WORDS and w not in _OUTCOME_WORDS and w not in NP_STOP
                for w in between[1:])


_CLAUSE_VERBS = _VERB_AUX | frozenset("could would will may might can should must did do does".split())
_OUTCOME_WORDS = (frozenset(_AFTER_BY_FIRST) | frozenset(_BEFORE_BY_LAST)) - {"of", "with", "another"}
_CLAUSE_WORDS = _VERB_AUX | _SPEECH_VERBS | frozenset(
    "who whom which that when while after before because as but if where".split())


def _object_list(words: list[str], left: Mention, right: Mention) -> bool:
    """"killed the dean of the Faculty of Sciences and two of her children": a lone object with
    a long description, then "and" another victim, all in one noun phrase list."""
    between = words[left.end:right.start]
    if not between or between[-1] != "and":
        return False
    if words[right.end:right.end + 1] and words[right.end] in _CLAUSE_VERBS:
        return False  # "shot her sister with a rifle and their father could face charges"
    inner = between[:-1]
    if inner and inner[-1] == ",":
        inner = inner[:-1]
    return len(inner) <= 10 and all((w.replace("'", "").replace("’", "").replace("-", "").isalpha() or w in "()")
                                    and w not in _CLAUSE_WORDS and w not in _OUTCOME_WORDS for w in inner)


_SURVIVED = frozenset("escaped survived survive escape narrowly managed were unhurt unharmed "
                      "uninjured rescued".split()) - {"were"}
_ONE_GROUP = frozenset("one a the same his her their single".split())
_REFLEXIVES = frozenset("himself herself themselves".split())


def _another_part_follows(words: list[str], k: int) -> bool:
    """"5 from one clan and 3 from the other": the parts of a breakdown (see below)."""
    for j in range(k, min(len(words) - 1, k + 6)):
        if words[j] in (".", ";"):
            return False
        if words[j] == "and" and (words[j + 1][:1].isdigit() or words[j + 1] in _COUNT_WORDS):
            return True
    return False


def _drop_reflexive_objects(words: list[str], links: dict[int, Link]) -> None:
    """"A jailed lawmaker killed himself": the object is the subject, one victim not two."""
    subjects = {link.trigger for link in links.values() if link.relation == "after"}
    for start, link in list(links.items()):
        if link.mention.lone and link.mention.victim_words[:1] and link.mention.victim_words[0] in _REFLEXIVES \
                and link.relation == "before" and link.trigger in subjects:
            del links[start]


def _suicide_joins_killing(links: dict[int, Link]) -> None:
    """"shot his wife to death and then killed himself": the killer is one more death, added
    to the killing before it in the sentence (one chain), not a restatement of it."""
    for start, link in sorted(links.items()):
        if link.outcome != "killed" or not link.mention.lone or link.mention.victim_words[:1] == () \
                or link.mention.victim_words[0] not in _REFLEXIVES:
            continue
        earlier = [other for s, other in links.items() if s < start and other.outcome == "killed" and not other.weak]
        if earlier and earlier[-1].trigger != link.trigger:
            links[start] = Link(link.mention, "killed", "coordinated", earlier[-1].trigger)


def _breakdowns_to_subgroups(links: dict[int, Link], subgroup_starts: set[int]) -> None:
    """"8 tribesmen killed, 5 from one clan and 3 from the other": elliptical figures that add up
    exactly to the figure before them break it down; they are sub-groups, not more victims."""
    ordered = sorted(links)
    i = 0
    while i < len(ordered):
        parent = links[ordered[i]]
        j = i + 1
        while j < len(ordered) and links[ordered[j]].relation == "elliptical":
            j += 1
        parts = [links[start] for start in ordered[i + 1:j]]
        if len(parts) >= 2 and sum(p.mention.count.min for p in parts) == parent.mention.count.min:
            for part in parts:
                del links[part.mention.start]
                subgroup_starts.add(part.mention.start)
        i = max(j, i + 1)


_INDEFINITE = (("a",), ("an",))


def _orphan_subgroup(words, mention, by_start, headline) -> Link | None:
    """A sub-group of an uncounted group ("Civilians, including two children, were killed"):
    the only count the sentence gives, so at least that many; linked to the verb after the
    apposition that holds it."""
    if (mention.lone and mention.victim_words[:1] not in _INDEFINITE) or mention.count.vague \
            or words[mention.end:mention.end + 1] not in ([","], ["-"], ["--"], [")"]):
        return None
    if not any(words[j] == "including" for j in range(max(0, mention.start - 3), mention.start)):
        return None
    closed = Mention(mention.count, mention.count_text, mention.victims, mention.start, mention.end + 1,
                     victim_words=mention.victim_words)
    link, _ = _link_after(words, closed, by_start, headline)
    return Link(mention, link.outcome, "after", link.trigger, link.weak) if link else None


_HOUSEHOLDS = frozenset("families households".split())


def _households_listed(words: list[str], left: Mention, right: Mention) -> bool:
    """"two families: four children and four parents": households counted, then their members
    after a dash or colon; the members are the victims."""
    return bool(left.victim_words) and left.victim_words[-1] in _HOUSEHOLDS and not right.lone \
        and words[left.end:right.start] in (["—"], ["--"], ["-"], [":"], ["–"])


def link_sentence(tokens: list[Token], person_starts: dict[int, int],
                  headline: bool = False) -> tuple[list[Link], dict[int, list[Mention]]]:
    """Links of one sentence and, per linked mention start, the sub-groups it contains.
    A ``headline`` drops auxiliaries ("Teen shot on Main Street"), so lone victims link without."""
    words = [t.lower for t in tokens]
    mentions = [m for m in find_mentions(tokens, person_starts, _object_positions(words), headline)
                if not (m.start and words[m.start - 1] in NEGATED_SUBJECTS)]
    by_start = {m.start: m for m in mentions}
    links: dict[int, Link] = {}
    subgroup_starts: set[int] = set()
    contained: dict[int, list[Mention]] = {}
    for mention in mentions:
        if mention.start in subgroup_starts:
            continue
        if _is_subgroup(words, mention):
            subgroup_starts.add(mention.start)
            continue
        link, appositive_end = _link_after(words, mention, by_start, headline)
        inside = [m for m in mentions if mention.end <= m.start < appositive_end]
        if link is None or link.weak:  # "the bodies of 2 civilians with gunshot wounds"
            before = _link_before(words, mention)
            if link is None or (before is not None and not before.weak):
                link = before
        elif appositive_end > mention.end and words[mention.end] in _TAIL_STARTS:
            # "killed five people from a group of eight abducted": the verb right before the
            # count governs it, not one at the end of its qualifying tail
            before = _link_before(words, mention)
            if before is not None and not before.weak and before.outcome != link.outcome:
                link = before
        if link is None:
            link = _link_long_subject(words, mention, by_start)
        if link is None and mention.victim_words[-1:] and mention.victim_words[-1] in _TOLL_HEADS \
                and not mention.count.vague:  # "1 military fatality", "one death", "10 civilian casualties"
            link = Link(mention, "killed", "after", mention.end)  # (casualties as coders record them)
        if link is None and _lives_lost(words, mention):
            link = Link(mention, "killed", "after", mention.end)
        if link is None and (any(w in BODY_WORDS for w in mention.victim_words)
                             or (mention.lone and mention.victim_words[-1] in BODY_HEADS)):
            link = Link(mention, "killed", "after", mention.end)
        if link is None and not mention.lone and words[mention.end:mention.end + 1] == ["fatally"] \
                and _match_after(words, mention.end) is None:
            link = Link(mention, "killed", "after", mention.end)  # "four were shot, one fatally"
        if link is None and not mention.lone and _in_hospital(words, mention.end):
            link = Link(mention, "injured", "after", mention.end)  # "sent 4 people to the hospital"
        if link:
            links[mention.start] = link
            if inside:
                contained[mention.start] = inside
                subgroup_starts.update(m.start for m in inside)
    ordered = [m for m in mentions if m.start not in subgroup_starts]
    for left, right in zip(ordered, ordered[1:]):  # active chains run forwards
        if left.start in links and right.start not in links and _households_listed(words, left, right):
            first = links.pop(left.start)  # "killing two families: four children and four parents"
            links[right.start] = Link(right, first.outcome, "coordinated", first.trigger, first.weak)
        elif left.start in links and right.start not in links \
                and _coordinated(words, left, right, headline) \
                and links[left.start].relation in ("before", "coordinated"):
            first = links[left.start]
            links[right.start] = Link(right, first.outcome, "coordinated", first.trigger, first.weak)
    described: set[int] = set()
    for i, left in enumerate(ordered):  # "killed the dean of the Faculty ... and two of her children"
        link = links.get(left.start)
        if link is None or not left.lone or link.relation != "before":
            continue
        right = next((m for m in ordered[i + 1:] if m.start and words[m.start - 1] == "and"), None)
        if right is not None and right.start not in links and _object_list(words, left, right):
            links[right.start] = Link(right, link.outcome, "coordinated", link.trigger, link.weak)
            described.update(m.start for m in ordered if left.start < m.start < right.start)
    ordered = [m for m in ordered if m.start not in described]  # names inside the description
    for left, right in reversed(list(zip(ordered, ordered[1:]))):  # passive chains run backwards
        if right.start in links and left.start not in links and _coordinated(words, left, right, headline) \
                and links[right.start].relation in ("after", "coordinated"):
            last = links[right.start]
            links[left.start] = Link(left, last.outcome, "coordinated", last.trigger, last.weak)
    _link_bare_passives(tokens, words, links)
    _shot_then_died(words, links)
    previous: Link | None = None
    for mention in ordered:
        if mention.start in links:
            previous = links[mention.start]
            continue
        before = words[mention.start - 1] if mention.start else ""
        after = words[mention.end] if mention.end < len(words) else "."
        if mention.start > 1 and words[mention.start - 2:mention.start] in (["along", "with"], ["together", "with"]):
            earlier = max((s for s in links if s < mention.start), default=None)
            previous = links[earlier] if earlier is not None else None  # (a bare passive's subject too)
        if previous and mention.start > 1 and words[mention.start - 2:mention.start] in (["along", "with"], ["together", "with"]):
            links[mention.start] = Link(mention, previous.outcome, "coordinated", previous.trigger, previous.weak)
            previous = links[mention.start]
            continue
        bare = not mention.victim_words or mention.victim_words[-1] in ("more", "others")
        if previous and not mention.lone and before in ("and", "while", ",", "another", "plus") \
                and ((bare and after in _ELLIPSIS_FOLLOWERS) or (after == "by" and person_like(mention.victim_words))):
            resumed = _skip_apposition(words, mention.end)
            if resumed < len(words) and words[resumed] in _SURVIVED:
                continue  # "6 were killed and 4 others, including a girl, escaped": survivors
            if before == "," and after == "from" and words[mention.end + 1:mention.end + 2] \
                    and words[mention.end + 1] in _ONE_GROUP and not _another_part_follows(words, mention.end):
                subgroup_starts.add(mention.start)  # "13 were killed, seven from one family"
                continue
            if previous.relation == "before" and previous.trigger == previous.mention.start:
                # "put the death toll at 40, 49, possibly 60": other estimates, each a toll
                links[mention.start] = Link(mention, previous.outcome, "before", mention.start, update=previous.update)
            else:
                links[mention.start] = Link(mention, previous.outcome, "elliptical", mention.start, previous.weak)
            previous = links[mention.start]
    _drop_reflexive_objects(words, links)
    _suicide_joins_killing(links)
    _breakdowns_to_subgroups(links, subgroup_starts)
    for start in sorted(subgroup_starts):
        if not links:  # "Many others, including a beggar, sustained fatal injuries": no counted group
            orphan = _orphan_subgroup(words, by_start[start], by_start, headline)
            if orphan is not None:
                links[start] = orphan
                continue
        parent = max((s for s in links if s < start), default=None)
        if parent is None:
            parent = min((s for s in links if s > start), default=None)
        if parent is not None and all(start != m.start for m in contained.get(parent, [])):
            contained.setdefault(parent, []).append(by_start[start])
    return sorted(links.values(), key=lambda link: link.mention.start), contained


def victim_type(words: tuple[str, ...]) -> str:
    for word in reversed(words):
        if word in VICTIM_TYPE_OF_WORD:
            return VICTIM_TYPE_OF_WORD[word]
    return "unknown"


_OTHERS = frozenset(["other", "others"])


def _phrase_set(*texts: str) -> list[tuple[str, ...]]:
    return [tuple(text.split()) for text in texts]
_NEXT_INCIDENT = _phrase_set("later", "separately", "elsewhere", "in a separate", "in another",
                             "earlier on", "earlier that", "earlier in the day", "earlier the same")
_TIME_UNITS = frozenset("hours hour days day minutes weeks week months month".split())


_CAME = frozenset("came comes coming".split())
_SPAN_WORDS = frozenset("just only barely about some few several".split()) | _COUNT_WORDS


def _came_after(words: list[str]) -> bool:
    """"The attack came barely 12 hours after gunmen killed ...", "This is coming a few days after
    ...": the sentence tells an earlier incident, added to the toll."""
    for k, word in enumerate(words):
        if word in _CAME:
            j = k + 1
            while j < len(words) and j - k <= 4 and (words[j] in _SPAN_WORDS or words[j] == "a" or words[j].isdigit()):
                j += 1
            if j > k + 1 and words[j:j + 1] and words[j] in _TIME_UNITS and words[j + 1:j + 2] == ["after"]:
                return True
    return False


def _opens_another_incident(words: list[str]) -> bool:
    """A sentence that opens with "Later (on the same day)", "In a separate attack", "Elsewhere":
    its figures are another incident's, added to the toll."""
    if any(tuple(words[:len(p)]) == p for p in _NEXT_INCIDENT) or _came_after(words):
        return True
    return len(words) > 2 and words[1] in _TIME_UNITS \
        and words[2] in ("later", "earlier", "prior", "before")  # "Two days later", "A week earlier"


# After "another", words that make it another source, not another victim group.
_ANOTHER_SOURCE = frozenset("said says say told reported reports indicated indicates suggested suggests "
                            "estimated estimates put puts claimed claims stated noted account accounts "
                            "report source sources estimate tally count figure official officials group "
                            "monitor witness".split())


def _date_opener(tokens: list[Token]) -> tuple[str, ...] | None:
    """"On 25 July,", "On the 20th,": the date a sentence opens with. Sentences with figures that
    open with different dates report different incidents (a chronology), added together."""
    words = [t.lower for t in tokens[:7]]
    if not words or words[0] != "on" or "," not in words:
        return None
    opener = tuple(words[1:words.index(",")])
    return opener if opener and any(w[:1].isdigit() or w in MONTHS for w in opener) else None


_ORDINAL_SUFFIXES = frozenset("st nd rd th".split())
_DAY_REPORTERS = frozenset("said says say told tells reported reports confirmed confirms announced added stated "
                           "since until till by from before after".split())


def _sentence_day(words: list[str]) -> str | None:
    """The day a sentence dates its events by: a weekday ("on Sunday", "Tuesday night") or a
    calendar day ("on 3 May", "May 3", "on the 13th"), not the day someone said it ("police said
    Monday") nor a bound ("since Friday"). None when the sentence names no day."""
    for k, word in enumerate(words):
        day = None
        bare = word[:-2] if word.endswith(("'s", "’s")) else word
        if bare in WEEKDAYS:
            day = bare
        elif word.isdigit() and len(word) <= 2 and 1 <= int(word) <= 31:
            if k + 1 < len(words) and words[k + 1] in MONTHS:
                day = f"{words[k + 1][:3]} {int(word)}"
            elif k and words[k - 1] in MONTHS:
                day = f"{words[k - 1][:3]} {int(word)}"
            elif k and words[k - 1] == "the" and words[k + 1:k + 2] and words[k + 1] in _ORDINAL_SUFFIXES:
                day = f"the {int(word)}"
        if day is None:
            continue
        back = [w for w in words[max(0, k - 3):k] if w not in ("on", "the", "last", "early", "late", ",")]
        if back and back[-1] in _DAY_REPORTERS:
            continue
        return day
    return None


def _additive(words: list[str], link: Link, earlier_outcomes: set[str] = frozenset()) -> bool:
    """Whether the figure adds to what was reported before. "Others" after a figure of another
    outcome in its sentence ("killing 3 men and wounding two others"), after a chained victim or
    after "the" means other than those, not more than earlier reports."""
    window = words[max(0, link.mention.start - 3):max(link.mention.end, link.trigger)]
    markers = {w for i, w in enumerate(window) if w in ADDITIVE_MARKERS
               and not (w == "more" and window[i + 1:i + 2] == ["than"])}  # "more than 140": a qualifier
    low = max(0, link.mention.start - 3)
    if "another" in markers and all(words[j + 1:j + 2] and words[j + 1] in _ANOTHER_SOURCE
                                    for j in range(low, low + len(window)) if words[j] == "another"):
        markers.discard("another")  # "Another (account) indicated 52 were killed": another source
    if link.mention.lone and link.mention.victim_words[:2] == ("the", "other"):
        markers.discard("other")  # "one of the boys shot the other": one of a pair, not more
    if markers and markers <= _OTHERS and (
            earlier_outcomes - {link.outcome}        # "1 killed and 3 others wounded"
            or link.relation == "coordinated"        # "a boy and a dozen other people"
            or (link.mention.start and words[link.mention.start - 1] == "the")):  # "the six others"
        markers = set()
    return link.relation == "elliptical" or bool(markers) \
        or (len(window) >= 2 and window[-2:] == ["as", "well"])


def _sentence_figures(tokens, links, contained, sentence, sentence_start, published, entities,
                      sentence_index, in_title, body=None, new_date=False, reported=frozenset(),
                      untitled=False):
    words = [t.lower for t in tokens]
    period = context.cumulative_period(sentence, published)
    shared = {
        "cause": context.cause_of(sentence),
        "perpetrator": context.perpetrator_of(sentence, sentence_start, entities, body),
        "locations": context.locations_of(sentence, sentence_start, entities),
        "date": context.incident_date(sentence, published),
        "period": period,
        "cumulative": period is not None,
        "according_to": context.source_of(sentence),
        # Title figures keep their sentence but have no body span: ``field`` says which text
        # the evidence comes from, so consumers never read null offsets as a body position.
        "evidence": {"sentence": sentence, "field": "title" if in_title else "body",
                     "start": None if in_title else sentence_start,
                     "end": None if in_title else sentence_start + len(sentence)},
    }
    figures = []
    next_incident = new_date or _opens_another_incident(words)
    earlier_outcomes: set[str] = set()
    for link in links:
        mention = link.mention
        if period is not None:
            clause = context.clause_around(sentence, tokens[mention.start].start - sentence_start)
            own_period = context.cumulative_period(clause, published)
        else:
            own_period = None
        figure = {
            "outcome": link.outcome,
            "count": mention.count.as_dict(mention.count_text),
            "victims": mention.victims,
            "victim_type": victim_type(mention.victim_words),
            "subgroups": [{"count": sub.count.as_dict(sub.count_text), "victims": sub.victims,
                           "victim_type": victim_type(sub.victim_words)}
                          for sub in contained.get(mention.start, [])],
            **shared,
            "period": own_period,
            "cumulative": own_period is not None,
            "in_incident_total": False,
        }
        additive = next_incident or _additive(words, link, earlier_outcomes)
        if untitled and link.outcome == "killed" and "injured" in reported and "killed" in reported \
                and _died_of_wounds(words, link):
            additive = True  # "Five were killed and 25 wounded. ... in hospital, where one victim died"
        rank = _ordinal_rank(link, links) if link.outcome in reported else 0
        if rank:  # "a sixth protester died": the toll is now six, not one more
            figure["count"] = Count(rank, rank, "exact").as_dict(mention.count_text)
            additive = False
        figures.append((figure, _Meta(sentence_index, link.trigger, additive,
                                      link.update, link.weak, mention.lone, in_title)))
        earlier_outcomes.add(link.outcome)
    return figures


_AFTERWARDS = frozenset("hospital hospitals later wounds injuries afterwards subsequently".split())


def _died_of_wounds(words: list[str], link: Link) -> bool:
    """A counted victim who died afterwards ("taken to hospital, where one victim died", "one of
    the wounded later succumbed"): one of the wounded reported before, a death not yet counted."""
    mention = link.mention
    if mention.lone or mention.count.vague or link.relation != "after" or not 0 <= link.trigger < len(words) \
            or words[link.trigger] not in _DIED:
        return False
    return any(w in _AFTERWARDS for w in words[max(0, mention.start - 8):link.trigger + 6])


_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12}


def _ordinal_rank(link: Link, links: list[Link]) -> int:
    """"A sixth protester died", "a third victim has died": a lone victim counted by rank names
    the toll reached (6, 3), when no other victim shares the trigger (and, see the caller, an
    earlier sentence reported that outcome: else "a second activist killed this month" is one)."""
    words = link.mention.victim_words
    if not link.mention.lone or len(words) < 3 or words[0] not in ("a", "the") or words[1] not in _ORDINALS \
            or link.relation != "after" or any(o is not link and o.trigger == link.trigger for o in links):
        return 0
    return _ORDINALS[words[1]]


@dataclass(frozen=True)
class _Meta:
    """What the summary needs beyond the public figure: where it sits and how it relates."""

    sentence: int
    chain: int
    additive: bool
    update: bool
    weak: bool
    lone: bool
    in_title: bool


def _person_starts(tokens: list[Token], entities: list[dict] | None) -> dict[int, int]:
    """Token spans of PERSON entities: token start index -> token end index."""
    if not entities:
        return {}
    starts = {}
    index_of_start = {t.start: i for i, t in enumerate(tokens)}
    for entity in entities:
        if not isinstance(entity, dict) or entity.get("label") != "PERSON":
            continue
        first = index_of_start.get(entity.get("start"))
        if first is None:
            continue
        last = first
        while last < len(tokens) and tokens[last].end <= (entity.get("end") or 0):
            last += 1
        if last > first:
            starts[first] = last
    return starts


# Every link needs one of these words in its sentence: a trigger's first word after the victims,
# its last word before them, "(to) death", "lives", a toll word, or a body word. A sentence
# without any of them is not linked at all (most sentences of a long page).
_LINK_WORDS = frozenset(_AFTER_BY_FIRST) | frozenset(_BEFORE_BY_LAST) | BODY_WORDS \
    | {"death", "lives", "toll", "fatalities", "deaths", "casualty", "casualties", "fatality"} | _CLAIMED


def _may_link(tokens: list[Token]) -> bool:
    return any(t.lower in _LINK_WORDS for t in tokens)


def _name_words(figure: dict, persons: set[str]) -> set[str]:
    """The words of the person's name a lone victim holds ("Baz Muhammad Kakar"), else empty."""
    victims = figure["victims"]
    return {w.lower() for person in persons if person in victims for w in person.split() if w[:1].isalpha()}


def _another_name(figure: dict, earlier: list, persons: set[str]) -> bool:
    """"Bar president Ali Khan was gunned down. Former president Omar Baig was injured and later
    succumbed": a killed victim named with no word of the names killed before is someone else
    (in an untitled description, named by the entity stage)."""
    names = _name_words(figure, persons)
    killed = [f for f, _ in earlier if f["outcome"] == "killed" and not f["cumulative"]]
    if figure["outcome"] != "killed" or not names or not killed:
        return False
    before = [_name_words(f, persons) for f in killed]
    return all(b and not (b & names) for b in before)


def extract_figures(body: str, title: str | None, published_at: str | None,
                    entities: list[dict] | None) -> list[tuple[dict, _Meta]]:
    """Every figure of the title (first, never added) and the body, with summary metadata."""
    published = context.parse_published(published_at)
    figures = []
    units = [(title, 0, True)] if title else []
    units += [(body[start:end], start, False) for start, end in split_sentences(body)]
    seen: set[str] = set()
    persons = {body[e["start"]:e["end"]] for e in entities or () if e.get("label") == "PERSON"
               and 0 <= e["start"] < e["end"] <= len(body) and " " in body[e["start"]:e["end"]].strip()}
    last_opener = None
    days: set[str] = set()
    for index, (sentence, start, in_title) in enumerate(units):
        key = " ".join(sentence.lower().split())
        if key in seen and not in_title:
            continue  # page boilerplate repeats paragraphs: a repeated sentence reports nothing new
        seen.add(key)
        tokens = tokenize(sentence, start)
        if not tokens or not _may_link(tokens):
            continue
        links, contained = link_sentence(tokens, {} if in_title else _person_starts(tokens, entities), in_title)
        if links:
            opener = _date_opener(tokens)
            new_date = opener is not None and last_opener is not None and opener != last_opener
            last_opener = opener or last_opener
            day = None if title else _sentence_day([t.lower for t in tokens])
            if day is not None and days and day not in days and not (
                    all(link.mention.lone and link.mention.victim_words[:1] not in _INDEFINITE for link in links)
                    and all(meta.lone for _, meta in figures)):  # (but "a suspect" is someone new)
                new_date = True  # "... killed four on Sunday. ... killed a farmer on Tuesday": two incidents
            if day is not None:
                days.add(day)
            found = _sentence_figures(tokens, links, contained, sentence, start, published,
                                      None if in_title else entities, index, in_title, body, new_date,
                                      {figure["outcome"] for figure, _ in figures}, not title)
            if not title and persons:
                found = [(figure, replace(meta, additive=True)) if _another_name(figure, figures, persons)
                         else (figure, meta) for figure, meta in found]
            figures += found
    return figures
