"""The CDC CVX table (ctrules/data/cvx.json), its generator (tools/update_cvx.py), and how a
dose naming an undeclared CVX code or CDC short name is resolved."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import pickle
import sys
from datetime import date
from pathlib import Path

import pytest

import ctrules
from ctrules import cvx

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "cvx_sources"
CVX_SOURCE = SOURCES / "codebase-cvx-0366724.psv"
VG_SOURCE = SOURCES / "codebase-vac2vg-9ab75f4.psv"
LIVE_SOURCE = SOURCES / "cdsi-4.64-live-virus.txt"
SNAPSHOT = date(2024, 8, 6)


def _tool():
    spec = importlib.util.spec_from_file_location("update_cvx", ROOT / "tools" / "update_cvx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["update_cvx"] = module
    spec.loader.exec_module(module)
    return module


# --- the table ---------------------------------------------------------------------------------


def test_header_names_its_sources_with_their_sha256_and_the_snapshot_date():
    header = cvx.table().header
    assert header["snapshot_date"] == "2024-08-06"
    assert "do not edit" in header["generated_by"]
    by_role = {s["role"]: s for s in header["sources"]}
    assert set(by_role) == {"cvx", "vg", "live"}
    for role, path in (("cvx", CVX_SOURCE), ("vg", VG_SOURCE), ("live", LIVE_SOURCE)):
        assert by_role[role]["file"] == path.name
        assert by_role[role]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "0366724667f92d4b266542e66b434d8556acdd85" in by_role["cvx"]["description"]
    assert "9ab75f47bb775b0c3c23f4e5072e9087bb446fe4" in by_role["vg"]["description"]
    assert by_role["cvx"]["cdc_url"].endswith("XML2.asp?rpt=cvx")
    assert header["added_from_newer_sources"] == []
    assert header["live_codes_not_in_cvx_table"] == ["333"]


def test_counts():
    table = cvx.table()
    counts = table.header["counts"]
    assert len(table) == counts["codes"] == 280
    assert {s: counts[f"status_{s}"] for s in ("Active", "Inactive", "Non-US", "Pending", "Never Active")} == {
        "Active": 111,
        "Inactive": 112,
        "Non-US": 39,
        "Pending": 0,
        "Never Active": 18,
    }
    assert counts["nonvaccine"] == sum(1 for c in table if c.nonvaccine) == 30
    assert counts["live"] == sum(1 for c in table if c.live) == 24
    assert counts["with_antigens"] == sum(1 for c in table if c.antigens) == 168


def test_the_shipped_file_is_exactly_what_the_generator_makes_of_its_sources():
    tool = _tool()
    shipped = (ROOT / "ctrules" / "data" / "cvx.json").read_text(encoding="utf-8")
    assert tool.render(tool.build(CVX_SOURCE, VG_SOURCE, LIVE_SOURCE, SNAPSHOT)) == shipped


def test_lookups():
    assert cvx.lookup("03") is cvx.lookup("3") is cvx.lookup(" 03 ")
    assert cvx.lookup("03").short == "MMR"
    assert cvx.lookup("12345") is None
    assert cvx.named("mmrv").code == "94"
    assert cvx.named("DTaP,IPV,Hib,HepB").code == "146"
    assert cvx.named("no such vaccine") is None
    assert cvx.antigens("146") == {"diphtheria", "tetanus", "pertussis", "polio", "hib", "hepatitis_b"}
    assert cvx.antigens("05") == {"measles"}  # CDC's MMR group, but a measles-only vaccine
    assert cvx.antigens("28") == {"diphtheria", "tetanus"}  # DT is in CDC's DTAP group: no pertussis
    assert cvx.antigens("121") == {"zoster"}  # not varicella
    assert cvx.is_live("94") and cvx.is_live("111") and not cvx.is_live("02") and not cvx.is_live("150")
    assert cvx.lookup("999").nonvaccine and cvx.lookup("998").nonvaccine and cvx.lookup("99").nonvaccine
    assert cvx.lookup("57").status == "Never Active"


# Codes the bundled rulesets declare for which the table gives no antigens: COVID-19 codes newer
# than the stored CDC vaccine-group table (see the header's vaccines_without_group). Reported,
# not "fixed": the rulesets' own declarations decide for them.
NO_TABLE_ANTIGENS = {"217", "218", "219", "221", "228", "229", "230"}


@pytest.mark.parametrize("name", ["ct", "ct-dph", "infinite-campus-ct"])
def test_every_declared_code_is_in_the_table_with_the_declared_antigens_and_live_flag(name):
    compiled = ctrules.load(name).compiled
    missing, no_antigens, differs, live = [], set(), [], []
    for product in compiled.products_by_name.values():
        declared = {a.text for a in product.antigens}
        for code in product.cvx:
            entry = cvx.lookup(code)
            if entry is None:
                missing.append(code)
            elif not entry.antigens:
                no_antigens.add(cvx.normalize(code))
            elif entry.antigens != declared:
                differs.append((code, product.name.text, sorted(declared), sorted(entry.antigens)))
            if entry is not None and entry.live != product.live:
                live.append((code, product.name.text))
    assert missing == []
    assert differs == []  # equal, not merely a superset, for every code the table can place
    assert live == []
    assert no_antigens == NO_TABLE_ANTIGENS


def test_every_declared_code_is_usable():
    compiled = ctrules.load("ct").compiled
    for product in compiled.products_by_name.values():
        for code in product.cvx:
            entry = cvx.lookup(code)
            assert entry is not None and entry.status in cvx.ACCEPTED_STATUSES and not entry.nonvaccine, code


# --- resolution ----------------------------------------------------------------------------------


def _evaluate(doses, birth="2021-01-15", grade="PK", as_of=date(2023, 11, 1), ruleset="ct"):
    return ctrules.load(ruleset).evaluate(
        {"id": "s1", "birth_date": birth, "grade": grade, "doses": doses}, as_of=as_of
    )


def test_a_declared_product_always_wins_over_the_table():
    compiled = ctrules.load("ct").compiled
    assert compiled.product_coded("03").name.text == "MMR"
    assert compiled.product_coded("146").name.text == "DTaP-IPV-Hib-HepB"
    # a CDC short name of a declared code gives the declared product
    assert compiled.product_named("Hep B, adult").name.text == "HepB"
    assert compiled.product_named("mmr").name.text == "MMR"
    # an undeclared code gives its implicit product
    implicit = compiled.product_coded("132")
    assert implicit.name.text == "CVX 132" and implicit.cvx == ("132",)
    assert {a.text for a in implicit.antigens} == {"diphtheria", "tetanus", "pertussis", "polio", "hib", "hepatitis_b"}
    assert compiled.product_named("influenza, southern hemisphere, pediatric, preservative free").name.text == "CVX 200"
    # exemptions name only declared products
    assert compiled.product("132") is None and compiled.product("MMR") is not None
    # unusable codes give nothing
    for code in ("999", "998", "99", "57", "12345"):
        assert compiled.product_coded(code) is None, code


def test_an_undeclared_influenza_code_counts_toward_the_influenza_requirement():
    declared = _evaluate([{"cvx": "150", "date": "2023-10-01"}]).requirements["influenza"]
    undeclared = _evaluate([{"cvx": "200", "date": "2023-10-01"}]).requirements["influenza"]
    none = _evaluate([]).requirements["influenza"]
    assert undeclared == declared
    assert undeclared.reasons[0] == "flu vaccine in the season 2023-08-01 to 2023-12-31: 2023-10-01"
    assert none.reasons[0].startswith("no dose of flu vaccine")
    by_name = _evaluate(
        [{"vaccine": "Influenza, Southern Hemisphere, pediatric, preservative free", "date": "2023-10-01"}]
    )
    assert by_name.requirements["influenza"] == declared


def test_an_undeclared_combination_counts_for_every_antigen_it_contains():
    doses = [{"cvx": "132", "date": d} for d in ("2021-03-15", "2021-05-15", "2021-07-15", "2022-04-15")]
    result = _evaluate(doses)
    for requirement in ("dtap", "polio", "hib", "hepatitis_b"):
        assert result.requirements[requirement].status.value == "compliant", requirement
    assert result.requirements["dtap"].reasons == (
        "4 valid doses of diphtheria, tetanus and pertussis containing vaccine: "
        "2021-03-15, 2021-05-15, 2021-07-15, 2022-04-15",
    )


def test_an_explicitly_listed_group_takes_no_implicit_product():
    # PCV10 (CVX 177, Non-US) is pneumococcal in the table, but `pcv-vaccine = PCV7, PCV13, …`
    # lists its products: a code the ruleset does not declare is never one of them.
    doses = [{"cvx": "177", "date": d} for d in ("2021-03-15", "2021-05-15", "2021-07-15", "2022-01-20")]
    pneumococcal = _evaluate(doses).requirements["pneumococcal"]
    assert pneumococcal.status.value == "non_compliant"
    assert pneumococcal.reasons[-1].endswith("do not count: not pneumococcal conjugate vaccine")
    assert "CVX 177 on 2021-03-15" in pneumococcal.reasons[-1]


@pytest.mark.parametrize(
    ("dose", "message"),
    [
        ({"cvx": "999"}, "field doses[0].cvx: CVX code '999' is not a vaccine in the CDC CVX table (CDC: \"unknown\")"),
        (
            {"cvx": "99"},
            "field doses[0].cvx: CVX code '99' is not a vaccine in the CDC CVX table (CDC: \"RESERVED - do not use\")",
        ),
        (
            {"cvx": "998"},
            "field doses[0].cvx: CVX code '998' is not a vaccine in the CDC CVX table (CDC: \"no vaccine administered\")",
        ),
        (
            {"cvx": "12345"},
            "field doses[0].cvx: CVX code '12345' is not a vaccine this ruleset knows, "
            "and is not in the CDC CVX table (snapshot of 2024-08-06)",
        ),
        (
            {"cvx": "57"},
            "field doses[0].cvx: CVX code '57' has CDC status 'Never Active', so no dose of it can have been given "
            '(CDC: "hantavirus")',
        ),
        (
            {"vaccine": "unknown"},
            "field doses[0].vaccine: vaccine 'unknown' is CDC CVX code 999, which is not a vaccine in the CDC CVX table "
            '(CDC: "unknown")',
        ),
        ({"vaccine": "MMRR"}, "field doses[0].vaccine: unknown vaccine 'MMRR' (did you mean \"MMR\"?)"),
    ],
)
def test_unusable_codes_are_a_ctr404_naming_the_problem(dose, message):
    result = _evaluate([{**dose, "date": "2022-01-20"}])
    assert result.status.value == "error"
    assert result.errors == (f"student s1, {message} [CTR404]",)


def test_a_code_without_a_vaccine_group_is_an_error_not_a_silent_nothing():
    result = _evaluate([{"cvx": "309", "date": "2023-10-01"}])
    assert result.status.value == "error"
    assert "has no vaccine group in the CDC tables ctrules ships" in result.errors[0]


def test_the_other_students_are_still_evaluated():
    rs = ctrules.load("ct")
    students = [
        {"id": "a", "birth_date": "2019-05-10", "grade": "K", "doses": [{"cvx": "999", "date": "2020-06-01"}]},
        {"id": "b", "birth_date": "2019-05-10", "grade": "K", "doses": [{"cvx": "146", "date": "2019-07-10"}]},
    ]
    results = list(rs.evaluate_many(students, as_of=date(2024, 9, 1)))
    assert [r.status.value for r in results][0] == "error" and results[1].status.value != "error"


def test_compiled_rulesets_still_pickle():
    compiled = ctrules.load("ct").compiled
    again = pickle.loads(pickle.dumps(compiled))
    assert again.product_coded("132").name.text == "CVX 132"
    assert again.product_coded("03").name.text == "MMR"


# --- the generator's readers --------------------------------------------------------------------


def test_the_generator_reads_cdc_cvx_txt(tmp_path):
    tool = _tool()
    lines = [
        "03        |MMR|measles, mumps and rubella virus vaccine||Active|False|2010/05/28",
        "999       |unknown|unknown vaccine or immune globulin|rarely used|Inactive|True|2020/10/27",
    ]
    path = tmp_path / "cvx.txt"
    path.write_bytes("\ufeff".encode("utf-16-le") + "\r\n".join(lines).encode("utf-16-le"))
    rows, source = tool.read_cvx(path)
    assert [(r.code, r.short, r.status, r.nonvaccine, r.last_updated) for r in rows] == [
        ("03", "MMR", "Active", False, "2010-05-28"),
        ("999", "unknown", "Inactive", True, "2020-10-27"),
    ]
    assert source.header()["cdc_url"].endswith("/downloads/cvx.txt")


def test_the_generator_reads_the_cdc_xml_and_finds_the_non_vaccines_by_their_order(tmp_path):
    tool = _tool()

    def info(code, short):
        return (
            f"<CVXInfo><ShortDescription>{short}</ShortDescription><FullVaccinename>{short}</FullVaccinename>"
            f"<CVXCode>{code:<10}</CVXCode><Notes/><Status>Active</Status><LastUpdated>5/28/2010</LastUpdated></CVXInfo>"
        )

    xml = tmp_path / "cvx.xml"
    xml.write_text(
        "<CVXCodes>"
        + info("03", "MMR")
        + info("21", "varicella")
        + info("86", "IG")
        + info("999", "unknown")
        + "</CVXCodes>"
    )
    rows, _ = tool.read_cvx(xml)
    assert [(r.code, r.nonvaccine) for r in rows] == [("03", False), ("21", False), ("86", True), ("999", True)]
    vg = tmp_path / "vac2vg.xml"
    vg.write_text(
        "<VGCodes><CVXVGInfo><Name>ShortDescription</Name><Value>MMRV</Value><Name>CVXCode</Name><Value>94  </Value>"
        "<Name>Status</Name><Value>Active</Value><Name>Vaccine Group Name</Name><Value>VARICELLA</Value>"
        "<Name>CVX for Vaccine Group</Name><Value>21</Value></CVXVGInfo></VGCodes>"
    )
    pairs, _ = tool.read_vg(vg)
    assert pairs == [("94", "VARICELLA")]


def test_the_generator_refuses_a_vaccine_group_it_has_no_antigens_for(tmp_path):
    tool = _tool()
    row = tool.CvxRow("999999", "new thing", "new thing vaccine", "Active", False, "2025-01-01")
    with pytest.raises(SystemExit, match="NEWGROUP"):
        tool.antigens_of(row, ["NEWGROUP"])


def test_the_shipped_json_is_one_code_a_line():
    text = (ROOT / "ctrules" / "data" / "cvx.json").read_text(encoding="utf-8")
    data = json.loads(text)
    code_lines = [line for line in text.splitlines() if line.startswith('{"code": ')]
    assert len(code_lines) == len(data["codes"])
