#!/usr/bin/env python3
"""Regenerate ctrules/data/cvx.json, the CDC CVX code table, from the CDC's own downloads.

Never edit cvx.json by hand: change a source (or the mappings below) and run this script.

    python tools/update_cvx.py --cvx cvx.txt --vg VG.txt --live LIVE.txt \
        --snapshot-date 2024-08-06 [-o ctrules/data/cvx.json] [--check]

Inputs, each a local file (nothing is downloaded):

- `--cvx`: the CVX table, either CDC's flat file `downloads/cvx.txt` (UTF-16LE with a BOM,
  pipe-delimited, codes space-padded: code|short description|full name|notes|status|
  nonvaccine|last updated), or the XML endpoint `XML2.asp?rpt=cvx` (`<CVXInfo>` records), or a
  `.psv` transcription of that XML (code|short|full name|status|last updated, `#` comments).
  The XML has no nonvaccine column: it lists the vaccines alphabetically and then the
  non-vaccines alphabetically, so the flag is read from where that order starts again (the
  script stops unless the order starts again exactly once).
- `--vg`: CVX to CDC vaccine group, either `downloads/VG.txt` (short|code|status|group|group
  CVX), the XML endpoint `XML.asp?rpt=vax2vg` (`<CVXVGInfo>` Name/Value pairs), or a `.psv`
  transcription (code|group|group CVX).
- `--live`: the CVX codes of live vaccines, one a line (`#` comments): CDSi
  ScheduleSupportingData "Live Virus Conflicts", the vaccines whose spacing CDSi checks.

What is derived, and how (the same rules every time):

- antigens: each CDC vaccine group maps to ctrules antigen names (GROUP_ANTIGENS). A group
  that stands for several antigens (MMR, DTAP, TDAP, Td) keeps for a code only the antigens
  that its CDC short or full name names (ANTIGEN_WORDS): CVX 05 "measles virus vaccine" is in
  CDC's MMR group but contains measles only; CVX 28 "DT (pediatric)" is in DTAP but has no
  pertussis. A code with no vaccine group gets no antigens (and ctrules will not count it).
- live: the code is in the `--live` list.
- statuses, names and dates come from the CVX table, which may be newer than the group table.

The header of the output names every source file with its sha256 and the snapshot date.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

CDC = "https://www2a.cdc.gov/vaccines/iis/iisstandards"
URLS = {
    ("cvx", "txt"): f"{CDC}/downloads/cvx.txt",
    ("cvx", "xml"): f"{CDC}/XML2.asp?rpt=cvx",
    ("vg", "txt"): f"{CDC}/downloads/VG.txt",
    ("vg", "xml"): f"{CDC}/XML.asp?rpt=vax2vg",
}
STATUSES = ("Active", "Inactive", "Non-US", "Pending", "Never Active")

# CDC vaccine group name -> the antigens (ctrules names, as in rulesets/ct/vaccines.ctr) it
# stands for. A group missing here stops the script: decide its antigens before shipping it.
GROUP_ANTIGENS: dict[str, tuple[str, ...]] = {
    "DTAP": ("diphtheria", "tetanus", "pertussis"),
    "TDAP": ("diphtheria", "tetanus", "pertussis"),
    "Td": ("diphtheria", "tetanus"),
    "MMR": ("measles", "mumps", "rubella"),
    "VARICELLA": ("varicella",),
    "POLIO": ("polio",),
    "HIB": ("hib",),
    "HepA": ("hepatitis_a",),
    "HepB": ("hepatitis_b",),
    "PneumoPCV": ("pneumococcal",),
    "PneumoPPV": ("pneumococcal",),
    "MENING": ("meningococcal",),
    "MeningB": ("meningococcal",),
    "FLU": ("influenza",),
    # Pandemic vaccines are their own groups in CDC's table and not seasonal influenza vaccine.
    "H1N1 flu": ("influenza_h1n1_2009",),
    "H5N1 flu": ("influenza_h5n1",),
    "HPV": ("hpv",),
    "ROTAVIRUS": ("rotavirus",),
    "COVID-19": ("covid_19",),
    # CDSi also counts zoster live toward varicella at some ages; ctrules does not.
    "ZOSTER": ("zoster",),
    "ADENO": ("adenovirus",),
    "ANTHRAX": ("anthrax",),
    "BCG": ("tuberculosis",),
    "cholera": ("cholera",),
    "DENGUE": ("dengue",),
    "Ebola": ("ebola",),
    "Japanese encephalitis": ("japanese_encephalitis",),
    "Lyme disease": ("lyme_disease",),
    "Plague": ("plague",),
    "RABIES": ("rabies",),
    "TYPHOID": ("typhoid",),
    "VACCINIA": ("smallpox",),
    "VEE": ("venezuelan_equine_encephalitis",),
    "YELLOWFEVER": ("yellow_fever",),
}

# For groups of several antigens: the words of a CDC name that show an antigen is in the product.
ANTIGEN_WORDS: dict[str, frozenset[str]] = {
    "measles": frozenset({"measles"}),
    "mumps": frozenset({"mumps"}),
    "rubella": frozenset({"rubella"}),
    "pertussis": frozenset({"pertussis", "dtap", "dtp", "tdap"}),
    "diphtheria": frozenset({"diphtheria", "dtap", "dtp", "tdap", "dt", "td"}),
    "tetanus": frozenset({"tetanus", "dtap", "dtp", "tdap", "dt", "td"}),
}


@dataclass(frozen=True)
class CvxRow:
    code: str
    short: str
    name: str
    status: str
    nonvaccine: bool | None
    last_updated: str


@dataclass(frozen=True)
class Source:
    role: str
    fmt: str
    path: Path
    description: str

    def header(self) -> dict[str, str]:
        entry = {
            "role": self.role,
            "file": self.path.name,
            "format": {"txt": "CDC flat file", "xml": "CDC XML endpoint", "psv": "transcription", "list": "list"}[
                self.fmt
            ],
            "sha256": hashlib.sha256(self.path.read_bytes()).hexdigest(),
        }
        url = URLS.get((self.role, "xml" if self.fmt == "psv" else self.fmt))
        if url:
            entry["cdc_url"] = url
        if self.description:
            entry["description"] = self.description
        return entry


def code_key(code: str) -> str:
    """`03` and `3` are the same code."""
    return code.strip().lstrip("0") or "0"


def _iso(day: str) -> str:
    day = day.strip()
    for fmt in ("%m/%d/%Y", "%Y/%m/%d", "%Y-%m-%d"):
        try:
            return datetime.strptime(day, fmt).date().isoformat()
        except ValueError:
            continue
    raise SystemExit(f"update_cvx: not a date: {day!r}")


def _text(path: Path) -> str:
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if raw[1:2] == b"\x00":  # UTF-16LE without its BOM
        return raw.decode("utf-16-le")
    return raw.decode("utf-8-sig")


def _comments_and_rows(path: Path) -> tuple[str, list[list[str]]]:
    comments, rows = [], []
    for line in _text(path).splitlines():
        if line.startswith("#"):
            comments.append(line[1:].strip())
        elif line.strip():
            rows.append([field.strip() for field in line.split("|")])
    return " ".join(comments), rows


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".txt": "txt", ".xml": "xml", ".psv": "psv"}.get(suffix, "txt")


def nonvaccine_from_order(rows: list[CvxRow]) -> list[CvxRow]:
    """The CDC XML lists vaccines, then non-vaccines, each run in alphabetical order of the short
    description: the record where the order starts again begins the non-vaccines."""
    keys = [row.short.lower() for row in rows]
    restarts = [i for i in range(1, len(keys)) if keys[i] < keys[i - 1]]
    if len(restarts) != 1:
        raise SystemExit(
            f"update_cvx: expected the CVX XML to restart its alphabetical order once (vaccines, then "
            f"non-vaccines), found {len(restarts)} restarts at {[rows[i].code for i in restarts]}"
        )
    first = restarts[0]
    return [CvxRow(r.code, r.short, r.name, r.status, i >= first, r.last_updated) for i, r in enumerate(rows)]


def read_cvx(path: Path) -> tuple[list[CvxRow], Source]:
    kind = _kind(path)
    description = ""
    rows: list[CvxRow] = []
    if kind == "xml":
        for info in ET.parse(path).getroot().iter("CVXInfo"):
            get = lambda tag, info=info: (info.findtext(tag) or "").strip()  # noqa: E731
            rows.append(
                CvxRow(
                    get("CVXCode"),
                    get("ShortDescription"),
                    get("FullVaccinename"),
                    get("Status"),
                    None,
                    _iso(get("LastUpdated")),
                )
            )
        rows = nonvaccine_from_order(rows)
    elif kind == "psv":
        description, fields = _comments_and_rows(path)
        for f in fields:
            if len(f) != 5:
                raise SystemExit(f"update_cvx: {path.name}: expected 5 fields, got {f}")
            rows.append(CvxRow(f[0], f[1], f[2], f[3], None, _iso(f[4])))
        rows = nonvaccine_from_order(rows)
    else:
        _, fields = _comments_and_rows(path)
        for f in fields:
            if len(f) < 7:
                raise SystemExit(f"update_cvx: {path.name}: expected 7 fields, got {f}")
            flag = f[5].lower()
            if flag not in ("true", "false"):
                raise SystemExit(f"update_cvx: {path.name}: nonvaccine flag {f[5]!r} for CVX {f[0]}")
            rows.append(CvxRow(f[0], f[1], f[2], f[4], flag == "true", _iso(f[6])))
    for row in rows:
        if row.status not in STATUSES:
            raise SystemExit(f"update_cvx: CVX {row.code}: unknown status {row.status!r}")
    return rows, Source("cvx", kind, path, description)


def read_vg(path: Path) -> tuple[list[tuple[str, str]], Source]:
    """(CVX code, CDC vaccine group) pairs."""
    kind = _kind(path)
    description = ""
    pairs: list[tuple[str, str]] = []
    if kind == "xml":
        for info in ET.parse(path).getroot().iter("CVXVGInfo"):
            names = [(n.text or "").strip() for n in info.findall("Name")]
            values = [(v.text or "").strip() for v in info.findall("Value")]
            record = dict(zip(names, values, strict=True))
            pairs.append((record["CVXCode"], record["Vaccine Group Name"]))
    elif kind == "psv":
        description, fields = _comments_and_rows(path)
        pairs = [(f[0], f[1]) for f in fields]
    else:
        _, fields = _comments_and_rows(path)
        for f in fields:
            if len(f) < 4:
                raise SystemExit(f"update_cvx: {path.name}: expected 5 fields, got {f}")
            pairs.append((f[1], f[3]))
    return pairs, Source("vg", kind, path, description)


def read_live(path: Path) -> tuple[set[str], Source]:
    description, fields = _comments_and_rows(path)
    return {code_key(f[0]) for f in fields}, Source("live", "list", path, description)


def _words(*names: str) -> set[str]:
    return {w for name in names for w in re.findall(r"[a-z0-9]+", name.lower())}


def antigens_of(row: CvxRow, groups: list[str]) -> list[str]:
    found: set[str] = set()
    words = _words(row.short, row.name)
    for group in groups:
        if group not in GROUP_ANTIGENS:
            raise SystemExit(
                f"update_cvx: CDC vaccine group {group!r} (CVX {row.code}) has no antigens in GROUP_ANTIGENS: "
                "add it before regenerating"
            )
        antigens = GROUP_ANTIGENS[group]
        if len(antigens) > 1:
            named = [a for a in antigens if words & ANTIGEN_WORDS[a]]
            if not named:
                raise SystemExit(f"update_cvx: CVX {row.code} {row.short!r} names none of {antigens} ({group})")
            antigens = tuple(named)
        found.update(antigens)
    return sorted(found)


def build(cvx: Path, vg: Path, live: Path, snapshot: date) -> dict[str, object]:
    rows, cvx_source = read_cvx(cvx)
    pairs, vg_source = read_vg(vg)
    live_codes, live_source = read_live(live)
    seen: dict[str, CvxRow] = {}
    for row in rows:
        if code_key(row.code) in seen:
            raise SystemExit(f"update_cvx: CVX {row.code} appears twice")
        seen[code_key(row.code)] = row
    shorts = Counter(row.short.lower() for row in rows)
    if any(n > 1 for n in shorts.values()):
        raise SystemExit(f"update_cvx: short descriptions repeat: {[s for s, n in shorts.items() if n > 1]}")
    groups: dict[str, list[str]] = {}
    for code, group in pairs:
        groups.setdefault(code_key(code), [])
        if group not in groups[code_key(code)]:
            groups[code_key(code)].append(group)

    entries = []
    for key in sorted(seen, key=int):
        row = seen[key]
        code_groups = sorted(groups.get(key, []))
        entries.append(
            {
                "code": row.code,
                "short": row.short,
                "name": row.name,
                "status": row.status,
                "nonvaccine": row.nonvaccine,
                "last_updated": row.last_updated,
                "groups": code_groups,
                "antigens": antigens_of(row, code_groups),
                "live": key in live_codes,
            }
        )
    without_group = [e["code"] for e in entries if not e["groups"] and not e["nonvaccine"]]
    status_counts = Counter(str(e["status"]) for e in entries)
    header: dict[str, object] = {
        "title": "CDC CVX codes (vaccines administered) with CDC vaccine groups, ctrules antigens and live flag",
        "generated_by": "tools/update_cvx.py (do not edit this file by hand)",
        "licence": "CDC IIS code sets are works of the US government, in the public domain",
        "snapshot_date": snapshot.isoformat(),
        "sources": [s.header() for s in (cvx_source, vg_source, live_source)],
        "rules": [
            "status, short and full names, last_updated: the CVX table",
            "nonvaccine: the CVX table's flag (cvx.txt) or, from the XML, its second alphabetical run",
            "groups: the CDC vaccine group table; antigens: each group's antigens in ctrules names, "
            "a group of several antigens (MMR, DTAP, TDAP, Td) keeping only those the CDC names name",
            "live: the code is in the live-virus list (CDSi live virus conflicts)",
            "ctrules counts a code only if it is a vaccine with status Active, Inactive or Non-US and has antigens",
        ],
        "counts": {
            "codes": len(entries),
            **{f"status_{s}": status_counts.get(s, 0) for s in STATUSES},
            "nonvaccine": sum(1 for e in entries if e["nonvaccine"]),
            "with_antigens": sum(1 for e in entries if e["antigens"]),
            "live": sum(1 for e in entries if e["live"]),
        },
        "vaccines_without_group": without_group,
        "group_codes_not_in_cvx_table": sorted({code_key(c) for c, _ in pairs} - set(seen), key=int),
        "live_codes_not_in_cvx_table": sorted(live_codes - set(seen), key=int),
        "added_from_newer_sources": [],
    }
    return {"header": header, "codes": entries}


def render(table: dict[str, object]) -> str:
    """Header indented; one code per line, so that a refresh diffs line by line."""
    codes = table["codes"]
    assert isinstance(codes, list)
    lines = ['{"header": ' + json.dumps(table["header"], indent=2, ensure_ascii=False) + ",", '"codes": [']
    lines += [json.dumps(e, ensure_ascii=False) + ("," if i < len(codes) - 1 else "") for i, e in enumerate(codes)]
    lines += ["]}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cvx", type=Path, required=True, help="cvx.txt, the cvx XML, or a .psv transcription")
    parser.add_argument("--vg", type=Path, required=True, help="VG.txt, the vax2vg XML, or a .psv transcription")
    parser.add_argument("--live", type=Path, required=True, help="CVX codes of live vaccines, one a line")
    parser.add_argument("--snapshot-date", type=date.fromisoformat, required=True, help="date of the CDC snapshot")
    parser.add_argument("-o", "--output", type=Path, default=Path(__file__).parent.parent / "ctrules/data/cvx.json")
    parser.add_argument("--check", action="store_true", help="exit 1 if the output file differs from a rebuild")
    args = parser.parse_args(argv)
    text = render(build(args.cvx, args.vg, args.live, args.snapshot_date))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"update_cvx: {args.output} is not what the sources give; rerun without --check", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
