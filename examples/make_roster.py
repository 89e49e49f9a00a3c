#!/usr/bin/env python3
"""Build the bundled demo roster: examples/roster.json and examples/roster.csv.

Also the same students in the other input layouts (docs/inputs.md): roster_wide.csv (one row
per student, dose columns such as MMR_1) and fhir_bundle.json (eight of them as FHIR R4).

Every student below is a deliberate scenario for Connecticut's school
immunization rules (Regs. Conn. State Agencies § 10-204a-2a, CGS § 10-204a),
meant to be evaluated ``--as-of 2024-09-01`` (school year 2024-25):

    ctrules evaluate --ruleset ct --as-of 2024-09-01 examples/roster.json

The output is deterministic: dose dates are computed from birth dates with
calendar arithmetic (CDSi CALCDT: add months keeping the day; a date that does
not exist moves to the 1st of the next month), and routine clinic visits are
moved a few days past their due date by a random generator seeded per student.
Only the standard library is used.

    python examples/make_roster.py            # writes roster.json, roster.csv and the others
    python examples/make_roster.py --table    # prints the README table

JSON follows section 2 of the contract; CSV follows section 3 (one row per
dose, ``id,birth_date,grade,vaccine,cvx,date``; a student with no doses gets
one row with vaccine and cvx empty).  Evidence, exemptions and
``k12_entry_date`` exist only in the JSON file.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

AS_OF = date(2024, 9, 1)
SEED = 20240901
JITTER_DAYS = 6  # a routine visit happens 0..6 days after its due date
HERE = Path(__file__).resolve().parent

# CVX code of each product name, for the students whose records use codes.
CVX = {
    "MMR": "03", "MMRV": "94", "VAR": "21", "DTaP": "20", "Tdap": "115",
    "Td": "113", "DT": "28", "IPV": "10", "Hib": "49", "HepB": "08",
    "HepA": "83", "PCV13": "133", "MenACWY": "136", "Flu": "150",
    "DTaP-HepB-IPV": "110", "DTaP-IPV/Hib": "120", "DTaP-IPV": "130",
    "HepA-HepB": "104",
}


# --------------------------------------------------------------------------
# Calendar arithmetic (CDSi CALCDT-1/-2/-5)

def add_months(d: date, months: int) -> date:
    """``d`` plus calendar months, keeping the day of the month.

    A day that does not exist in the target month moves to the 1st of the
    following month: 2019-01-31 + 1 month = 2019-03-01, 2020-08-31 + 6 months
    = 2021-03-01, 2020-02-29 + 12 months = 2021-03-01.
    """
    y, m0 = divmod(d.year * 12 + (d.month - 1) + months, 12)
    try:
        return date(y, m0 + 1, d.day)
    except ValueError:
        return date(y + 1, 1, 1) if m0 == 11 else date(y, m0 + 2, 1)


def add_years(d: date, years: int) -> date:
    return add_months(d, 12 * years)


def iso(d: date) -> str:
    return d.isoformat()


# --------------------------------------------------------------------------
# Record builder

class Kid:
    """One student record under construction."""

    def __init__(self, sid: str, birth: date | str | None, grade: str, *,
                 by_cvx: bool = False, jitter: int = JITTER_DAYS):
        self.sid = sid
        self.birth = date.fromisoformat(birth) if isinstance(birth, str) else birth
        self.grade = grade
        self.by_cvx = by_cvx        # write doses as {"cvx": ...} instead of names
        self.jitter = jitter
        self.rng = random.Random(f"{SEED}:{sid}")
        self.doses: list[dict] = []
        self.evidence: list[dict] = []
        self.exemptions: list[dict] = []
        self.extra: dict = {}
        self.keep_order = False     # True: doses stay in the order given
        self._visits: dict[tuple[int, int, int], date] = {}

    # -- dates -------------------------------------------------------------
    def due(self, years: int = 0, months: int = 0, days: int = 0) -> date:
        """Exact date: birth + years + months (calendar) + days."""
        return add_months(self.birth, 12 * years + months) + timedelta(days=days)

    def visit(self, years: int = 0, months: int = 0, days: int = 0) -> date:
        """A routine visit: the due date plus 0..jitter days, one per age."""
        key = (years, months, days)
        if key not in self._visits:
            self._visits[key] = self.due(years, months, days) + timedelta(
                days=self.rng.randint(0, self.jitter))
        return self._visits[key]

    # -- doses -------------------------------------------------------------
    def give(self, product: str, when: date | str) -> None:
        """A dose by product name (or by CVX code if the record uses codes)."""
        when = when if isinstance(when, str) else iso(when)
        if self.by_cvx:
            self.doses.append({"cvx": CVX[product], "date": when})
        else:
            self.doses.append({"vaccine": product, "date": when})

    def give_cvx(self, code: str, when: date | str) -> None:
        when = when if isinstance(when, str) else iso(when)
        self.doses.append({"cvx": code, "date": when})

    def drop(self, product: str) -> None:
        """Remove every dose of a product (for 'missing X' scenarios)."""
        code = CVX.get(product)
        self.doses = [d for d in self.doses
                      if d.get("vaccine") != product and d.get("cvx") != code]

    # -- output ------------------------------------------------------------
    def record(self) -> dict:
        rec: dict = {"id": self.sid}
        if self.birth is not None:
            rec["birth_date"] = iso(self.birth)
        rec["grade"] = self.grade
        rec.update(self.extra)
        doses = self.doses if self.keep_order else sorted(
            self.doses, key=lambda d: d["date"])
        rec["doses"] = doses
        if self.evidence:
            rec["evidence"] = self.evidence
        if self.exemptions:
            rec["exemptions"] = self.exemptions
        return rec


# --------------------------------------------------------------------------
# Routine series (ACIP-style ages; every interval has a margin larger than the
# visit jitter, so these doses are valid under the regulation's minimums)

def infant(k: Kid, *, hib_booster=True, pcv_booster=True, dtap4=True,
           pcv=("PCV13",) * 4) -> None:
    """HepB birth/2m/6m; DTaP 2/4/6/15m; IPV 2/4/12m; Hib 2/4/6/15m; PCV 2/4/6/12m."""
    k.give("HepB", k.visit(days=1))
    k.give("HepB", k.visit(months=2))
    k.give("HepB", k.visit(months=6))
    for i, m in enumerate((2, 4, 6)):
        k.give("DTaP", k.visit(months=m))
        k.give("Hib", k.visit(months=m))
        k.give(pcv[i], k.visit(months=m))
    k.give("IPV", k.visit(months=2))
    k.give("IPV", k.visit(months=4))
    k.give("IPV", k.visit(months=12))
    if dtap4:
        k.give("DTaP", k.visit(months=15))
    if hib_booster:
        k.give("Hib", k.visit(months=15))
    if pcv_booster:
        k.give(pcv[3], k.visit(months=12))


def toddler(k: Kid, *, mmr=True, var=True, hepa=2) -> None:
    """MMR and VAR at 12 months; Hep A at 12 and 19 months."""
    if mmr:
        k.give("MMR", k.visit(months=12))
    if var:
        k.give("VAR", k.visit(months=12))
    if hepa >= 1:
        k.give("HepA", k.visit(months=12))
    if hepa >= 2:
        k.give("HepA", k.visit(months=19))


def four_year(k: Kid, *, dtap=True, ipv=True, mmr=True, var=True) -> None:
    """Kindergarten-entry boosters at 4 years."""
    for name, on in (("DTaP", dtap), ("IPV", ipv), ("MMR", mmr), ("VAR", var)):
        if on:
            k.give(name, k.visit(years=4))


def adolescent(k: Kid, *, tdap=True, men=True) -> None:
    """Tdap and MenACWY at 11; MenACWY booster at 16 if already 16."""
    if tdap:
        k.give("Tdap", k.visit(years=11))
    if men:
        k.give("MenACWY", k.visit(years=11))
        if k.due(years=16) <= AS_OF:
            k.give("MenACWY", k.visit(years=16))


def childhood(k: Kid) -> None:
    """Everything a fully vaccinated child has by kindergarten."""
    infant(k)
    toddler(k)
    four_year(k)


def flu(k: Kid, *dates: str, product: str = "Flu") -> None:
    for d in dates:
        k.give(product, d)


# --------------------------------------------------------------------------
# Scenarios: (title, what to expect under ct as of 2024-09-01, builder)
# Builders take the student id and return a Kid.  Ids follow list order.

SCENARIOS: list[tuple[str, str, object]] = []


def scenario(title: str, expect: str):
    def wrap(fn):
        SCENARIOS.append((title, expect, fn))
        return fn
    return wrap


# ---- Preschool (PK / P3), ages 2-4 on 2024-09-01 --------------------------

@scenario("PK, age 4, fully vaccinated incl. 4-year boosters; flu every season "
          "(2 doses in the first season) and one in Aug 2024",
          "compliant everywhere (tdap, meningococcal not required)")
def _(sid):
    k = Kid(sid, "2020-05-14", "PK")
    childhood(k)
    flu(k, "2020-11-20", "2020-12-18", "2021-10-12", "2022-10-11",
        "2023-10-10", "2024-08-20")
    return k


@scenario("PK, age 3, fully vaccinated; PCV15 infant doses + PCV20 booster; "
          "flu by CVX 150/158/140",
          "compliant everywhere")
def _(sid):
    k = Kid(sid, "2021-02-03", "PK")
    infant(k, pcv=("PCV15", "PCV15", "PCV15", "PCV20"))
    toddler(k)
    for code, d in (("150", "2021-10-05"), ("150", "2021-11-02"),
                    ("158", "2022-10-04"), ("140", "2023-10-03"),
                    ("150", "2024-08-27")):
        k.give_cvx(code, d)
    return k


@scenario("PK, age 2y2m; first-time flu recipient in 2022-23 whose 2nd dose "
          "fell in January; flu in the 2023 season and in Aug 2024",
          "compliant everywhere (a first-timer's 2nd dose need not fall in "
          "Aug-Dec)")
def _(sid):
    k = Kid(sid, "2022-06-20", "PK")
    infant(k)
    toddler(k)
    flu(k, "2022-12-20", "2023-01-17", "2023-10-17", "2024-08-14")
    return k


@scenario("PK, age 3, everything except flu (never had a flu shot)",
          "influenza in_progress: no dose yet in the Aug 1-Dec 31 2024 window, "
          "due by 2024-12-31 (a first-timer also needs a 2nd dose 28 days "
          "later); everything else compliant")
def _(sid):
    k = Kid(sid, "2021-07-22", "PK")
    infant(k)
    toddler(k)
    return k


@scenario("PK, age 2y11m, first-time flu recipient with only one dose "
          "(2024-08-12)",
          "influenza in_progress: 2nd dose counts from 2024-09-09; everything "
          "else compliant")
def _(sid):
    k = Kid(sid, "2021-09-09", "PK")
    infant(k)
    toddler(k)
    flu(k, "2024-08-12")
    return k


@scenario("PK, age 3y9m, flu every season up to 2023 but none yet in the "
          "2024-25 season",
          "influenza in_progress: this season's dose due by 2024-12-31; "
          "everything else compliant")
def _(sid):
    k = Kid(sid, "2020-11-30", "PK")
    infant(k)
    toddler(k)
    flu(k, "2021-10-05", "2021-11-02", "2022-10-04", "2023-10-03")
    return k


@scenario("P3, a 10-month-old (born 2023-10-25) with the 2/4/6-month "
          "infant doses",
          "in_progress overall: measles/mumps/rubella, varicella, hib, "
          "pneumococcal, hepatitis_a in_progress (nothing can count before the "
          "1st birthday, 2024-10-25); hepatitis_b compliant; dtap "
          "and polio not_required until 18 months (2025-04-25); influenza "
          "not_required (under 24 months)")
def _(sid):
    k = Kid(sid, "2023-10-25", "P3")
    k.give("HepB", k.visit(days=1))
    for m in (2, 4, 6):
        for p in ("HepB", "DTaP", "IPV", "Hib", "PCV13"):
            if p == "HepB" and m == 4:
                continue
            k.give(p, k.visit(months=m))
    return k


@scenario("PK, age 4, only one Hep A dose (at 12 months)",
          "hepatitis_a non_compliant: 2nd dose missing (would count from 6 "
          "months after the 1st); everything else compliant")
def _(sid):
    k = Kid(sid, "2020-08-08", "PK")
    infant(k)
    toddler(k, hepa=1)
    flu(k, "2021-02-10", "2021-03-10", "2021-10-06", "2022-10-05",
        "2023-10-04", "2024-08-21")
    return k


@scenario("PK, age 3, Hib infant doses only (no dose at 12 months or later); "
          "PCV infant doses plus PPSV23 at 2 years",
          "hib non_compliant (no dose at >= 12 months); pneumococcal "
          "non_compliant (PPSV23 is not a conjugate vaccine); everything else "
          "compliant")
def _(sid):
    k = Kid(sid, "2021-04-18", "PK")
    infant(k, hib_booster=False, pcv_booster=False)
    toddler(k)
    k.give("PPSV23", k.visit(years=2))
    flu(k, "2021-10-19", "2021-11-16", "2022-10-18", "2023-10-17",
        "2024-08-16")
    return k


@scenario("PK, age 3y11m, only 3 DTaP doses (2/4/6 months)",
          "dtap non_compliant: 18-83 months needs 4 doses, the 4th >= 6 months "
          "after the 3rd; everything else compliant")
def _(sid):
    k = Kid(sid, "2020-10-02", "PK")
    infant(k, dtap4=False)
    toddler(k)
    flu(k, "2021-10-07", "2021-11-04", "2022-10-06", "2023-10-05",
        "2024-08-08")
    return k


@scenario("PK, age 2y9m, this season's flu dose given 2024-07-25 (before "
          "the Aug 1 window opened)",
          "influenza in_progress: the July dose does not count for 2024-25, "
          "a dose is due by 2024-12-31; everything else compliant")
def _(sid):
    k = Kid(sid, "2021-12-01", "PK")
    infant(k)
    toddler(k)
    flu(k, "2022-10-11", "2022-11-08", "2023-10-10", "2024-07-25")
    return k


# ---- Kindergarten (born 2018-09 .. 2019-10) ---------------------------------

@scenario("K, age 5, complete with single-antigen vaccines: DTaP x5, IPV x4, "
          "MMR x2, VAR x2, HepB x3, HepA x2, Hib x4, PCV13 x4",
          "compliant (hib and pneumococcal not_required at 5+)")
def _(sid):
    k = Kid(sid, "2019-03-14", "K")
    childhood(k)
    return k


@scenario("KF (full-day K), age 4y10m, complete; Hib and PCV boosters after "
          "the 1st birthday",
          "compliant; hib and pneumococcal are still required (under 5) and "
          "compliant")
def _(sid):
    k = Kid(sid, "2019-10-15", "KF")
    childhood(k)
    return k


@scenario("K, complete using combination vaccines by name: HepB at birth, "
          "DTaP-HepB-IPV x3, Hib x3, PCV13 x4, DTaP-IPV/Hib at 15m, MMRV at "
          "12m and 4y, DTaP-IPV at 4y, HepA then HepA-HepB (Twinrix, "
          "off-label for a child but it contains Hep A)",
          "compliant: each combination counts for every antigen it contains")
def _(sid):
    k = Kid(sid, "2019-01-27", "K")
    k.give("HepB", k.visit(days=1))
    for m in (2, 4, 6):
        k.give("DTaP-HepB-IPV", k.visit(months=m))
        k.give("Hib", k.visit(months=m))
        k.give("PCV13", k.visit(months=m))
    k.give("PCV13", k.visit(months=12))
    k.give("MMRV", k.visit(months=12))
    k.give("HepA", k.visit(months=12))
    k.give("DTaP-IPV/Hib", k.visit(months=15))
    k.give("HepA-HepB", k.visit(months=19))
    k.give("DTaP-IPV", k.visit(years=4))
    k.give("MMRV", k.visit(years=4))
    return k


@scenario("K, MMR given 3 days before the 1st birthday, then valid MMR doses "
          "at 13 months and 4 years",
          "compliant: the early dose does not count, but two valid doses remain")
def _(sid):
    k = Kid(sid, "2019-05-05", "K")
    infant(k)
    toddler(k, mmr=False, var=False)
    k.give("MMR", k.due(years=1, days=-3))          # 2020-05-02
    k.give("MMR", k.visit(months=13))
    k.give("VAR", k.visit(months=13))
    four_year(k)
    return k


@scenario("K, MMR given 3 days before the 1st birthday and once more at 4 "
          "years (no other MMR)",
          "measles, mumps, rubella non_compliant: only 1 valid dose (no grace "
          "period in ct; an ACIP 4-day-grace profile would count the early "
          "dose); everything else compliant")
def _(sid):
    k = Kid(sid, "2018-12-11", "K")
    infant(k)
    toddler(k, mmr=False, var=False)
    k.give("MMR", k.due(years=1, days=-3))          # 2019-12-08
    k.give("VAR", k.visit(months=13))
    four_year(k)
    return k


@scenario("K, the two MMR doses only 20 days apart (no later dose)",
          "measles, mumps, rubella non_compliant: dose 2 only 20 days after "
          "dose 1 (needs >= 28 days); everything else compliant")
def _(sid):
    k = Kid(sid, "2019-02-19", "K")
    infant(k)
    toddler(k, mmr=False)
    first = k.visit(months=12)
    k.give("MMR", first)
    k.give("MMR", first + timedelta(days=20))
    four_year(k, mmr=False)
    return k


@scenario("K, only 3 IPV doses, all before the 4th birthday",
          "polio non_compliant: no dose on or after the 4th birthday "
          "(10-204a-2a(c)(2)); everything else compliant")
def _(sid):
    k = Kid(sid, "2019-06-30", "K")
    infant(k)
    toddler(k)
    four_year(k, ipv=False)
    return k


@scenario("K, the 4-year DTaP-IPV (Kinrix) given 2 days before the 4th "
          "birthday, nothing later",
          "dtap and polio non_compliant: no dose on or after the 4th birthday "
          "(2023-04-09); measles etc. compliant")
def _(sid):
    k = Kid(sid, "2019-04-09", "K")
    infant(k)
    toddler(k)
    k.give("DTaP-IPV", k.due(years=4, days=-2))     # 2023-04-07
    k.give("MMR", k.visit(years=4))
    k.give("VAR", k.visit(years=4))
    return k


@scenario("K, every dose recorded by CVX code (08, 20, 10, 49, 133, 03, 21, "
          "83; MMRV 94 and DTaP-IPV 130 at 4 years)",
          "compliant (same as a complete kindergartener)")
def _(sid):
    k = Kid(sid, "2018-10-23", "K", by_cvx=True)
    infant(k)
    toddler(k)
    k.give("DTaP-IPV", k.visit(years=4))
    k.give("MMRV", k.visit(years=4))
    return k


@scenario("K, DTaP x4 (last at 15 months), no DTaP on or after the 4th "
          "birthday",
          "dtap non_compliant (10-204a-2a(d)(2)); everything else compliant")
def _(sid):
    k = Kid(sid, "2019-07-04", "K")
    infant(k)
    toddler(k)
    four_year(k, dtap=False)
    return k


@scenario("K, the two varicella doses only 2 months apart (12 and 14 months)",
          "varicella non_compliant: needs 2 doses >= 3 months apart "
          "(10-204a-2a(h)(3)); everything else compliant")
def _(sid):
    k = Kid(sid, "2018-09-17", "K")
    infant(k)
    toddler(k)
    k.give("VAR", k.visit(months=14))
    four_year(k, var=False)
    return k


@scenario("K, third Hep B dose at 20 weeks of age (an accelerated schedule)",
          "hepatitis_b non_compliant: the 3rd dose was given before 24 weeks "
          "of age; everything else compliant")
def _(sid):
    k = Kid(sid, "2019-08-02", "K", jitter=0)
    infant(k)
    k.drop("HepB")
    k.give("HepB", k.due(days=1))                   # 2019-08-03
    k.give("HepB", k.due(months=1))                 # 2019-09-02
    k.give("HepB", k.due(days=140))                 # 2019-12-20 (20 weeks)
    toddler(k)
    four_year(k)
    return k


@scenario("K, every dose exactly on its minimum age or interval (MMR on the "
          "1st birthday and 28 days later, VAR exactly 3 calendar months "
          "later, DTaP and IPV exactly 4 weeks apart and on the 4th birthday, "
          "HepB 3rd at exactly 24 weeks and 8 weeks after the 2nd, HepA "
          "exactly 6 months apart)",
          "compliant: the regulation's bounds are inclusive ('on or after', "
          "'at least'); no grace is needed")
def _(sid):
    k = Kid(sid, "2019-01-31", "K", jitter=0)
    b = k.birth
    hb1 = b
    hb2 = b + timedelta(days=112)
    hb3 = b + timedelta(days=168)                   # 24 weeks; = hb2 + 8 weeks
    for d in (hb1, hb2, hb3):
        k.give("HepB", d)
    d1 = b + timedelta(days=42)
    d2 = d1 + timedelta(days=28)
    d3 = d2 + timedelta(days=28)
    d4 = add_months(d3, 6)
    for d in (d1, d2, d3, d4):
        k.give("DTaP", d)
    for d in (d1, d2, add_months(d2, 2)):
        k.give("IPV", d)
    for d in (d1, d2, d3):
        k.give("Hib", d)
        k.give("PCV13", d)
    one = add_years(b, 1)                           # 2020-01-31
    k.give("Hib", one)
    k.give("PCV13", one)
    k.give("MMR", one)
    k.give("MMR", one + timedelta(days=28))         # 2020-02-28
    k.give("VAR", one)
    k.give("VAR", add_months(one, 3))               # Apr 31 -> 2020-05-01
    k.give("HepA", one)
    k.give("HepA", add_months(one, 6))              # 2020-07-31
    four = add_years(b, 4)                          # 2023-01-31
    k.give("DTaP", four)
    k.give("IPV", four)
    return k


@scenario("K, Hep A on 2020-08-31 and 2021-02-28 (month-end arithmetic)",
          "hepatitis_a non_compliant: 6 calendar months after Aug 31 is Mar 1 "
          "(CDSi: a missing day moves to the 1st of the next month), so the "
          "2nd dose is 1 day early; everything else compliant")
def _(sid):
    k = Kid(sid, "2019-08-20", "K")
    infant(k)
    toddler(k, hepa=0)
    k.give("HepA", "2020-08-31")
    k.give("HepA", "2021-02-28")
    four_year(k)
    return k


@scenario("K, new arrival catching up: 2nd MMR/VAR, 5th DTaP, 4th IPV and a "
          "first Hep A dose on 2024-08-15; 'in_process' certificate dated "
          "2024-08-20",
          "hepatitis_a in_progress (in-process certificate; the 2nd dose "
          "counts from 2025-02-15); everything else compliant. From the CSV "
          "(no evidence) hepatitis_a is not met")
def _(sid):
    k = Kid(sid, "2019-04-02", "K")
    infant(k)
    toddler(k, hepa=0)
    for p in ("DTaP", "IPV", "MMR", "VAR", "HepA"):
        k.give(p, "2024-08-15")
    k.evidence.append({"type": "in_process", "date": "2024-08-20"})
    return k


@scenario("K, no MMR; medical exemption for MMR until 2025-06-30",
          "measles, mumps, rubella exempt (temporary medical exemption still "
          "valid); everything else compliant; overall exempt")
def _(sid):
    k = Kid(sid, "2019-02-28", "K")
    childhood(k)
    k.drop("MMR")
    k.exemptions.append({"type": "medical", "vaccines": ["MMR"],
                         "until": "2025-06-30"})
    return k


# ---- Grades 1-6 --------------------------------------------------------------

@scenario("Grade 01, complete; record as an EHR exported it: lower-case "
          "vaccine names, doses not in date order",
          "compliant (names are case-insensitive; order does not matter)")
def _(sid):
    k = Kid(sid, "2018-03-08", "01")
    childhood(k)
    k.doses = [{"vaccine": d["vaccine"].lower(), "date": d["date"]}
               for d in k.doses]
    k.rng.shuffle(k.doses)
    k.keep_order = True
    return k


@scenario("Grade 3, religious exemption from preschool (on file since "
          "2020-10-01), first enrolled in K on 2021-08-30; only a Hep B birth "
          "dose",
          "non_compliant: PA 21-6 grandfathers only students enrolled in K-12 "
          "on 2021-04-28, so the exemption is not honoured; every required "
          "vaccine is missing (hib, pneumococcal, influenza not_required)")
def _(sid):
    k = Kid(sid, "2016-03-15", "3")
    k.extra["k12_entry_date"] = "2021-08-30"
    k.give("HepB", k.visit(days=1))
    k.exemptions.append({"type": "religious", "on_file_since": "2020-10-01"})
    return k


@scenario("Grade 5, only one varicella dose (at 12 months)",
          "varicella non_compliant: 2 doses >= 3 months apart are required "
          "(K cohort of 2019-20); everything else compliant")
def _(sid):
    k = Kid(sid, "2014-06-12", "5")
    childhood(k)
    k.doses.remove({"vaccine": "VAR", "date": iso(k.visit(years=4))})
    return k


@scenario("Grade 2, no varicella; medical exemption for VAR that expired "
          "2024-01-01",
          "varicella non_compliant: the medical exemption ran out on "
          "2024-01-01; everything else compliant")
def _(sid):
    k = Kid(sid, "2017-01-09", "2")
    childhood(k)
    k.drop("VAR")
    k.exemptions.append({"type": "medical", "vaccines": ["VAR"],
                         "until": "2024-01-01"})
    return k


@scenario("Grade 4, no Hep B; permanent medical exemption naming the "
          "requirement hepatitis_b (no 'until')",
          "hepatitis_b exempt; everything else compliant; overall exempt")
def _(sid):
    k = Kid(sid, "2015-09-25", "4")
    childhood(k)
    k.drop("HepB")
    k.exemptions.append({"type": "medical", "requirements": ["hepatitis_b"]})
    return k


@scenario("Grade 6, no MMR and no varicella; religious exemption on file "
          "since 2021-06-01",
          "measles, mumps, rubella, varicella non_compliant: a religious "
          "exemption presented after 2021-04-28 is not honoured (PA 21-6)")
def _(sid):
    k = Kid(sid, "2013-01-05", "6")
    childhood(k)
    k.drop("MMR")
    k.drop("VAR")
    k.exemptions.append({"type": "religious", "on_file_since": "2021-06-01"})
    return k


# ---- Grades 7-8 --------------------------------------------------------------

@scenario("Grade 7, complete: childhood series, Tdap and MenACWY at 11",
          "compliant (tdap and meningococcal met)")
def _(sid):
    k = Kid(sid, "2012-02-15", "7")
    childhood(k)
    adolescent(k)
    return k


@scenario("Grade 7, complete, every dose by CVX code: HepB 08, "
          "DTaP-HepB-IPV 110, Hib 48, DTaP-IPV/Hib 120, PCV 133, MMR 03, "
          "VAR 21, HepA 83, DTaP-IPV 130, Tdap 115, MenACWY 114",
          "compliant")
def _(sid):
    k = Kid(sid, "2012-10-03", "7")
    k.give_cvx("08", k.visit(days=1))
    for m in (2, 4, 6):
        k.give_cvx("110", k.visit(months=m))
        k.give_cvx("48", k.visit(months=m))
        k.give_cvx("133", k.visit(months=m))
    for code in ("133", "03", "21", "83"):
        k.give_cvx(code, k.visit(months=12))
    k.give_cvx("120", k.visit(months=15))
    k.give_cvx("83", k.visit(months=19))
    for code in ("130", "03", "21"):
        k.give_cvx(code, k.visit(years=4))
    k.give_cvx("115", k.visit(years=11))
    k.give_cvx("114", k.visit(years=11))
    return k


@scenario("Grade 7, no Tdap (MenACWY given at 11)",
          "tdap non_compliant (grade 7 booster missing); everything else "
          "compliant")
def _(sid):
    k = Kid(sid, "2012-05-21", "7")
    childhood(k)
    adolescent(k, tdap=False)
    return k


@scenario("Grade 7, Td instead of Tdap at 11",
          "tdap non_compliant: Td alone does not meet the grade 7 Tdap "
          "booster; dtap compliant; everything else compliant")
def _(sid):
    k = Kid(sid, "2012-11-29", "7")
    childhood(k)
    adolescent(k, tdap=False)
    k.give("Td", k.visit(years=11))
    return k


@scenario("Grade 7, age 13y5m, never had varicella vaccine until after the "
          "13th birthday: two doses 28 days apart (2024-03-20, 2024-04-17)",
          "varicella compliant under 10-204a-2a(h)(4) (first dose at 13+: "
          "28 days suffice); everything else compliant")
def _(sid):
    k = Kid(sid, "2011-03-10", "7")
    childhood(k)
    adolescent(k)
    k.drop("VAR")
    k.give("VAR", "2024-03-20")
    k.give("VAR", "2024-04-17")
    return k


@scenario("Grade 7, no meningococcal vaccine (Tdap given)",
          "meningococcal non_compliant; everything else compliant")
def _(sid):
    k = Kid(sid, "2012-07-07", "7")
    childhood(k)
    adolescent(k, men=False)
    return k


@scenario("Grade 8, no vaccines; religious exemption on file since "
          "2019-09-01 (enrolled in K-12 before 2021-04-28)",
          "exempt: grandfathered under Public Act 21-6 (every requirement that "
          "applies is exempt; hib, pneumococcal, influenza not_required). "
          "From the CSV (one empty row, no exemption) it is non_compliant")
def _(sid):
    k = Kid(sid, "2011-04-14", "8")
    k.exemptions.append({"type": "religious", "on_file_since": "2019-09-01"})
    return k


# ---- High school (grades 9-12) ----------------------------------------------

@scenario("Grade 09 (zero-padded), complete incl. Tdap and MenACWY at 11",
          "compliant")
def _(sid):
    k = Kid(sid, "2010-01-20", "09")
    childhood(k)
    adolescent(k)
    return k


@scenario("Grade 10, complete (turns 16 after the as-of date, so no "
          "MenACWY booster yet)",
          "compliant")
def _(sid):
    k = Kid(sid, "2009-03-03", "10")
    childhood(k)
    adolescent(k)
    return k


@scenario("Grade 11, complete incl. MenACWY booster at 16",
          "compliant")
def _(sid):
    k = Kid(sid, "2008-05-12", "11")
    childhood(k)
    adolescent(k)
    return k


@scenario("Grade 12, born 2006-11-02 (old for the grade), never had Hep A",
          "compliant: hepatitis_a not_required (born before 2007-01-01)")
def _(sid):
    k = Kid(sid, "2006-11-02", "12")
    childhood(k)
    adolescent(k)
    k.drop("HepA")
    return k


@scenario("Grade 12, born 2007-02-14, never had Hep A",
          "hepatitis_a non_compliant: born after 2007-01-01 and the Hep A "
          "roll-up reaches grade 12 in 2024-25 (provisional, design 5.3); "
          "everything else compliant")
def _(sid):
    k = Kid(sid, "2007-02-14", "12")
    childhood(k)
    adolescent(k)
    k.drop("HepA")
    return k


@scenario("Grade 10, one MMR dose and no Hep B, with lab immunity evidence "
          "for measles and hepatitis B",
          "measles and hepatitis_b compliant by titer; mumps and rubella "
          "non_compliant (1 dose; the titer covers measles only). From the CSV "
          "measles and hepatitis_b are not met either")
def _(sid):
    k = Kid(sid, "2009-04-04", "10")
    childhood(k)
    adolescent(k)
    k.drop("HepB")
    k.doses.remove({"vaccine": "MMR", "date": iso(k.visit(years=4))})
    k.evidence += [
        {"type": "lab_immunity", "disease": "measles", "date": "2023-05-01"},
        {"type": "lab_immunity", "disease": "hepatitis_b", "date": "2023-05-01"},
    ]
    return k


@scenario("Grade 11, no varicella vaccine; physician-documented varicella "
          "(disease_history, 2011-05-10)",
          "varicella compliant by disease history ((h)(5)/(h)(8) through the "
          "K and grade 7 cohorts); everything else compliant")
def _(sid):
    k = Kid(sid, "2008-01-30", "11")
    childhood(k)
    adolescent(k)
    k.drop("VAR")
    k.evidence.append({"type": "disease_history", "disease": "varicella",
                       "date": "2011-05-10"})
    return k


@scenario("Grade 9, one varicella dose, then a documented history of herpes "
          "zoster (zoster_history)",
          "varicella compliant under 10-204a-2a(h)(7); everything else "
          "compliant")
def _(sid):
    k = Kid(sid, "2010-06-22", "9")
    childhood(k)
    adolescent(k)
    k.doses.remove({"vaccine": "VAR", "date": iso(k.visit(years=4))})
    k.evidence.append({"type": "zoster_history"})
    return k


@scenario("Grade 10, arrived from abroad at 8: OPV x4 in infancy (last at "
          "4y), no DTaP ever; catch-up from age 8 with Td (CVX 113), Td "
          "(CVX 139) and Tdap, plus MMR, VAR, HepB, HepA, MenACWY at 11",
          "compliant: dtap via the 3-dose tetanus-diphtheria series started at "
          "7+ ((d)(3)), tdap met by the Tdap given at 8, polio by OPV")
def _(sid):
    k = Kid(sid, "2009-02-01", "10")
    for m in (2, 4, 12):
        k.give("OPV", k.visit(months=m))
    k.give("OPV", k.visit(years=4))
    t1 = k.visit(years=8)
    k.give_cvx("113", t1)
    k.give_cvx("139", t1 + timedelta(days=35))
    k.give("Tdap", add_months(t1 + timedelta(days=35), 7))
    for p in ("MMR", "VAR", "HepB", "HepA"):
        k.give(p, t1)
    for p in ("MMR", "HepB"):
        k.give(p, t1 + timedelta(days=35))
    k.give("VAR", add_months(t1, 4))
    k.give("HepB", add_months(t1, 7))
    k.give("HepA", add_months(t1, 7))
    k.give("MenACWY", k.visit(years=11))
    return k


# ---- Bad records: reported as errors, the batch goes on ----------------------

@scenario("K, a dose dated 2019-02-30 (impossible date)",
          "error: the dose date '2019-02-30' does not exist; other students "
          "still evaluated")
def _(sid):
    k = Kid(sid, "2019-01-12", "K")
    childhood(k)
    k.doses = [dict(d, date="2019-02-30") if d["date"] == iso(k.visit(months=2))
               and d["vaccine"] == "DTaP" else d for d in k.doses]
    return k


@scenario("Grade 3, a Hep B dose dated 2016-06-01, before the birth date "
          "2016-06-10",
          "error: dose before birth")
def _(sid):
    k = Kid(sid, "2016-06-10", "3")
    childhood(k)
    k.doses[0] = {"vaccine": "HepB", "date": "2016-06-01"}
    return k


@scenario("Grade 1, a dose of the unknown vaccine 'MMRR'",
          "error: unknown vaccine name 'MMRR'")
def _(sid):
    k = Kid(sid, "2018-01-15", "1")
    childhood(k)
    k.doses = [dict(d, vaccine="MMRR") if d.get("vaccine") == "MMR"
               and d["date"] == iso(k.visit(years=4)) else d for d in k.doses]
    return k


@scenario("Grade 4, no birth_date field",
          "error: missing required field birth_date")
def _(sid):
    k = Kid(sid, "2015-05-05", "4")
    childhood(k)
    k.birth = None
    return k


# --------------------------------------------------------------------------

def build() -> list[dict]:
    students = []
    for n, (_title, _expect, fn) in enumerate(SCENARIOS, start=1):
        rec = fn(f"stu-{n:04d}").record()
        students.append(rec)
    return students


def sanity(students: list[dict]) -> None:
    """Cheap checks that the generator did what the scenarios say."""
    bad_ids = {s["id"] for s in students[-4:]}
    for s in students:
        if s["id"] in bad_ids:
            continue
        born = date.fromisoformat(s["birth_date"])
        for d in s["doses"]:
            when = date.fromisoformat(d["date"])
            assert born <= when <= AS_OF, (s["id"], d)
            assert ("vaccine" in d) != ("cvx" in d), (s["id"], d)
    assert len({s["id"] for s in students}) == len(students)


def write_json(students: list[dict], path: Path) -> None:
    """One dose / evidence / exemption object per line: readable and diffable."""
    out = ["["]
    for i, s in enumerate(students):
        parts = []
        for key, val in s.items():
            if isinstance(val, list):
                if val:
                    items = ",\n".join("      " + json.dumps(x) for x in val)
                    parts.append(f'    {json.dumps(key)}: [\n{items}\n    ]')
                else:
                    parts.append(f"    {json.dumps(key)}: []")
            else:
                parts.append(f"    {json.dumps(key)}: {json.dumps(val)}")
        sep = "," if i < len(students) - 1 else ""
        out.append("  {\n" + ",\n".join(parts) + "\n  }" + sep)
    out.append("]")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == students


def write_csv(students: list[dict], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "birth_date", "grade", "vaccine", "cvx", "date"])
        for s in students:
            head = [s["id"], s.get("birth_date", ""), s["grade"]]
            if not s["doses"]:
                w.writerow(head + ["", "", ""])
            for d in s["doses"]:
                w.writerow(head + [d.get("vaccine", ""), d.get("cvx", ""),
                                   d["date"]])


def wide_columns(students: list[dict]) -> list[str]:
    """The dose columns of the wide layout: one per product (vaccine name, without regard to
    case, spelt as first seen; or CVX code) and dose number, in order of first use."""
    columns: list[str] = []
    for s in students:
        for column in wide_cells(s):
            if column not in columns:
                columns.append(column)
    return columns


def wide_cells(student: dict) -> dict[str, str]:
    """A student's doses as wide cells: `MMR_1`, `MMR_2`, `cvx_94_1`, ... -> date."""
    cells: dict[str, str] = {}
    counts: dict[str, int] = {}
    spelling = WIDE_SPELLING
    for d in student["doses"]:
        if d.get("vaccine"):
            key = spelling.setdefault(d["vaccine"].lower(), d["vaccine"])
        else:
            key = f"cvx_{d['cvx']}"
        counts[key] = counts.get(key, 0) + 1
        cells[f"{key}_{counts[key]}"] = d["date"]
    return cells


WIDE_SPELLING: dict[str, str] = {}


def write_wide(students: list[dict], path: Path) -> None:
    """The same doses as roster.csv, one row per student (docs/inputs.md, wide CSV)."""
    WIDE_SPELLING.clear()
    columns = wide_columns(students)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "birth_date", "grade", *columns])
        for s in students:
            cells = wide_cells(s)
            w.writerow([s["id"], s.get("birth_date", ""), s["grade"],
                        *(cells.get(c, "") for c in columns)])


# The FHIR example: a few students as a FHIR R4 Bundle (docs/inputs.md), doses by CVX code.
FHIR_STUDENTS = ("stu-0001", "stu-0012", "stu-0016", "stu-0020", "stu-0034",
                 "stu-0036", "stu-0045", "stu-0049")
FHIR_CVX = {"HepB": "08", "DTaP": "20", "Hib": "49", "PCV13": "133", "IPV": "10",
            "Flu": "150", "MMR": "03", "VAR": "21", "HepA": "83", "Tdap": "115",
            "MenACWY": "114", "OPV": "02"}
GRADE_URL = "http://ctrules.example/fhir/StructureDefinition/grade"


def fhir_bundle(students: list[dict]) -> dict:
    """Patients with their grade as an extension, and an Immunization per dose. Two extra
    Immunizations show what is not counted: stu-0012 has a `not-done` MMR (a refusal record,
    skipped with a notice), and stu-0036 a dose with the unknown CVX code 999 (an error)."""
    entries = []
    for s in students:
        if s["id"] not in FHIR_STUDENTS:
            continue
        pid = s["id"]
        entries.append({"fullUrl": f"urn:uuid:patient-{pid}", "resource": {
            "resourceType": "Patient", "id": pid,
            "identifier": [{"system": "urn:example:student-id", "value": pid}],
            "birthDate": s["birth_date"],
            "extension": [{"url": GRADE_URL, "valueString": s["grade"]}]}})
        doses = [(FHIR_CVX.get(d.get("vaccine", ""), d.get("cvx")), d["date"], "completed")
                 for d in s["doses"]]
        if pid == "stu-0012":
            doses.append(("03", "2024-08-20", "not-done"))
        if pid == "stu-0036":
            doses.append(("999", "2024-06-03", "completed"))
        for n, (code, when, status) in enumerate(doses, start=1):
            entries.append({"fullUrl": f"urn:uuid:imm-{pid}-{n}", "resource": {
                "resourceType": "Immunization", "id": f"imm-{pid}-{n}",
                "status": status,
                "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx",
                                            "code": code}]},
                "patient": {"reference": f"Patient/{pid}"},
                "occurrenceDateTime": when}})
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def write_fhir(students: list[dict], path: Path) -> None:
    """One entry per line: readable and diffable."""
    bundle = fhir_bundle(students)
    lines = ",\n".join("    " + json.dumps(e) for e in bundle["entry"])
    path.write_text('{"resourceType": "Bundle", "type": "collection", "entry": [\n'
                    + lines + "\n]}\n", encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == bundle


def table() -> str:
    rows = ["| id | grade | scenario | expected under `ct` as of 2024-09-01 |",
            "|---|---|---|---|"]
    for n, (title, expect, fn) in enumerate(SCENARIOS, start=1):
        sid = f"stu-{n:04d}"
        grade = fn(sid).grade
        rows.append(f"| {sid} | {grade} | {title} | {expect} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--table", action="store_true",
                    help="print the README scenario table instead of writing")
    ap.add_argument("--out", type=Path, default=HERE,
                    help="output directory (default: this script's directory)")
    args = ap.parse_args()
    if args.table:
        print(table())
        return
    students = build()
    sanity(students)
    args.out.mkdir(parents=True, exist_ok=True)
    write_json(students, args.out / "roster.json")
    write_csv(students, args.out / "roster.csv")
    write_wide(students, args.out / "roster_wide.csv")
    write_fhir(students, args.out / "fhir_bundle.json")
    n_doses = sum(max(1, len(s["doses"])) for s in students)
    print(f"wrote {len(students)} students, {n_doses} CSV rows to {args.out}")


if __name__ == "__main__":
    main()
