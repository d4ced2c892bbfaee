"""The article's incident toll from its figures, without double counting.

Rules, applied per outcome to figures in reading order (title first):
* figures governed by one trigger ("5 soldiers and 3 civilians were killed") form a chain and
  are added; so are figures marked as additional ("3 more", "another 6", "also killed", the
  elliptical "and 3 by IEDs");
* anything else restates or revises the same toll (another source, a later sentence, the title),
  so the larger value is kept, and an explicit update ("the death toll rose to 50", "fatalities
  coded as 10") replaces what came before;
* cumulative tolls over a period stay out and are listed under ``cumulative``; sub-groups are
  never counted;
* weak injuries (a victim "was shot", or a lone victim "was wounded" in a sentence without deaths)
  may include the people who then died, so they count only beyond the killed toll, and only when
  that exceeds the explicit injured toll ("6 shot, 1 dead" -> 5 injured).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class _Toll:
    min: int = 0
    max: int | None = 0
    members: list[int] = field(default_factory=list)

    def plus(self, other: "_Toll") -> "_Toll":
        high = None if self.max is None or other.max is None else self.max + other.max
        return _Toll(self.min + other.min, high, self.members + other.members)


def _chains(figures, indices):
    """Figures grouped by (sentence, trigger), in reading order, each with its additive flags."""
    grouped: dict[tuple[int, int], list[int]] = {}
    for index in indices:
        meta = figures[index][1]
        grouped.setdefault((meta.sentence, meta.chain), []).append(index)
    chains = []
    for key in sorted(grouped):
        members = grouped[key]
        toll = _Toll()
        for index in members:
            count = figures[index][0]["count"]
            toll = toll.plus(_Toll(count["min"], count["max"], [index]))
        metas = [figures[i][1] for i in members]
        chains.append((toll, any(m.additive for m in metas), any(m.update for m in metas),
                       all(m.in_title for m in metas)))
    return chains


def _fold(figures, indices) -> _Toll:
    running, only_title = _Toll(), True
    for toll, additive, update, in_title in _chains(figures, indices):
        if update or not running.members:
            running = toll
        elif additive and not in_title and not only_title:
            running = running.plus(toll)
        elif toll.min > running.min:
            running = toll
        only_title = only_title and in_title
    return running


def _is_weak_injury(figure, meta, killed_sentences) -> bool:
    return meta.weak or (meta.lone and meta.sentence not in killed_sentences)


def summarise(figures) -> dict:
    """The summary dict; marks ``in_incident_total`` on the figures it counts."""
    incident = [i for i, (figure, _) in enumerate(figures) if not figure["cumulative"]]
    killed_indices = [i for i in incident if figures[i][0]["outcome"] == "killed"]
    killed = _fold(figures, killed_indices)
    killed_sentences = {figures[i][1].sentence for i in killed_indices}
    injured_indices = [i for i in incident if figures[i][0]["outcome"] == "injured"]
    weak = [i for i in injured_indices if _is_weak_injury(*figures[i], killed_sentences)]
    strong = _fold(figures, [i for i in injured_indices if i not in weak])
    weak_toll = _fold(figures, weak)
    injured = strong
    beyond_killed = weak_toll.min - killed.min
    if beyond_killed > strong.min:
        high = None if weak_toll.max is None else max(beyond_killed, weak_toll.max - killed.min)
        injured = _Toll(beyond_killed, high, weak_toll.members)
    for index in killed.members + injured.members:
        figures[index][0]["in_incident_total"] = True
    cumulative = [{"outcome": figure["outcome"], "min": figure["count"]["min"],
                   "max": figure["count"]["max"], "according_to": figure["according_to"],
                   "period": figure["period"]}
                  for figure, _ in figures if figure["cumulative"]]
    return {"killed": {"min": killed.min, "max": killed.max},
            "injured": {"min": injured.min, "max": injured.max},
            "cumulative": cumulative}
