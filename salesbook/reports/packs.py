"""Which reviews go to whom: one file per rep, or one pack per region or manager, by the reporting line.

The reporting line is what the book says: ``Reps.region_id`` and ``Reps.manager_id`` (a rep's direct
manager), and ``Regions.manager_id`` (who runs a region).

- rep: each rep's own review, for that rep.
- region: for each region with reps, its region review and the reviews of its reps, for the region's
  manager; a rep of the region who stands above that manager (the director sitting in the region) is
  left out, so no one reads their superior's pay.
- manager: for each manager, the reviews of their direct reports, and the review of each region they run.

A rep whose review lands in no pack is named in a warning; a pack nobody can open (a region without a
manager) is an error before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from salesbook.errors import Problem, problem
from salesbook.messages import Listing

PACK_PERS = ("rep", "region", "manager")


@dataclass(frozen=True)
class Pack:
    kind: str                    # rep, region or manager
    key: str                     # the rep, region or manager it is made for
    owner: str                   # rep_id of the one person who opens it
    regions: tuple[str, ...]     # region reviews inside, first
    reps: tuple[str, ...]        # rep reviews inside, by rep_id
    hidden: frozenset[str] = frozenset()   # reps left out of the region reviews inside: the owner's superiors

    @property
    def reviews(self) -> int:
        return len(self.regions) + len(self.reps)


def _id(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def managers_of(reps: pd.DataFrame) -> dict[str, str]:
    """rep_id -> direct manager's rep_id (reps without a manager are left out)."""
    out = {}
    for rep, manager in zip(reps["rep_id"], reps["manager_id"], strict=True):
        r, m = _id(rep), _id(manager)
        if r and m:
            out[r] = m
    return out


def superiors(rep: str, manager_of: Mapping[str, str]) -> list[str]:
    """Everyone above ``rep`` in the reporting line, nearest first (a loop in the data stops the walk)."""
    chain: list[str] = []
    current = manager_of.get(rep)
    while current is not None and current not in chain and current != rep:
        chain.append(current)
        current = manager_of.get(current)
    return chain


def _rows(reps: pd.DataFrame) -> dict[str, int]:
    return {str(r): int(i) for i, r in zip(reps.index, reps["rep_id"], strict=True)}


def rep_packs(reps: pd.DataFrame) -> list[Pack]:
    return [Pack("rep", str(r), str(r), (), (str(r),)) for r in reps["rep_id"]]


def _region_managers(regions: pd.DataFrame | None) -> dict[str, tuple[str | None, int]]:
    """region_id -> (manager's rep_id or None, Excel row)."""
    if regions is None or not len(regions):
        return {}
    return {str(g): (_id(m), int(i)) for i, g, m in zip(regions.index, regions["region_id"], regions["manager_id"],
                                                         strict=True)}


def region_packs(reps: pd.DataFrame, regions: pd.DataFrame | None) -> tuple[list[Pack], list[Problem], list[Problem]]:
    """(packs, errors, warnings) for one pack per region that has reps."""
    known = set(_rows(reps))
    manager_of = managers_of(reps)
    run_by = _region_managers(regions)
    rows = _rows(reps)
    packs: list[Pack] = []
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for region in sorted({str(g) for g in reps["region_id"].dropna()}):
        owner, row = run_by.get(region, (None, None))
        if row is None:
            errors.append(problem("region '{g}' has reps but no row here, so no one is named to receive its pack: "
                                  "add it with its manager.",
                                  "区域“{g}”有销售代表，但本表中没有该区域，因此没有人接收它的报告包：请添加该区域及其经理。",
                                  table="Regions", column="region_id", g=region))
            continue
        if owner is None:
            errors.append(problem("region '{g}' has no manager, so no one can open its pack: fill in the manager "
                                  "(a Rep ID from the Reps sheet).",
                                  "区域“{g}”没有填写区域经理，因此没有人能打开它的报告包：请填写区域经理（销售代表编号）。",
                                  table="Regions", row=row, column="manager_id", g=region))
            continue
        if owner not in known:
            errors.append(problem("the manager '{m}' of region '{g}' is not in Reps, so their pack has no password "
                                  "or e-mail: use a Rep ID from the Reps sheet.",
                                  "区域“{g}”的经理“{m}”不在销售代表表中，因此其报告包没有密码和邮箱：请填写销售代表表中的编号。",
                                  table="Regions", row=row, column="manager_id", g=region, m=owner))
            continue
        above = set(superiors(owner, manager_of))
        members, left_out = [], []
        for rep, g in zip(reps["rep_id"], reps["region_id"], strict=True):
            if _id(g) != region:
                continue
            (left_out if str(rep) in above else members).append(str(rep))
        for rep in left_out:
            warnings.append(problem(
                "{rep} is in region '{g}' but above its manager {m} in the reporting line, so the region's pack leaves "
                "out their review and their row in the region review (send theirs with --per rep or --per manager).",
                "{rep} 属于区域“{g}”，但在汇报关系中是区域经理 {m} 的上级，因此该区域的报告包不含其报告，区域报告中也不列其数据"
                "（请用 --per rep 或 --per manager 发送其报告）。",
                table="Reps", row=rows[rep], column="region_id", rep=rep, g=region, m=owner))
        packs.append(Pack("region", region, owner, (region,), tuple(sorted(members)), frozenset(left_out)))
    return packs, errors, warnings


def manager_packs(reps: pd.DataFrame, regions: pd.DataFrame | None) -> tuple[list[Pack], list[Problem], list[Problem]]:
    """(packs, errors, warnings) for one pack per manager: direct reports' reviews and their regions' reviews."""
    known = set(_rows(reps))
    rows = _rows(reps)
    manager_of = managers_of(reps)
    with_reps = {str(g) for g in reps["region_id"].dropna()}
    runs: dict[str, list[str]] = {}
    errors: list[Problem] = []
    for region, (owner, row) in sorted(_region_managers(regions).items()):
        if owner is None or region not in with_reps:
            continue
        if owner not in known:
            errors.append(problem("the manager '{m}' of region '{g}' is not in Reps, so their pack has no password "
                                  "or e-mail: use a Rep ID from the Reps sheet.",
                                  "区域“{g}”的经理“{m}”不在销售代表表中，因此其报告包没有密码和邮箱：请填写销售代表表中的编号。",
                                  table="Regions", row=row, column="manager_id", g=region, m=owner))
            continue
        runs.setdefault(owner, []).append(region)
    team: dict[str, list[str]] = {}
    for rep, manager in manager_of.items():
        team.setdefault(manager, []).append(rep)
    warnings: list[Problem] = []
    packs = []
    for m in sorted(set(team) | set(runs)):
        if m not in known:
            continue
        above = set(superiors(m, manager_of))
        hidden = sorted(str(r) for r, g in zip(reps["rep_id"], reps["region_id"], strict=True)
                        if str(r) in above and _id(g) in runs.get(m, ()))
        for rep in hidden:
            warnings.append(problem(
                "{rep} is in region '{g}' but above its manager {m} in the reporting line, so the region review in "
                "{m}'s pack leaves out their row.",
                "{rep} 属于区域“{g}”，但在汇报关系中是区域经理 {m} 的上级，因此 {m} 的报告包中的区域报告不列其数据。",
                table="Reps", row=rows[rep], column="region_id", rep=rep, g=_id(reps.loc[rows[rep], "region_id"]), m=m))
        packs.append(Pack("manager", m, m, tuple(runs.get(m, ())), tuple(sorted(team.get(m, ()))), frozenset(hidden)))
    tops = [r for r in rows if r not in manager_of]
    if tops:
        warnings.append(problem(
            "{who:rep # has/reps # have} no manager, so their own review is in no manager's pack (send it with "
            "--per rep).",
            "{who} 没有上级，因此其本人的报告不在任何经理的报告包中（请用 --per rep 发送）。",
            table="Reps", row=rows[tops[0]], column="manager_id", who=Listing(tops)))
    return packs, errors, warnings


def make_packs(per: str, tables: Mapping[str, pd.DataFrame]) -> tuple[list[Pack], list[Problem], list[Problem]]:
    reps = tables["Reps"]
    if per == "rep":
        return rep_packs(reps), [], []
    if per == "region":
        return region_packs(reps, tables.get("Regions"))
    if per == "manager":
        return manager_packs(reps, tables.get("Regions"))
    raise ValueError(f"no packs per {per!r}")
