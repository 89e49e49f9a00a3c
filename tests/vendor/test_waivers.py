"""Infinite Campus waivers (not in the article; NOTE D21): "Infinite Campus records waivers
(medical, conscientious or religious objection, lab confirmation) on the student; a waiver stands
whatever its date, with no Public Act 21-6 cut-off and no statutory disease-specific exemptions."

The ruleset declares `exemption medical` ("Medical waiver recorded in Infinite Campus") and
`exemption religious` ("Conscientious/religious objection waiver recorded in Infinite Campus (no
Public Act 21-6 cut-off)"). A waiver turns a non-compliant or in-progress requirement into
`exempt`; it does not change compliant or not-required results. Exempt results cite no rule.
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add, birthday

from .conftest import AS_OF, ONE_DAY, evaluate, evaluate_all, medical, religious, student

REQUIREMENTS: tuple[str, ...] = ()
RULES: tuple[str, ...] = ()

K_BIRTH = date(2018, 5, 10)  # K on AS_OF
PA_21_6 = date(2021, 4, 28)


def test_medical_waiver_for_mmr_covers_measles_mumps_rubella(ic, snapshot):
    """NOTE (D21); `exemption medical`: "Medical waiver recorded in Infinite Campus".

    Case: K with no MMR and a medical waiver naming MMR, no end date: measles, mumps and rubella
    are exempt; varicella (not named) stays non_compliant.
    """
    result = evaluate_all(ic, student(K_BIRTH, "K", exemptions=[medical(["MMR"])]))
    for requirement in ("measles", "mumps", "rubella"):
        r = result.requirements[requirement]
        assert r.status.value == "exempt"
        assert r.clause is None
    assert result.requirements["varicella"].status.value == "non_compliant"
    assert [result.requirements[q].to_dict() for q in ("measles", "varicella")] == snapshot


def test_medical_waiver_until_evaluation_date(ic, snapshot):
    """`exemption medical`: a waiver's `until` date is the last day it holds.

    Case: K with no DTaP-containing dose and a medical waiver for the `dtap` requirement until AS_OF:
    exempt.
    """
    record = student(K_BIRTH, "K", exemptions=[medical(requirements=["dtap"], until=AS_OF)])
    r = evaluate(ic, record, "dtap")
    assert r.status.value == "exempt"
    assert r.clause is None
    assert r.to_dict() == snapshot


def test_medical_waiver_ended_day_before(ic, snapshot):
    """`exemption medical`: a waiver that has ended is not honoured.

    Case: as above with the waiver ending the day before AS_OF: non_compliant, "4 doses K-12"
    closest, with the ended waiver in the reasons.
    """
    record = student(K_BIRTH, "K", exemptions=[medical(requirements=["dtap"], until=AS_OF - ONE_DAY)])
    r = evaluate(ic, record, "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == "4 doses K-12"
    assert r.to_dict() == snapshot


def test_d21_religious_waiver_after_pa_21_6_is_honoured(ic, snapshot):
    """NOTE (D21): "a waiver stands whatever its date, with no Public Act 21-6 cut-off";
    `exemption religious`: "Conscientious/religious objection waiver recorded in Infinite Campus (no
    Public Act 21-6 cut-off)".

    Case: K with no doses and a religious waiver on file since 2023-08-15 (after 2021-04-28): every
    requirement that would be non_compliant is exempt; those no rule requires of a K student of 5
    (Tdap, meningococcal, pneumococcal, Hib, influenza) stay not_required; the overall status is
    exempt.
    """
    result = evaluate_all(ic, student(K_BIRTH, "K", exemptions=[religious(date(2023, 8, 15))]))
    statuses = {name: r.status.value for name, r in result.requirements.items()}
    assert statuses == {
        "dtap": "exempt",
        "tdap": "not_required",
        "hepatitis_b": "exempt",
        "meningococcal": "not_required",
        "measles": "exempt",
        "mumps": "exempt",
        "rubella": "exempt",
        "varicella": "exempt",
        "polio": "exempt",
        "pneumococcal": "not_required",
        "hib": "not_required",
        "hepatitis_a": "exempt",
        "influenza": "not_required",
    }
    assert result.status.value == "exempt"
    assert result.to_dict() == snapshot


def test_religious_waiver_filed_after_evaluation_date(ic, snapshot):
    """`exemption religious`: the waiver holds from the date it is on file.

    Case: K with no MMR and a religious waiver on file from the day after AS_OF: not honoured;
    measles non_compliant, "2 MMR K-12" closest, with the waiver in the reasons.
    """
    r = evaluate(ic, student(K_BIRTH, "K", exemptions=[religious(AS_OF + ONE_DAY)]), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == "2 MMR K-12"
    assert r.to_dict() == snapshot


def test_waiver_turns_in_progress_into_exempt(ic, snapshot):
    """Hepatitis B "1 dose In Progress"; `exemption religious` (NOTE D21).

    Case: newborn (born 2023-08-04) with the HepB birth dose, 28 days before AS_OF ("1 dose": in
    progress), and a religious waiver on file since birth: exempt.
    """
    birth = add(AS_OF, days=-28)
    record = student(birth, "P3", [("HepB", birth)], exemptions=[religious(birth)])
    r = evaluate(ic, record, "hepatitis_b")
    assert r.status.value == "exempt"
    assert r.clause is None
    assert r.to_dict() == snapshot


def test_waiver_does_not_change_a_compliant_result(ic, snapshot):
    """A waiver matters only when a requirement is not met. "2 MMR K-12 Compliant".

    Case: K with MMR the day after the 1st birthday and 29 days later, and a medical waiver for MMR:
    compliant by "2 MMR K-12".
    """
    first = birthday(K_BIRTH, 1) + ONE_DAY
    doses = [("MMR", first), ("MMR", add(first, days=29))]
    r = evaluate(ic, student(K_BIRTH, "K", doses, exemptions=[medical(["MMR"])]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == "2 MMR K-12"
    assert r.to_dict() == snapshot


def test_waiver_before_pa_21_6_is_honoured(ic, snapshot):
    """NOTE (D21): "a waiver stands whatever its date".

    Case: grade 4 (born 2014-02-03) with no polio dose and a religious waiver on file since
    2021-04-27, the day before Public Act 21-6: exempt (as one filed after it is).
    """
    record = student(date(2014, 2, 3), "4", exemptions=[religious(PA_21_6 - ONE_DAY)])
    r = evaluate(ic, record, "polio")
    assert r.status.value == "exempt"
    assert r.clause is None
    assert r.to_dict() == snapshot
