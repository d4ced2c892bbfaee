"""The article's incident toll from its figures, without double counting.

Rules, applied per outcome to figures in reading order (title first):
* figures governed by one trigger ("5 soldiers and 3 civilians were killed") form a chain and
  are added; so are figures marked as additional ("3 more", "another 6", "also killed", the
  elliptical "and 3 by IEDs");
* anything else restates or revises the same toll (another source, a later sentence, the title),
  so the larger value is kept, and an explicit update ("the death toll rose to 50", "fatalities
  coded as 10") replaces what came before;
* when the title states a toll for an outcome, it names the incident the article is about
  (pages often report several shootings): the title's figures win over the body's, except for
  an explicit later update ("the toll rose to 5");
* victims, not perpetrators: attackers named as such ("suicide bombers", "assailants") killed in
  the same chain as other victims are left out ("ten people were killed along with two suicide
  bombers" -> 10). Suspects, gunmen, security forces and militants killed are counted (ACLED and
  GVA count them; the issue's "5 soldiers and 3 civilians" -> 8). WAD coders often count only
  civilians where soldiers or police die with them; that reading is not applied (see README.md);
* cumulative tolls over a period stay out and are listed under ``cumulative``; sub-groups are
  never counted;
* weak injuries (a victim "was shot", or a lone victim "was wounded" in a sentence without deaths)
  may include the people who then died, so they count only beyond the killed toll, and only when
  that exceeds the explicit injured toll ("6 shot, 1 dead" -> 5 injured).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from streams.casualties.knowledge import words
from streams.casualties.outliers import leave_out_outliers


@dataclass
class _Toll:
    min: int = 0
    max: int | None = 0
    members: list[int] = field(default_factory=list)
    vague: bool = False  # every member a vague word ("scores", "several"): a convention, not a count

    def plus(self, other: _Toll) -> _Toll:
        high = None if self.max is None or other.max is None else self.max + other.max
        return _Toll(self.min + other.min, high, self.members + other.members, self.vague and other.vague)


# Who carried out the attack, when named as such ("along with two suicide bombers").
_PERPETRATOR_WORDS = words("perpetrators")


def _victims_only(figures, members):
    """Members of one chain that are the incident's victims: perpetrators named as such and
    killed alongside their victims ("ten people were killed along with two suicide bombers") are
    not part of its toll. Suspects and gunmen stay (a shooting's toll counts the shooter)."""
    perpetrator = [any(w.lower() in _PERPETRATOR_WORDS for w in figures[i][0]["victims"].split()) for i in members]
    if any(perpetrator) and not all(perpetrator):
        return [i for i, is_perpetrator in zip(members, perpetrator, strict=False) if not is_perpetrator]
    return members


def _attackers_within(figure) -> int:
    """Attackers counted inside a figure's total ("11 people, including 8 civilians and 3
    assailants"): they are not its victims. Only when other sub-groups are named beside them."""
    subgroups = figure.get("subgroups") or []
    attackers = [sub for sub in subgroups if any(w.lower() in _PERPETRATOR_WORDS for w in sub["victims"].split())]
    if not attackers or len(attackers) == len(subgroups):
        return 0
    total = sum(sub["count"]["min"] for sub in attackers)
    return total if total < figure["count"]["min"] else 0


def _named_within(figure) -> dict:
    """ "Several militants, including their commander, were killed": a vague word with counted
    sub-groups is as many as those are known to be (1), not the vague word's convention (3)."""
    count, subgroups = figure["count"], figure.get("subgroups") or []
    if not count.get("vague") or not subgroups or any(sub["count"].get("vague") for sub in subgroups):
        return count
    known = sum(sub["count"]["min"] for sub in subgroups)
    return {**count, "min": known, "max": None} if known > 0 else count


def _chains(figures, indices):
    """Figures grouped by (sentence, trigger), in reading order, each with its additive flags."""
    grouped: dict[tuple[int, int], list[int]] = {}
    for index in indices:
        meta = figures[index][1]
        grouped.setdefault((meta.sentence, meta.chain), []).append(index)
    chains = []
    for key in sorted(grouped):
        members = _victims_only(figures, grouped[key])
        toll = _Toll()
        for index in members:
            count = _named_within(figures[index][0])
            attackers = _attackers_within(figures[index][0])
            high = None if count["max"] is None else max(0, count["max"] - attackers)
            part = _Toll(max(0, count["min"] - attackers), high, [index], bool(count.get("vague")))
            toll = part if not toll.members else toll.plus(part)
        metas = [figures[i][1] for i in members]
        chains.append(
            (toll, any(m.additive for m in metas), any(m.update for m in metas), all(m.in_title for m in metas), key[0])
        )
    return _drop_breakdowns(chains)


def _drop_breakdowns(chains):
    """ "Bombardments killed six civilians. Four were killed in X. Another was killed in Y, while
    a sixth died in Z": figures in later sentences that add up exactly to an earlier toll (two
    or more of them, none an update) break it down; they are not more victims. So do the parts
    of one later chain ("Two village heads, a chairman and two others were killed")."""
    dropped: set[int] = set()
    for i, (toll, _, _, _, sentence) in enumerate(chains):
        if i in dropped or toll.min < 2:
            continue
        total, parts, members = 0, [], 0
        for j in range(i + 1, len(chains)):
            part, _, update, _, part_sentence = chains[j]
            if part_sentence == sentence:
                continue
            if update or j in dropped:
                break
            total += part.min
            members += len(part.members)
            parts.append(j)
            if total >= toll.min:
                break
        if total == toll.min and members >= 2:
            dropped.update(parts)
    return [chain[:4] for k, chain in enumerate(chains) if k not in dropped]


def _fold(figures, indices) -> _Toll:
    chains = _chains(figures, indices)
    leading = 0
    while leading < len(chains) and chains[leading][3]:
        leading += 1
    if leading:  # the title names the incident the article is about: its figures win
        title = _fold_chains(chains[:leading])
        for toll, _, update, _ in chains[leading:]:
            if update and toll.min > title.min:  # "the death toll rose to 5" still revises it
                title = toll
        return title
    return _fold_chains(chains)


def _fold_chains(chains) -> _Toll:
    running, only_title = _Toll(), True
    for toll, additive, update, in_title in chains:
        if update or not running.members:
            running = toll
        elif additive and not in_title and not only_title:
            running = running.plus(toll)
        elif (toll.min > running.min and not (toll.vague and not running.vague)) or (running.vague and not toll.vague):
            running = toll  # a number beats a vague word restating the toll ("scores" vs "10")
        only_title = only_title and in_title
    return running


def _is_weak_injury(figure, meta, killed_sentences) -> bool:
    return meta.weak or (meta.lone and meta.sentence not in killed_sentences)


def _share(toll: _Toll, split: tuple[int, int | None]) -> _Toll:
    """This event's part of a toll split among ``events`` coded events: the stated share, else
    the toll divided and rounded (half to even, as "1 fatality split among 12 events" is 0)."""
    events, stated = split
    if stated is not None:
        return _Toll(stated, stated, toll.members)
    high = None if toll.max is None else round(toll.max / events)
    return _Toll(round(toll.min / events), high, toll.members)


def summarise(figures, split: tuple[int, int | None] | None = None) -> dict:
    """The summary dict; marks ``in_incident_total`` on the figures it counts. ``split``: the
    text says its deaths are split among several coded events (see ``_share``)."""
    leave_out_outliers(figures)
    incident = [i for i, (figure, _) in enumerate(figures) if not figure["cumulative"] and "left_out" not in figure]
    killed_indices = [i for i in incident if figures[i][0]["outcome"] == "killed"]
    killed = _fold(figures, killed_indices)
    if split is not None:
        killed = _share(killed, split)
    killed_sentences = {figures[i][1].sentence for i in killed_indices}
    injured_indices = [i for i in incident if figures[i][0]["outcome"] == "injured"]
    strong_chains = {
        (figures[i][1].sentence, figures[i][1].chain)
        for i in injured_indices
        if not figures[i][1].weak and not figures[i][1].lone
    }
    # a lone victim chained with a counted group ("wounded an 8-year-old, 2 others") is one of them
    weak = [
        i
        for i in injured_indices
        if _is_weak_injury(figures[i][0], figures[i][1], killed_sentences)
        and not (not figures[i][1].weak and (figures[i][1].sentence, figures[i][1].chain) in strong_chains)
    ]
    strong = _fold(figures, [i for i in injured_indices if i not in weak])
    weak_toll = _fold(figures, weak)
    injured = strong
    beyond_killed = weak_toll.min - killed.min
    if beyond_killed > strong.min:
        high = None if weak_toll.max is None else max(beyond_killed, weak_toll.max - killed.min)
        injured = _Toll(beyond_killed, high, weak_toll.members)
    for index in killed.members + injured.members:
        figures[index][0]["in_incident_total"] = True
    cumulative = [
        {
            "outcome": figure["outcome"],
            "min": figure["count"]["min"],
            "max": figure["count"]["max"],
            "according_to": figure["according_to"],
            "period": figure["period"],
        }
        for figure, _ in figures
        if figure["cumulative"]
    ]
    return {
        "killed": {"min": killed.min, "max": killed.max},
        "injured": {"min": injured.min, "max": injured.max},
        "cumulative": cumulative,
    }
