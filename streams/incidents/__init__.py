"""Incidents recognised across reports, so that an incident reported many times is counted once.

Pure functions over plain dicts (no Kafka here, except `agent.py` and `view.py`):
* `report.incident_report(enriched)`: what one article says about its incident (toll, place and region, day,
  named victims, a bag of words and entities, the fresh and aftermath cues);
* `matcher`: the score of a report against an incident of its region (the country) and the rule that joins or
  opens;
* `toll`: an incident's toll from its sources (explicit updates supersede, independent estimates give the
  range, totals use `min`, the lower bound a majority of the reports reach);
* `record`: the published record derived from the incident's reports (follow-ups add nothing of their own);
* `state.apply_report(region_state, report)`: the region state after the report (open incidents only: old ones
  close), the records to publish and the incident states to write back;
* `scoring`: the offline score on the GVA incident pages; `agent`: the faust stage and its two tables; `view`:
  the live incidents of the whole `incidents` topic, behind `/api/incidents`; `totals`: `/api/casualties` counted
  by incident; `export`: the live incidents as CSV or Parquet (`streams export incidents`). docs/incidents.md.

The record (schema `streams/contract/schemas/incident.v1.json`): `id` (stable, from the region and the first
report), `version`, `region`, `place`, `day`, `first_reported`, `last_reported`, `counted`, `killed`, `injured` and
`tolls` ({min, max, reports} per outcome), `sources` (each article with what it said, its evidence, whether it is
a report or a follow-up and which of its outcomes a later update superseded), `articles`, `figures`, `victims`,
`merged_into` (null) and `merged_from`; an absorbed incident's last record carries only `merged_into`.
"""
