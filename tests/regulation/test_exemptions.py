"""Conn. Gen. Stat. § 10-204a: medical and religious exemptions (as amended by Public Act 21-6),
the statutory measles/mumps/rubella confirmed-case exemption, and the in-process certificate.

The statute's text is only partly verified (connecticut.md § 3.1: the opening of (a) and clause
(1) are [V]; the rest is reconstructed [U]); quotations below are those in connecticut.md § 3 and
in the ruleset's `says` lines. Reading A-20: the PA 21-6 boundary ("prior to April 28, 2021" for
the statement, "on or before April 28, 2021" for enrolment) is provisional.

Statuses (connecticut.md): medical, grandfathered religious or statutory exemption → `exempt`;
a certificate that immunizations are in process → `in_progress`.
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import birthday

from .conftest import AS_OF, ONE_DAY, evaluate, history, in_process, medical, religious, student

MEDICAL = "10-204a(a)(2)"
RELIGIOUS = "10-204a(a)(3)"
CONFIRMED_CASE = "10-204a(a)(4)"
A1 = "10-204a-2a(a)(1)"
A2 = "10-204a-2a(a)(2)"
B2 = "10-204a-2a(b)(2)"
E2 = "10-204a-2a(e)(2)"

PA_21_6 = date(2021, 4, 28)
K_BIRTH = date(2019, 5, 10)  # K on AS_OF
G4_BIRTH = date(2015, 2, 3)  # grade 4 on AS_OF: kindergarten 2020-21, before PA 21-6
G3_BIRTH = date(2016, 2, 3)  # grade 3 on AS_OF: kindergarten 2021-22, after PA 21-6

ONE_MMR = [("MMR", birthday(K_BIRTH, 1))]


# --- medical ----------------------------------------------------------------------------------


def test_medical_without_until_is_exempt(ct, snapshot):
    """§ 10-204a(a)(2): "presents a certificate, in a form prescribed by the commissioner pursuant
    to section 19a-7a, from a physician, physician assistant or advanced practice registered nurse
    stating that in the opinion of such physician, physician assistant or advanced practice
    registered nurse such immunization is medically contraindicated because of the physical
    condition of such child"

    Case: K with no MMR and a medical exemption for MMR without an end date: measles exempt.
    """
    r = evaluate(ct, student(K_BIRTH, "K", exemptions=[medical(["MMR"])]), "measles")
    assert r.status.value == "exempt"
    assert r.clause == MEDICAL
    assert r.to_dict() == snapshot


def test_medical_until_evaluation_date_is_exempt(ct, snapshot):
    """§ 10-204a(a)(2): "... such immunization is medically contraindicated because of the
    physical condition of such child"; § 10-204a-3a(e): a temporary contraindication is reviewed
    at least annually.

    Case: K with one MMR and a temporary medical exemption for MMR `until` AS_OF itself (the last
    day it is valid): measles exempt.
    """
    r = evaluate(ct, student(K_BIRTH, "K", ONE_MMR, exemptions=[medical(["MMR"], until=AS_OF)]), "measles")
    assert r.status.value == "exempt"
    assert r.clause == MEDICAL
    assert r.to_dict() == snapshot


def test_medical_until_one_day_before_evaluation_date(ct, snapshot):
    """§ 10-204a(a)(2): "... such immunization is medically contraindicated ..."

    Case: as above with the temporary exemption ending the day before AS_OF: no longer honoured;
    one MMR dose short of (a)(2): non_compliant, citing (a)(2).
    """
    record = student(K_BIRTH, "K", ONE_MMR, exemptions=[medical(["MMR"], until=AS_OF - ONE_DAY)])
    r = evaluate(ct, record, "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_medical_for_another_vaccine_does_not_cover_measles(ct, snapshot):
    """§ 10-204a(a)(2): "... stating that ... such immunization is medically contraindicated ..."

    Case: K with one MMR and a medical exemption for varicella vaccine (VAR) only: the certificate
    does not cover measles; non_compliant under (a)(2).
    """
    r = evaluate(ct, student(K_BIRTH, "K", ONE_MMR, exemptions=[medical(["VAR"])]), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_medical_by_requirement_id(ct, snapshot):
    """§ 10-204a(a)(2): "... such immunization is medically contraindicated because of the
    physical condition of such child"

    Case: K with no DTaP-containing dose and a medical exemption naming the requirement `dtap`
    (contract § 2): exempt.
    """
    r = evaluate(ct, student(K_BIRTH, "K", exemptions=[medical(requirements=["dtap"])]), "dtap")
    assert r.status.value == "exempt"
    assert r.clause == MEDICAL
    assert r.to_dict() == snapshot


def test_medical_exemption_not_needed_when_compliant(ct, snapshot):
    """§ 10-204a(a)(2) and § 10-204a-2a(a)(2) "... two (2) doses of a live attenuated measles
    vaccine given at least twenty-eight (28) days apart, the first on or after that individual's
    first birthday; or"

    Case: K with two valid MMR doses and a medical exemption for MMR: adequately protected by the
    doses, so compliant under (a)(2) (the exemption only matters when a requirement is not met).
    """
    doses = [*ONE_MMR, ("MMR", birthday(K_BIRTH, 4))]
    r = evaluate(ct, student(K_BIRTH, "K", doses, exemptions=[medical(["MMR"])]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


# --- religious, before Public Act 21-6 --------------------------------------------------------


def test_religious_before_pa_21_6_is_exempt(ct, snapshot):
    """§ 10-204a(a)(3) (before Public Act 21-6): "presents a statement from the parents or guardian
    of such child that such immunization would be contrary to the religious beliefs of such child
    or the parents or guardian of such child"

    Case: K evaluated 2020-09-01, no MMR, religious statement on file since 2019-09-01: exempt.
    """
    birth = date(2015, 5, 10)
    record = student(birth, "K", exemptions=[religious(date(2019, 9, 1))])
    r = evaluate(ct, record, "measles", as_of=date(2020, 9, 1))
    assert r.status.value == "exempt"
    assert r.clause == RELIGIOUS
    assert r.to_dict() == snapshot


def test_religious_filed_on_last_day_before_pa_21_6(ct, snapshot):
    """§ 10-204a(a)(3) (before Public Act 21-6): "presents a statement from the parents or guardian
    ..."

    Case: K evaluated 2021-04-27, the day before PA 21-6 took effect, statement presented that
    very day: exempt.
    """
    birth = date(2015, 5, 10)
    record = student(birth, "K", exemptions=[religious(PA_21_6 - ONE_DAY)])
    r = evaluate(ct, record, "measles", as_of=PA_21_6 - ONE_DAY)
    assert r.status.value == "exempt"
    assert r.clause == RELIGIOUS
    assert r.to_dict() == snapshot


def test_religious_statement_presented_one_day_after_evaluation(ct, snapshot):
    """§ 10-204a(a)(3) (before Public Act 21-6): "presents a statement from the parents or guardian
    ..."

    Case: K evaluated 2020-09-01 whose statement is on file only from 2020-09-02: not yet
    presented; no MMR: non_compliant under (a)(2).
    """
    birth = date(2015, 5, 10)
    record = student(birth, "K", exemptions=[religious(date(2020, 9, 2))])
    r = evaluate(ct, record, "measles", as_of=date(2020, 9, 1))
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_no_religious_statement_before_pa_21_6(ct, snapshot):
    """§ 10-204a(a)(3) (before Public Act 21-6): "presents a statement from the parents or guardian
    ..."

    Case: K evaluated 2020-09-01 with one MMR and no statement: one dose short; non_compliant.
    """
    birth = date(2015, 5, 10)
    record = student(birth, "K", [("MMR", birthday(birth, 1))])
    r = evaluate(ct, record, "measles", as_of=date(2020, 9, 1))
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


# --- religious, grandfathered K-12 after Public Act 21-6 --------------------------------------


def test_religious_grandfathered_k12(ct, snapshot):
    """§ 10-204a(a)(3) as amended by Public Act 21-6: "a statement presented prior to April 28,
    2021, for a child enrolled in kindergarten through grade twelve on or before April 28, 2021"

    Case: grade 4 on 2024-09-01 (kindergarten from 2020-07-01, derived from the grade), statement
    on file since 2019-09-01, no MMR: exempt.
    """
    r = evaluate(ct, student(G4_BIRTH, "4", exemptions=[religious(date(2019, 9, 1))]), "measles")
    assert r.status.value == "exempt"
    assert r.clause == RELIGIOUS
    assert r.to_dict() == snapshot


def test_religious_grandfathered_statement_on_april_27_2021(ct, snapshot):
    """§ 10-204a(a)(3) as amended by Public Act 21-6: "a statement presented prior to April 28,
    2021, ..."

    Case: grade 4 on 2024-09-01, statement presented 2021-04-27 (the last day "prior to"): exempt.
    """
    r = evaluate(ct, student(G4_BIRTH, "4", exemptions=[religious(PA_21_6 - ONE_DAY)]), "measles")
    assert r.status.value == "exempt"
    assert r.clause == RELIGIOUS
    assert r.to_dict() == snapshot


def test_religious_statement_on_april_28_2021_not_honoured(ct, snapshot):
    """§ 10-204a(a)(3) as amended by Public Act 21-6: "a statement presented prior to April 28,
    2021, ..."

    Case: grade 4 on 2024-09-01, statement presented on 2021-04-28 itself (one day late; boundary
    provisional, A-20), no MMR: not honoured; non_compliant under (a)(2).
    """
    r = evaluate(ct, student(G4_BIRTH, "4", exemptions=[religious(PA_21_6)]), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_religious_statement_filed_after_pa_21_6_not_honoured(ct, snapshot):
    """§ 10-204a(a)(3) as amended by Public Act 21-6: "a statement presented prior to April 28,
    2021, ..."

    Case: grade 4 on 2024-09-01, statement presented 2022-09-01, long after PA 21-6: not
    honoured; non_compliant.
    """
    r = evaluate(ct, student(G4_BIRTH, "4", exemptions=[religious(date(2022, 9, 1))]), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_religious_entered_kindergarten_on_april_28_2021(ct, snapshot):
    """§ 10-204a(a)(3) as amended by Public Act 21-6: "... for a child enrolled in kindergarten
    through grade twelve on or before April 28, 2021"

    Case: grade 3 on 2024-09-01 with `k12_entry_date` 2021-04-28 (enrolled on the boundary day)
    and a statement presented 2021-01-15: exempt.
    """
    record = student(G3_BIRTH, "3", exemptions=[religious(date(2021, 1, 15))], k12_entry_date=PA_21_6)
    r = evaluate(ct, record, "measles")
    assert r.status.value == "exempt"
    assert r.clause == RELIGIOUS
    assert r.to_dict() == snapshot


def test_religious_entered_kindergarten_on_april_29_2021(ct, snapshot):
    """§ 10-204a(a)(3) as amended by Public Act 21-6: "... for a child enrolled in kindergarten
    through grade twelve on or before April 28, 2021"

    Case: as above with `k12_entry_date` 2021-04-29, one day after: the K-12 grandfather does not
    apply (and the preschool allowance ended 2022-08-31); non_compliant.
    """
    record = student(G3_BIRTH, "3", exemptions=[religious(date(2021, 1, 15))], k12_entry_date=PA_21_6 + ONE_DAY)
    r = evaluate(ct, record, "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_religious_kindergarten_entry_derived_from_grade_after_pa_21_6(ct, snapshot):
    """§ 10-204a(a)(3) as amended by Public Act 21-6: "... for a child enrolled in kindergarten
    through grade twelve on or before April 28, 2021"

    Case: grade 3 on 2024-09-01 without `k12_entry_date`: kindergarten is derived as school year
    2021-22 (contract § 2: one grade a year), after PA 21-6. The statement (2020-09-01) was
    presented while in preschool: not honoured; non_compliant.
    """
    r = evaluate(ct, student(G3_BIRTH, "3", exemptions=[religious(date(2020, 9, 1))]), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


# --- religious, preschool transition ----------------------------------------------------------

PK_BIRTH = date(2018, 3, 1)


def test_religious_preschool_honoured_through_august_31_2022(ct, snapshot):
    """Public Act 21-6: "a child enrolled in preschool who, prior to April 28, 2021, was exempt on
    religious grounds shall comply not later than September 1, 2022" (connecticut.md § 3.3;
    provisional)

    Case: PK evaluated 2022-08-31 with a statement on file since 2020-09-01 and no MMR: exempt.
    """
    record = student(PK_BIRTH, "PK", exemptions=[religious(date(2020, 9, 1))])
    r = evaluate(ct, record, "measles", as_of=date(2022, 8, 31))
    assert r.status.value == "exempt"
    assert r.clause == RELIGIOUS
    assert r.to_dict() == snapshot


def test_religious_preschool_ends_september_1_2022(ct, snapshot):
    """Public Act 21-6: "... shall comply not later than September 1, 2022"

    Case: the same PK child on 2022-09-01: the allowance has ended; no MMR: non_compliant under
    (a)(1).
    """
    record = student(PK_BIRTH, "PK", exemptions=[religious(date(2020, 9, 1))])
    r = evaluate(ct, record, "measles", as_of=date(2022, 9, 1))
    assert r.status.value == "non_compliant"
    assert r.clause == A1
    assert r.to_dict() == snapshot


def test_religious_preschool_statement_on_april_28_2021_not_honoured(ct, snapshot):
    """Public Act 21-6: "a child enrolled in preschool who, prior to April 28, 2021, was exempt on
    religious grounds ..."

    Case: PK evaluated 2021-09-01 with a statement presented on 2021-04-28 (not "prior to"): not
    honoured; non_compliant under (a)(1).
    """
    record = student(PK_BIRTH, "PK", exemptions=[religious(PA_21_6)])
    r = evaluate(ct, record, "measles", as_of=date(2021, 9, 1))
    assert r.status.value == "non_compliant"
    assert r.clause == A1
    assert r.to_dict() == snapshot


# --- statutory: measles, mumps or rubella confirmed case --------------------------------------


def test_confirmed_measles_case_is_exempt(ct, snapshot):
    """§ 10-204a(a)(4): "in the case of measles, mumps or rubella, presents a certificate from a
    physician, physician assistant or advanced practice registered nurse or from the director of
    health in such child's present or previous town of residence, stating that the child has had
    a confirmed case of such disease"

    Case: K with one MMR and a certificate of a confirmed measles case (evidence
    `disease_history`, contract § 2): measles exempt.
    """
    record = student(K_BIRTH, "K", ONE_MMR, evidence=[history("measles", date(2022, 2, 1))])
    r = evaluate(ct, record, "measles")
    assert r.status.value == "exempt"
    assert r.clause == CONFIRMED_CASE
    assert r.to_dict() == snapshot


def test_confirmed_measles_case_does_not_exempt_mumps(ct, snapshot):
    """§ 10-204a(a)(4): "in the case of measles, mumps or rubella, ... stating that the child has had
    a confirmed case of such disease"

    Case: the same student's mumps requirement: the certificate is for measles, not mumps ("such
    disease"); one MMR: non_compliant under (e)(2).
    """
    record = student(K_BIRTH, "K", ONE_MMR, evidence=[history("measles", date(2022, 2, 1))])
    r = evaluate(ct, record, "mumps")
    assert r.status.value == "non_compliant"
    assert r.clause == E2
    assert r.to_dict() == snapshot


def test_confirmed_rubella_case_is_exempt(ct, snapshot):
    """§ 10-204a(a)(4): "in the case of measles, mumps or rubella, presents a certificate ...
    stating that the child has had a confirmed case of such disease"

    Case: K with no MMR and a certificate of a confirmed rubella case: rubella exempt.
    """
    record = student(K_BIRTH, "K", evidence=[history("rubella", date(2021, 11, 1))])
    r = evaluate(ct, record, "rubella")
    assert r.status.value == "exempt"
    assert r.clause == CONFIRMED_CASE
    assert r.to_dict() == snapshot


def test_confirmed_case_certificate_dated_one_day_after_evaluation(ct, snapshot):
    """§ 10-204a(a)(4): "... presents a certificate ... stating that the child has had a confirmed
    case of such disease"

    Case: K with one MMR whose measles certificate is dated the day after AS_OF: not yet
    presented; non_compliant under (a)(2).
    """
    record = student(K_BIRTH, "K", ONE_MMR, evidence=[history("measles", AS_OF + ONE_DAY)])
    r = evaluate(ct, record, "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_varicella_history_is_not_a_measles_certificate(ct, snapshot):
    """§ 10-204a(a)(4): "in the case of measles, mumps or rubella, ..."

    Case: K with one MMR and a documented varicella history (not measles, mumps or rubella):
    measles non_compliant under (a)(2).
    """
    record = student(K_BIRTH, "K", ONE_MMR, evidence=[history("varicella", date(2022, 2, 1))])
    r = evaluate(ct, record, "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


# --- in process -------------------------------------------------------------------------------


def test_in_process_certificate_gives_in_progress(ct, snapshot):
    """§ 10-204a(a)(1): "presents a certificate from a physician, physician assistant, advanced
    practice registered nurse or local health agency stating that initial immunizations have been
    given to such child and additional immunizations are in process" (Regs. § 10-204a-3a)

    Case: K with one MMR (second overdue) and an in-process certificate dated 2024-08-15: the
    requirement is not met but in process: in_progress, citing (a)(2).
    """
    record = student(K_BIRTH, "K", ONE_MMR, evidence=[in_process(date(2024, 8, 15))])
    r = evaluate(ct, record, "measles")
    assert r.status.value == "in_progress"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_in_process_certificate_on_evaluation_date(ct, snapshot):
    """§ 10-204a(a)(1): "presents a certificate ... stating that initial immunizations have been
    given to such child and additional immunizations are in process"

    Case: as above with the certificate dated AS_OF itself: in_progress.
    """
    record = student(K_BIRTH, "K", ONE_MMR, evidence=[in_process(AS_OF)])
    r = evaluate(ct, record, "measles")
    assert r.status.value == "in_progress"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_in_process_certificate_dated_one_day_after_evaluation(ct, snapshot):
    """§ 10-204a(a)(1): "presents a certificate ... stating that ... additional immunizations are in
    process"

    Case: as above with the certificate dated the day after AS_OF: not yet presented;
    non_compliant.
    """
    record = student(K_BIRTH, "K", ONE_MMR, evidence=[in_process(AS_OF + ONE_DAY)])
    r = evaluate(ct, record, "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_in_process_certificate_leaves_compliant_requirement_compliant(ct, snapshot):
    """§ 10-204a(a)(1) and § 10-204a-2a(b)(2) "... two (2) doses of a live attenuated rubella
    vaccine given at least twenty-eight (28) days apart ..."

    Case: K with two valid MMR doses and an in-process certificate: rubella is met, so compliant
    under (b)(2).
    """
    doses = [*ONE_MMR, ("MMR", birthday(K_BIRTH, 4))]
    record = student(K_BIRTH, "K", doses, evidence=[in_process(date(2024, 8, 15))])
    r = evaluate(ct, record, "rubella")
    assert r.status.value == "compliant"
    assert r.clause == B2
    assert r.to_dict() == snapshot
