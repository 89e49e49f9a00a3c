#!/usr/bin/env python3
"""Build examples/vendor_roster.json: students who show how Infinite Campus's Connecticut
rules (the bundled `infinite-campus-ct` ruleset) and the regulation (`ct`) decide, as of
2023-09-01 (school year 2023-24):

    ctrules evaluate --ruleset infinite-campus-ct --as-of 2023-09-01 examples/vendor_roster.json
    ctrules evaluate --ruleset ct --as-of 2023-09-01 examples/vendor_roster.json

Every date is written out, so the file reads as the scenario it is. `--table` prints the
README table of expectations. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent

def add_months(d: date, months: int, days: int = 0) -> date:
    """`d` plus calendar months (the birth dates below fall on days every month has), plus days."""
    y, m0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(y, m0 + 1, d.day) + timedelta(days=days)


# A complete childhood series by age: (product, months, days after that). Doses due at 4 years
# come two days after the 4th birthday (the vendor's "greater than 48 months").
SERIES = [
    ("HepB", 0, 1), ("HepB", 2, 0), ("HepB", 6, 0),
    ("DTaP", 2, 0), ("DTaP", 4, 0), ("DTaP", 6, 0), ("DTaP", 15, 0), ("DTaP", 48, 2),
    ("IPV", 2, 0), ("IPV", 4, 0), ("IPV", 12, 5), ("IPV", 48, 2),
    ("Hib", 2, 0), ("Hib", 4, 0), ("Hib", 12, 5),
    ("PCV13", 2, 0), ("PCV13", 4, 0), ("PCV13", 6, 0), ("PCV13", 12, 5),
    ("MMR", 12, 5), ("VAR", 12, 5), ("HepA", 12, 5), ("HepA", 18, 6),
    ("MMR", 48, 2), ("VAR", 48, 2),
]
PRESCHOOL_FLU = [("Flu", "2021-10-01"), ("Flu", "2021-11-01"), ("Flu", "2022-10-15"), ("Flu", "2023-08-20")]
ADOLESCENT = [("Tdap", "2023-06-01"), ("MenACWY", "2023-06-01")]


def series(birth: str, *, up_to_months: int = 999) -> list[tuple[str, str]]:
    born = date.fromisoformat(birth)
    doses = [(p, add_months(born, m, d)) for p, m, d in SERIES if m <= up_to_months]
    return [(p, d.isoformat()) for p, d in sorted(doses, key=lambda pd: pd[1])]


def without(doses: list[tuple[str, str]], *products: str, last: bool = False) -> list[tuple[str, str]]:
    """The doses without every dose of `products` (only the last one, with `last`)."""
    if not last:
        return [d for d in doses if d[0] not in products]
    drop = max(i for i, d in enumerate(doses) if d[0] in products)
    return doses[:drop] + doses[drop + 1 :]


K_BIRTH, PK_BIRTH, G7_BIRTH = "2018-04-10", "2019-06-01", "2011-02-01"
K = series(K_BIRTH)
PK = series(PK_BIRTH, up_to_months=18) + PRESCHOOL_FLU
G7 = series(G7_BIRTH) + ADOLESCENT

# id, birth date, grade, doses, extra fields, what the vendor says, what the regulation says.
# Each student is complete but for the one point the scenario is about.
STUDENTS: list[tuple[str, str, str, list[tuple[str, str]], dict, str, str]] = [
    ("ic-01", K_BIRTH, "K", K, {}, "compliant throughout", "compliant throughout"),
    ("ic-02", K_BIRTH, "K", without(K, "HepB") + [("HepB", "2023-07-20"), ("HepB", "2023-08-20")], {},
     'hepatitis_b in_progress: rule "2 doses" (the second dose 12 days ago)',
     "hepatitis_b in_progress: the third dose cannot count before 2023-11-09"),
    ("ic-03", K_BIRTH, "K", without(K, "HepB") + [("HepB", "2023-08-22")], {},
     'hepatitis_b in_progress: rule "1 dose" (the dose 10 days ago)',
     "hepatitis_b in_progress: the second dose cannot count before 2023-09-19"),
    ("ic-04", PK_BIRTH, "PK", without(PK, "HepA") + [("HepA", "2023-06-01")], {},
     'hepatitis_a in_progress: rule "1 dose" (a dose 3 months ago)',
     "hepatitis_a in_progress: the second dose cannot count before 2023-12-01"),
    ("ic-05", G7_BIRTH, "7", without(G7, "MenACWY") + [("MenB", "2023-06-01")], {},
     "meningococcal compliant: any meningococcal vaccine counts (D7)",
     "meningococcal non_compliant: conjugate MenACWY only (A-17)"),
    ("ic-06", K_BIRTH, "K", without(K, "MMR", last=True) + [("MMR", "2019-05-13")], {},
     'measles, mumps, rubella compliant by rule "1 dose 16 months": a second MMR exactly 28 days after the first '
     'fails the K-12 rules ("greater than 28 days") and that rule has no grade (D8, D11)',
     'measles, mumps, rubella compliant: "at least twenty-eight (28) days apart"'),
    ("ic-07", PK_BIRTH, "PK", without(PK, "Flu"), {},
     'influenza non_compliant: rule "Default ages 24-59 months" (no dose ever)',
     "influenza in_progress: a first-time recipient; the dose is due by 2023-12-31"),
    ("ic-08", PK_BIRTH, "PK", PK[:-1], {},
     "influenza not_required: no rule matches doses 10 months old and more (D18, V-05)",
     "influenza in_progress: this season's dose is due by 2023-12-31"),
    ("ic-09", G7_BIRTH, "7", without(G7, "Tdap") + [("DTaP", "2018-01-29")], {},
     "tdap compliant: DTaP given 3 days before the 7th birthday counts with the 4-day tolerance (D5, D22)",
     "tdap non_compliant: one dose of Tdap (A-18)"),
    ("ic-10", PK_BIRTH, "PK", PK, {},
     'tdap non_compliant: the "Preschool - Grade 6" rule omits PK (D5)',
     "tdap not_required"),
    ("ic-11", G7_BIRTH, "7", without(G7, "PCV13") + [("PCV13", "2011-04-01"), ("PCV13", "2011-06-01")], {},
     'pneumococcal non_compliant: the "No Requirement" rule omits grade 07 (D15)',
     "pneumococcal not_required: (j)(2) age five or older"),
    ("ic-12", K_BIRTH, "K", without(K, "VAR", last=True), {},
     'varicella compliant: rule "1 dose ages 19 months and older" has no grade (D13)',
     "varicella non_compliant: (h)(3) two doses"),
    ("ic-13", "2005-10-01", "12", without(series("2005-10-01"), "HepA") + ADOLESCENT, {},
     'hepatitis_a not_required: rule "Grade 12 23-24" (active 07/01/2023 to 06/30/2024)',
     "hepatitis_a not_required: born before 2007-01-01 (A-14)"),
    ("ic-14", K_BIRTH, "K", without(K, "MMR"),
     {"exemptions": [{"type": "religious", "on_file_since": "2022-09-01"}]},
     "measles, mumps, rubella exempt: a religious waiver stands whatever its date (D21)",
     "measles, mumps, rubella non_compliant: a religious statement of 2022 is not honoured (Public Act 21-6)"),
]


def records() -> list[dict]:
    out = []
    for sid, birth, grade, doses, extra, _, _ in STUDENTS:
        record = {
            "id": sid,
            "birth_date": birth,
            "grade": grade,
            "doses": [{"vaccine": v, "date": d} for v, d in doses],
        }
        record.update(extra)
        out.append(record)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", action="store_true", help="print the README table instead")
    args = parser.parse_args()
    if args.table:
        print("| id | grade | infinite-campus-ct | ct |")
        print("|---|---|---|---|")
        for sid, _, grade, _, _, vendor, regulation in STUDENTS:
            print(f"| {sid} | {grade} | {vendor} | {regulation} |")
        return
    (HERE / "vendor_roster.json").write_text(json.dumps(records(), indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
