"""Deterministic generator of synthetic SSDA903 tables (the children-looked-after return).

One simulated history of an authority's children in care, written as a case-management
system exports the return: one CSV per table per collection year (`2019-episodes.csv` holds
1 April 2019 to 31 March 2020), episodes open in the year, dates dd/mm/yyyy, child ids as
plain numbers. Tables: header, episodes, reviews, uasc, missing, oc2, oc3, ad1,
placed_for_adoption, previous_permanence, sw_episodes. Codes as in DfE's guide
(`../shared/reference/ssda903.md`).

Used by the built-in sample (Sample Borough, about 560 looked after at a time; its adopted
children are the sample's adoption records) and by `bench/bench_ssda903.py` (a large
authority, about 2,000 at a time). `random.Random(seed)` drawn in a fixed order: the same
arguments always give the same bytes. Every child is made up.
"""
from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable

COLUMNS: dict[str, list[str]] = {
    "header": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "episodes": ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                 "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"],
    "reviews": ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
    "uasc": ["CHILD", "SEX", "DOB", "DUC"],
    "missing": ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
    "oc2": ["CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK",
            "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
    "oc3": ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
    "ad1": ["CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR",
            "LS_ADOPTR"],
    "placed_for_adoption": ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED",
                            "REASON_PLACED_CEASED"],
    "previous_permanence": ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
    "sw_episodes": ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
}
TABLES = tuple(COLUMNS)

# Placement groups (the report's PLACEMENT_TYPE) -> (weight, [(PLACE, PLACE_PROVIDER, weight)]).
# Placed for adoption (A3-A6) only through the adopted children.
GROUPS: dict[str, tuple[float, list[tuple[str, str, float]]]] = {
    "in_house_foster": (31.0, [("U4", "PR1", 3), ("U5", "PR1", 5), ("U6", "PR1", 2)]),
    "agency_foster": (25.0, [("U4", "PR4", 3), ("U5", "PR4", 5), ("U6", "PR4", 2)]),
    "friends_family": (12.5, [("U1", "PR1", 3), ("U2", "PR1", 5), ("U3", "PR1", 2)]),
    "residential": (7.5, [("K2", "PR4", 6), ("K2", "PR1", 2), ("R1", "PR1", 1), ("S1", "PR4", 1)]),
    "placed_with_parents": (7.0, [("P1", "PR0", 1)]),
    "independent_living": (6.5, [("H5", "PR4", 2), ("P2", "PR4", 1)]),  # aged 16 and over
    "other": (1.5, [("Z1", "PR4", 1)]),
}
ETHNIC = [("WBRI", 59.0), ("WIRI", 0.5), ("WOTH", 4.0), ("MWBC", 6.0), ("MWBA", 1.5),
          ("MWAS", 1.5), ("MOTH", 3.0), ("AIND", 3.0), ("APKN", 4.5), ("ABAN", 1.0),
          ("AOTH", 2.0), ("BCRB", 4.0), ("BAFR", 4.0), ("BOTH", 1.5), ("CHNE", 0.5),
          ("OOTH", 3.0), ("NOBT", 0.5), ("REFU", 0.5)]
UASC_ETHNIC = [("OOTH", 4), ("AOTH", 3), ("BAFR", 3)]
# (REC, weight) for children who leave before 18, and at 18.
ENDS = [("E4A", 40), ("E45", 11), ("E46", 7), ("E41", 9), ("E4B", 8), ("E8", 8), ("E3", 4),
        ("E13", 2), ("E9", 1), ("E16", 1)]
ENDS_AT_18 = [("E5", 4), ("E6", 1), ("E13", 3), ("E17", 2)]
PLACE_CHANGE_REASONS = ["CARPL", "CHILD", "LAREQ", "PLACE", "STAND", "OTHER"]
HOMES = {"K2", "R1", "S1"}   # placements with an Ofsted unique reference number (URN)
SW_REASONS = ["LEFTRL", "LEFTRL", "MANAGE", "ORGRST", "ABSENC", "FCONTA", "OTHERS"]


@dataclass
class Child:
    id: int
    dob: date
    sex: str
    ethnic: str
    entered: date
    left: date | None          # None: still looked after on the last day
    episodes: list = field(default_factory=list)  # [decom, rne, ls, place, provider, dec, rec]
    uasc: bool = False
    adoption: dict | None = None


def _pick(rng: random.Random, items: list[tuple[Any, float]]) -> Any:
    total = sum(w for _, w in items)
    x = rng.random() * total
    for v, w in items:
        x -= w
        if x < 0:
            return v
    return items[-1][0]


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _birthday(dob: date, age: int) -> date:
    try:
        return dob.replace(year=dob.year + age)
    except ValueError:  # 29 February
        return date(dob.year + age, 3, 1)


def _d(x: date | None) -> str:
    return x.strftime("%d/%m/%Y") if x else ""


def _placement(rng: random.Random, age: int, ls: str,
               not_group: str | None = None) -> tuple[str, str, str]:
    groups = [(g, w) for g, (w, _) in GROUPS.items()
              if g != not_group and (g != "independent_living" or age >= 16)
              and (g != "placed_with_parents" or (age < 17 and ls != "V2"))
              and (g != "residential" or age >= 4)]
    g = _pick(rng, groups)
    place, provider = _pick(rng, [((p, pr), w) for p, pr, w in GROUPS[g][1]])
    return g, place, provider


class _Generator:
    def __init__(self, seed: int, first_day: date, last_day: date, target: int,
                 mean_stay: float, growth: float, moves: float = 1.0, reviews: float = 1.0):
        self.moves, self.reviews = moves, reviews
        self.rng = random.Random(seed)
        self.first_day, self.last_day = first_day, last_day
        self.target, self.mean_stay, self.growth = target, mean_stay, growth
        self.children: list[Child] = []
        self.next_id = 100001

    def _new_id(self) -> int:
        cid = self.next_id
        self.next_id += 1 + self.rng.randint(0, 40)   # system ids with gaps
        return cid

    # ---------------------------------------------------------------- care histories
    def simulate(self) -> None:
        rng = self.rng
        # Entries from years before the first file, so that the children already in care
        # when the first file starts have lived histories too.
        start = self.first_day - timedelta(days=int(self.mean_stay * 4))
        days = (self.last_day - start).days
        # Stays are capped at 18: a little more than the mean so the number in care is `target`.
        per_day = self.target / (self.mean_stay * 0.82)
        t = 0.0
        while True:
            years_in = (t - (self.first_day - start).days) / 365.25
            rate = per_day * (1 + self.growth) ** max(0.0, years_in)
            t += rng.expovariate(rate)
            if t >= days:
                break
            entered = start + timedelta(days=int(t))
            child = self._child(entered)
            if child.left is None or child.left >= self.first_day:
                self.children.append(child)

    def _child(self, entered: date) -> Child:
        rng = self.rng
        uasc = rng.random() < 0.035
        if uasc:
            age_days = rng.randint(14 * 365, 17 * 365 + 300)
        else:
            band = _pick(rng, [((0, 0), 13), ((1, 4), 17), ((5, 9), 19), ((10, 15), 37),
                               ((16, 17), 14)])
            age_days = rng.randint(band[0] * 365, band[1] * 365 + 364)
        dob = entered - timedelta(days=age_days)
        stay = int(rng.expovariate(1 / self.mean_stay)) + rng.randint(1, 30)
        at18 = _birthday(dob, 18)
        left = min(entered + timedelta(days=stay), at18)
        sex = "1" if (uasc and rng.random() < 0.93) or (not uasc and rng.random() < 0.56) else "2"
        ethnic = _pick(rng, UASC_ETHNIC) if uasc else _pick(rng, ETHNIC)
        c = Child(self._new_id(), dob, sex, ethnic, entered,
                  None if left > self.last_day else left, uasc=uasc)
        self._episodes(c, left, left == at18)
        return c

    def _episodes(self, c: Child, left: date, at18: bool) -> None:
        rng = self.rng
        age = _age(c.dob, c.entered)
        ls = "V2" if c.uasc or rng.random() < 0.42 else \
            rng.choice(["C2", "C2", "C2", "J2"] if age >= 10 else ["C2"])
        g, place, provider = _placement(rng, age, ls)
        unstable = rng.random() < 0.22
        moves_every = (260 if unstable else 1500) / self.moves
        events: list[tuple[date, str]] = []
        d = c.entered
        while True:
            d = d + timedelta(days=int(rng.expovariate(1 / moves_every)) + 7)
            if d >= left:
                break
            events.append((d, "P"))
        if ls == "C2":  # the final care order some months later
            d = c.entered + timedelta(days=rng.randint(60, 330))
            if d < left:
                events.append((d, "L"))
        events.sort()
        eps = [[c.entered, "S", ls, place, provider, None, None]]
        for d, rne in events:
            if d <= eps[-1][0]:
                continue
            if rne == "L":
                ls = "C1"
            else:
                g, place, provider = _placement(rng, _age(c.dob, d), ls, not_group=g)
            eps[-1][5], eps[-1][6] = d, "X1"
            eps.append([d, rne, ls, place, provider, None, None])
        if c.left is not None:
            eps[-1][5] = left
            eps[-1][6] = _pick(rng, ENDS_AT_18) if at18 else _pick(rng, ENDS)
        c.episodes = eps

    def adopted(self, kids: Iterable[dict]) -> None:
        """Children adopted (or waiting): entered, placement order, matched, placed for
        adoption, adoption order, adopted by their foster carers (moved in with them)."""
        rng = self.rng
        for k in kids:
            entered = k["entered"]
            order = k["order"] if k["order"] and k["order"] <= self.last_day else None
            c = Child(self._new_id(), k["dob"], rng.choice("12"), _pick(rng, ETHNIC), entered,
                      order, adoption=k)
            ls = "C2" if rng.random() < 0.85 else "V2"
            provider = "PR1" if rng.random() < 0.6 else "PR4"
            eps = [[entered, "S", ls, "U4", provider, None, None]]

            def step(d, rne, ls_, place, prov):
                if d <= eps[-1][0]:  # the same day as the last change: one episode
                    eps[-1][2:5] = [ls_, place, prov]
                    return
                eps[-1][5], eps[-1][6] = d, "X1"
                eps.append([d, rne, ls_, place, prov, None, None])

            if k["fc"] and k["moved"] and k["moved"] > entered:
                step(k["moved"], "P", ls, "U4", "PR1")  # to the carers who will adopt
            elif k["fc"]:
                eps[0][3:5] = ["U4", "PR1"]
            if k["po"]:
                place, prov = eps[-1][3], eps[-1][4]
                if k["placed"] and k["po"] >= k["placed"]:
                    pass  # the order and the placement on the same day: one episode below
                else:
                    step(k["po"], "L", "E1", place, prov)
            if k["placed"]:
                if k["fc"]:
                    # A5: placed for adoption with a placement order with the current foster
                    # carer (RNE T: the placement changes, the carer stays); A6: not.
                    step(k["placed"], "T", "E1", "A5", "PR1")
                else:
                    step(k["placed"], "P", "E1", "A6", rng.choice(["PR1", "PR1", "PR4"]))
            if order:
                eps[-1][5], eps[-1][6] = order, "E11"
            c.episodes = eps
            self.children.append(c)

    # ---------------------------------------------------------------- the tables
    def tables(self) -> dict[str, list[list]]:
        """Every row of every table, with its dates (not yet split by year)."""
        rng = self.rng
        out: dict[str, list[list]] = {t: [] for t in TABLES}
        for c in self.children:
            end = c.left
            stop = end or self.last_day
            out["header"].append([c.id, c.sex, c.dob, c.ethnic,
                                  f"A{800000000000 + c.id * 7:012d}", "", ""])
            for e in c.episodes:
                out["episodes"].append([c.id, *e])
            # Reviews: the first within 20 working days, the second within 3 months, then
            # every 6 months; now and then late.
            r = c.entered + timedelta(days=rng.randint(10, 27) if rng.random() < 0.95
                                      else rng.randint(29, 45))
            n = 1
            while r <= stop and (end is None or r < end):
                age = _age(c.dob, r)
                code = "PN0" if age < 4 else _pick(rng, [("PN1", 30), ("PN2", 17), ("PN3", 15),
                                                          ("PN4", 10), ("PN5", 10),
                                                          ("PN6", 9), ("PN7", 9)])
                out["reviews"].append([c.id, c.dob, r, code])
                late = rng.random() < 0.08
                if n == 1:
                    gap = rng.randint(93, 125) if late else rng.randint(55, 90)
                else:
                    gap = rng.randint(186, 230) if late else rng.randint(140, 180)
                r += timedelta(days=max(1, round(gap / self.reviews)))
                n += 1
            if c.uasc:
                out["uasc"].append([c.id, c.sex, c.dob, _birthday(c.dob, 18)])
            # Missing: a minority of older children go missing, some of them often.
            if _age(c.dob, stop) >= 11 and rng.random() < 0.17:
                d = c.entered
                while True:
                    d += timedelta(days=int(rng.expovariate(1 / 150)) + 1)
                    if d > stop or (end is not None and d >= end):
                        break
                    if _age(c.dob, d) < 10:
                        continue
                    back = d + timedelta(days=rng.randint(0, 4))
                    back = back if back <= stop else None
                    out["missing"].append([c.id, c.dob, "M" if rng.random() < 0.8 else "A", d,
                                           back])
            # Social workers: changes at random, a few children through many.
            d = c.entered
            sw = rng.randint(1, 90)
            often = rng.random() < 0.18
            while d <= stop:
                nxt = d + timedelta(days=int(rng.expovariate(1 / (150 if often else 520))) + 20)
                closes = nxt if nxt <= stop and (end is None or nxt < end) else end
                out["sw_episodes"].append([c.id, c.dob, f"SW{sw:03d}", d, closes,
                                           rng.choice(SW_REASONS) if closes and closes != end
                                           else ("OTHERS" if closes else "")])
                if closes is None or closes == end:
                    break
                d = closes
                sw = rng.randint(1, 90)
            if c.adoption:
                k = c.adoption
                if k["matched"] and k["matched"] <= self.last_day:
                    decided = min(k["matched"], k["po"] or k["matched"]) - \
                        timedelta(days=rng.randint(20, 90))
                    if k["order"] and k["order"] <= self.last_day:
                        two = rng.random() < 0.7
                        out["ad1"].append([c.id, c.dob, decided, k["matched"],
                                           "1" if k["fc"] else "0", "2" if two else "1",
                                           rng.choice(["MF", "MF", "MF", "FF", "MM"]) if two
                                           else rng.choice(["M1", "F1", "F1"]), "L0",
                                           k["order"]])
                    out["placed_for_adoption"].append(
                        [c.id, c.dob, decided, k["order"] if k["order"] and
                         k["order"] <= self.last_day else None,
                         "E11" if k["order"] and k["order"] <= self.last_day else ""])
            out["previous_permanence"].append([c.id, c.dob, "Z1", "", "", c.entered])
        return out

    def annual(self, year_ends: list[date]) -> dict[str, dict[date, list[list]]]:
        """OC2 (looked after 12 months at 31 March) and OC3 (care leavers aged 17 to 21)."""
        rng = self.rng
        oc2: dict[date, list] = {y: [] for y in year_ends}
        oc3: dict[date, list] = {y: [] for y in year_ends}
        for y in year_ends:
            year_ago = date(y.year - 1, 3, 31)
            for c in self.children:
                if c.entered <= year_ago and (c.left is None or c.left > y) and c.entered <= y:
                    age = _age(c.dob, y)
                    sdq = age >= 4 and age <= 16
                    ha = rng.random() < 0.91
                    score = rng.randint(4, 26) if sdq and rng.random() < 0.8 else ""
                    misuse = age >= 10 and rng.random() < 0.04
                    oc2[y].append([c.id, c.dob, score,
                                   "" if score != "" or age < 4 else ("SDQ2" if sdq else "SDQ1"),
                                   ("1" if rng.random() < 0.03 else "0") if age >= 10 else "",
                                   "1" if age < 5 and ha else ("0" if age < 5 else ""),
                                   "1" if rng.random() < 0.86 else "0",
                                   "1" if rng.random() < 0.82 else "0", "1" if ha else "0",
                                   ("1" if misuse else "0") if age >= 10 else "",
                                   ("1" if rng.random() < 0.7 else "0") if misuse else "",
                                   ("1" if rng.random() < 0.9 else "0") if misuse else ""])
                age = _age(c.dob, y)
                left_at_16 = c.left is not None and c.left <= y and _age(c.dob, c.left) >= 16 \
                    and (c.left - c.entered).days >= 91 and c.adoption is None
                if 17 <= age <= 21 and left_at_16:
                    touch = _pick(rng, [("YES", 90), ("NO", 5), ("REFU", 3), ("DIED", 0.3),
                                        ("RHOM", 1.7)])
                    if touch == "YES":
                        activ = _pick(rng, [("F1", 14), ("F2", 22), ("P1", 10), ("P2", 8),
                                            ("G4", 16), ("G5", 20), ("G6", 10)])
                        accom = _pick(rng, [("B", 8), ("C", 10), ("D", 12), ("E", 10),
                                            ("G", 5), ("H", 8), ("K", 5), ("R", 6), ("S", 16),
                                            ("T", 4), ("U", 12), ("V", 4)]) + \
                            ("1" if rng.random() < 0.88 else "2")
                    else:
                        activ, accom = "0", "0"
                    oc3[y].append([c.id, c.dob, touch, activ, accom])
        return {"oc2": oc2, "oc3": oc3}


def generate(*, seed: int, first_year: int, last_day: date, target: int,
             mean_stay: float = 900, growth: float = 0.0, moves: float = 1.0,
             reviews: float = 1.0,
             adopted: Iterable[dict] = (), tables: Iterable[str] = TABLES) -> dict[str, str]:
    """{file name: CSV text}: one file per table per collection year, from the year starting
    1 April `first_year` to the one holding `last_day` (cut at `last_day`), named by the year
    the collection starts (`2019-episodes.csv`). `target`: about how many children are looked
    after at a time; `adopted`: the adoption generator's children (dicts with dob, entered,
    po, matched, placed, fc, moved, order), written with their episodes, ad1 and
    placed_for_adoption rows; `moves`, `reviews`: placement moves and reviews, times the
    usual rate (a bench's volume; reviews as often are not on regulation 33's timescales)."""
    first_day = date(first_year, 4, 1)
    g = _Generator(seed, first_day, last_day, target, mean_stay, growth, moves, reviews)
    g.simulate()
    g.adopted(adopted)
    g.children.sort(key=lambda c: c.id)
    rows = g.tables()
    last_year = last_day.year if last_day.month >= 4 else last_day.year - 1
    year_ends = [date(y + 1, 3, 31) for y in range(first_year, last_year + 1)
                 if date(y + 1, 3, 31) <= last_day]
    annual = g.annual(year_ends)
    wanted = set(tables)
    files: dict[str, str] = {}
    for y in range(first_year, last_year + 1):
        ys, ye = date(y, 4, 1), min(date(y + 1, 3, 31), last_day)
        eps = [r for r in rows["episodes"] if r[1] <= ye and (r[6] is None or r[6] >= ys)]
        kids = {r[0] for r in eps}
        leavers = annual["oc3"].get(date(y + 1, 3, 31), [])
        in_header = kids | {r[0] for r in leavers}   # care leavers are in the header too
        year: dict[str, list[list]] = {
            "episodes": [[r[0], _d(r[1]), r[2], r[3], "N4", r[4], r[5],
                          _d(r[6]) if r[6] and r[6] <= ye else "",
                          r[7] if r[6] and r[6] <= ye else "",
                          PLACE_CHANGE_REASONS[(r[0] + r[1].toordinal()) % 6]
                          if r[2] == "P" else "", "", "",
                          f"SC{100000 + (r[0] * 7919 + r[1].toordinal()) % 900000}"
                          if r[4] in HOMES else ""] for r in eps],
            # MOTHER (is the child a mother?) is asked of girls aged 12 and over.
            "header": [[r[0], r[1], _d(r[2]), r[3], r[4],
                        "0" if r[1] == "2" and _age(r[2], ye) >= 12 else "", ""]
                       for r in rows["header"] if r[0] in in_header],
            "reviews": _dated(rows["reviews"], 2, ys, ye, [1, 2]),
            "uasc": [[r[0], r[1], _d(r[2]), _d(r[3])] for r in rows["uasc"] if r[0] in kids],
            "missing": _dated(rows["missing"], 3, ys, ye, [1, 3, 4]),
            # AD1 in the year of the adoption order (its last, hidden, column)
            "ad1": [[r[0], _d(r[1]), _d(r[2]), _d(r[3]), *r[4:-1]] for r in rows["ad1"]
                    if ys <= r[-1] <= ye],
            "placed_for_adoption": _dated(rows["placed_for_adoption"], 2, ys, ye, [1, 2, 3]),
            # asked of children who started to be looked after in the year
            "previous_permanence": [[r[0], _d(r[1]), *r[2:-1]] for r in
                                    rows["previous_permanence"] if ys <= r[-1] <= ye],
            "sw_episodes": [[r[0], _d(r[1]), r[2], _d(r[3]),
                             _d(r[4]) if r[4] and r[4] <= ye else "",
                             r[5] if r[4] and r[4] <= ye else ""]
                            for r in rows["sw_episodes"]
                            if r[3] <= ye and (r[4] is None or r[4] >= ys) and r[0] in kids],
        }
        if date(y + 1, 3, 31) in annual["oc2"]:
            for t in ("oc2", "oc3"):
                year[t] = [[r[0], _d(r[1]), *r[2:]] for r in annual[t][date(y + 1, 3, 31)]]
        for t in TABLES:
            if t in wanted and t in year:
                files[f"{y}-{t}.csv"] = _csv(COLUMNS[t], year[t])
    return files


def _dated(rows: list[list], at: int, ys: date, ye: date, date_cols: list[int]) -> list[list]:
    out = []
    for r in rows:
        if ys <= r[at] <= ye:
            out.append([_d(v) if i in date_cols else v for i, v in enumerate(r)])
    return out


def _csv(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue()


def size_of(files: dict[str, str]) -> int:
    return sum(len(t.encode("utf-8")) for t in files.values())


