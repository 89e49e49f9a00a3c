#!/usr/bin/env python3
"""Synthetic Connecticut student rosters for benchmarks, of any size, streamed to disk.

    python bench/make_roster.py --students 100000 -o bench/.cache/roster-100000.jsonl
    python bench/make_roster.py --students 5000 --format csv -o roster.csv

Each student is drawn from a random generator seeded by (seed, position), so student 17 is the
same whatever the roster's size, and the same seed always gives the same file. Students are
written one by one as they are made: memory does not grow with the roster.

The mix, by student (judged on --as-of, default 2024-09-01, the start of school year 2024-25):

- grades P3 to 12, each with a birth date that fits the grade; a `school` by grade band
  (a few without one);
- most have the routine ACIP childhood and adolescent schedule, with visits a few days to weeks
  after the due date; some use combination vaccines (DTaP-HepB-IPV, DTaP-IPV/Hib, DTaP-IPV,
  MMRV); some records use CVX codes instead of names; preschoolers get a flu dose each season;
- some are late (every visit months behind), some miss a dose, some have no doses at all;
- some have an invalid dose: given too early (MMR before the 1st birthday) or too close to the
  one before (varicella, DTaP);
- a few have exemptions (medical, with or without an end date; religious, on file before or
  after 2021-04-28) or evidence (titers, varicella history, an in-process certificate);
- a few records are malformed: an impossible date, a dose before birth, an unknown vaccine, a
  missing birth date, an unknown grade.

JSON Lines follows the contract's section 2; the long CSV its section 3 (one row per dose;
evidence, exemptions and school exist only in JSON). Only the standard library is used.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

GRADES = ("P3", "PK", "K", *(str(n) for n in range(1, 13)))
SCHOOLS = {
    "elementary": ("Maple Street School", "Oak Hill School", "Riverside Elementary School"),
    "middle": ("Central Middle School", "Lakeview Middle School"),
    "high": ("Valley Regional High School",),
}
CVX = {
    "MMR": "03", "MMRV": "94", "VAR": "21", "DTaP": "20", "Tdap": "115", "Td": "113", "IPV": "10",
    "Hib": "49", "HepB": "08", "HepA": "83", "PCV13": "133", "MenACWY": "136", "Flu": "150",
    "DTaP-HepB-IPV": "110", "DTaP-IPV/Hib": "120", "DTaP-IPV": "130",
}  # fmt: skip

# What happens to a student, with its share (per mille) of the roster.
PROFILES = (
    ("complete", 760),
    ("late", 50),
    ("missing_dose", 70),
    ("no_doses", 10),
    ("too_early", 20),
    ("too_close", 20),
    ("exemption", 30),
    ("evidence", 25),
    ("malformed", 15),
)


def add_months(d: date, months: int) -> date:
    """CDSi calendar months: keep the day; a day the month lacks moves to the 1st of the next."""
    y, m0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    try:
        return date(y, m0 + 1, d.day)
    except ValueError:
        return date(y + 1, 1, 1) if m0 == 11 else date(y, m0 + 2, 1)


class Builder:
    """One student's record under construction."""

    def __init__(self, rng: random.Random, birth: date, as_of: date, by_cvx: bool, delay_months: int):
        self.rng = rng
        self.birth = birth
        self.as_of = as_of
        self.by_cvx = by_cvx
        self.delay = delay_months
        self.doses: list[tuple[date, str]] = []

    def at(self, months: int, days: int = 0) -> date:
        """A routine visit: the due age, plus any delay, plus a few days to a few weeks."""
        return add_months(self.birth, months + self.delay) + timedelta(days=days + self.rng.randint(0, 20))

    def give(self, product: str, when: date) -> None:
        if when <= self.as_of:
            self.doses.append((when, product))

    def drop(self, *products: str) -> None:
        self.doses = [d for d in self.doses if d[1] not in products]

    def dose_dicts(self) -> list[dict[str, str]]:
        self.doses.sort()
        if self.by_cvx:
            return [{"cvx": CVX[p], "date": d.isoformat()} for d, p in self.doses]
        return [{"vaccine": p, "date": d.isoformat()} for d, p in self.doses]


def routine(b: Builder, combos: bool, mmrv: bool) -> None:
    """The ACIP routine schedule up to the as-of date."""
    b.give("HepB", b.birth + timedelta(days=b.rng.randint(0, 2)))
    for m in (2, 4, 6):
        when = b.at(m)
        if combos:
            b.give("DTaP-HepB-IPV", when)
        else:
            b.give("DTaP", when)
            b.give("IPV" if m < 6 else "HepB", when)
            if m == 2:
                b.give("HepB", when)
        b.give("Hib", when)
        b.give("PCV13", when)
    if not combos:
        b.give("IPV", b.at(12))
    twelve = b.at(12)
    b.give("PCV13", twelve)
    b.give("MMR", twelve)
    b.give("VAR", twelve)
    b.give("HepA", twelve)
    fifteen = b.at(15)
    if combos:
        b.give("DTaP-IPV/Hib", fifteen)
    else:
        b.give("DTaP", fifteen)
        b.give("Hib", fifteen)
    b.give("HepA", b.at(19))
    four = b.at(48)
    if combos:
        b.give("DTaP-IPV", four)
    else:
        b.give("DTaP", four)
        b.give("IPV", four)
    if mmrv:
        b.give("MMRV", four)
    else:
        b.give("MMR", four)
        b.give("VAR", four)
    eleven = b.at(132)
    b.give("Tdap", eleven)
    b.give("MenACWY", eleven)
    b.give("MenACWY", b.at(192))
    # Influenza each season (Aug-Nov) from 6 months to 5 years; two doses in the first season.
    first = True
    for year in range(b.birth.year, b.as_of.year + 1):
        season = date(year, 8, 1) + timedelta(days=b.rng.randint(0, 110))
        months = (season.year - b.birth.year) * 12 + season.month - b.birth.month
        if 6 <= months < 60 and b.rng.random() < 0.9:
            b.give("Flu", season)
            if first:
                b.give("Flu", season + timedelta(days=28 + b.rng.randint(0, 10)))
                first = False


def birth_for(grade: str, as_of: date, rng: random.Random) -> date:
    """A birth date that fits the grade: 5 on September 1 in kindergarten, one year more a grade."""
    rank = GRADES.index(grade) - 2
    sep1 = date(as_of.year if as_of.month >= 8 else as_of.year - 1, 9, 1)
    youngest = date(sep1.year - 5 - rank, 9, 1)
    return youngest - timedelta(days=rng.randint(0, 364))


def school_for(grade: str, rng: random.Random) -> str | None:
    if rng.random() < 0.03:
        return None
    rank = GRADES.index(grade) - 2
    band = "elementary" if rank <= 5 else "middle" if rank <= 8 else "high"
    return rng.choice(SCHOOLS[band])


def student(index: int, seed: int, as_of: date) -> dict[str, Any]:
    rng = random.Random(seed * 1_000_003 + index)
    roll = rng.randrange(1000)
    profile = PROFILES[-1][0]
    for name, share in PROFILES:
        if roll < share:
            profile = name
            break
        roll -= share
    grade = rng.choice(GRADES)
    birth = birth_for(grade, as_of, rng)
    delay = rng.randint(1, 8) if profile == "late" else 0
    b = Builder(rng, birth, as_of, by_cvx=rng.random() < 0.15, delay_months=delay)
    record: dict[str, Any] = {"id": f"syn-{index:07d}", "birth_date": birth.isoformat(), "grade": grade}
    school = school_for(grade, rng)
    if school:
        record["school"] = school
    if profile != "no_doses":
        routine(b, combos=rng.random() < 0.3, mmrv=rng.random() < 0.25)
    evidence: list[dict[str, str]] = []
    exemptions: list[dict[str, Any]] = []
    if profile == "missing_dose" and b.doses:
        b.doses.pop(rng.randrange(len(b.doses)))
    elif profile == "too_early":
        b.drop("MMR", "MMRV")
        b.give("MMR", add_months(birth, 12) - timedelta(days=rng.randint(5, 40)))
        b.give("MMR", b.at(48))
    elif profile == "too_close":
        given = sorted(d for d, p in b.doses if p in ("VAR", "DTaP"))
        if given:
            b.give(rng.choice(("VAR", "DTaP")), given[0] + timedelta(days=rng.randint(7, 20)))
            b.drop("MMRV")
    elif profile == "exemption":
        kind = rng.random()
        if kind < 0.6:
            vaccine = rng.choice(("MMR", "VAR", "HepB", "DTaP"))
            b.drop(vaccine, "MMRV" if vaccine in ("MMR", "VAR") else "", "DTaP-HepB-IPV", "DTaP-IPV", "DTaP-IPV/Hib")
            entry: dict[str, Any] = {"type": "medical", "vaccines": [vaccine]}
            if rng.random() < 0.5:
                entry["until"] = (as_of + timedelta(days=rng.randint(-200, 300))).isoformat()
            exemptions.append(entry)
        else:
            b.doses.clear()
            since = date(rng.choice((2016, 2018, 2019, 2021, 2022)), 9, 1)
            exemptions.append({"type": "religious", "on_file_since": max(since, birth).isoformat()})
    elif profile == "evidence":
        kind = rng.random()
        if kind < 0.4:
            b.drop("VAR", "MMRV")
            evidence.append(
                {"type": "disease_history", "disease": "varicella", "date": add_months(birth, 30).isoformat()}
            )
        elif kind < 0.7:
            b.drop("HepB", "DTaP-HepB-IPV")
            evidence.append(
                {"type": "lab_immunity", "disease": "hepatitis_b", "date": (as_of - timedelta(days=90)).isoformat()}
            )
        else:
            b.drop("HepA")
            b.give("HepA", as_of - timedelta(days=rng.randint(5, 25)))
            evidence.append({"type": "in_process", "date": (as_of - timedelta(days=3)).isoformat()})
    record["doses"] = b.dose_dicts()
    if evidence:
        record["evidence"] = evidence
    if exemptions:
        record["exemptions"] = exemptions
    if profile == "malformed":
        _break(record, rng)
    return record


def _break(record: dict[str, Any], rng: random.Random) -> None:
    """Make a record bad in one of the ways a school information system export goes wrong."""
    doses = record["doses"]
    fault = rng.randrange(5)
    if fault == 0 and doses:
        doses[0]["date"] = doses[0]["date"][:5] + "02-30"
    elif fault == 1 and doses:
        doses[-1]["date"] = "1999-01-01"
    elif fault == 2 and doses:
        doses[rng.randrange(len(doses))] = {"vaccine": "MMRR", "date": doses[0]["date"]}
    elif fault == 3:
        del record["birth_date"]
    else:
        record["grade"] = "13"


def students(n: int, seed: int, as_of: date) -> Iterator[dict[str, Any]]:
    return (student(i, seed, as_of) for i in range(1, n + 1))


def write_jsonl(records: Iterator[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, separators=(",", ":")) + "\n")
        count += 1
    return count


def write_csv(records: Iterator[dict[str, Any]], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "birth_date", "grade", "vaccine", "cvx", "date"])
    count = 0
    for record in records:
        head = [record["id"], record.get("birth_date", ""), record["grade"]]
        if not record["doses"]:
            writer.writerow([*head, "", "", ""])
        for dose in record["doses"]:
            writer.writerow([*head, dose.get("vaccine", ""), dose.get("cvx", ""), dose["date"]])
        count += 1
    return count


def write(path: Path | None, n: int, *, seed: int = 1, as_of: date = date(2024, 9, 1), style: str = "jsonl") -> int:
    """Write `n` students to `path` (stdout if None); the file appears only once complete."""
    writer = write_csv if style == "csv" else write_jsonl
    if path is None:
        return writer(students(n, seed, as_of), sys.stdout)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    with partial.open("w", encoding="utf-8", newline="") as out:
        count = writer(students(n, seed, as_of), out)
    partial.replace(path)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000, help="how many students (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2024, 9, 1))
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    count = write(args.output, args.students, seed=args.seed, as_of=args.as_of, style=args.format)
    if args.output:
        print(f"wrote {count} students to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
