"""Infinite Campus, "HIB": two rules, tried in order (V-01), then non-compliant (V-05).

Vendor group: "Haemophilus influenza, type B (Hib) vaccine" (any vaccine containing Hib).
"Greater than 12 months with a 0 (zero) day tolerance" excludes a dose on the 1st birthday.

Seed text (002_6dfd16146714b4ef.txt), section "HIB".
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add_months, birthday

from .conftest import AS_OF, ONE_DAY, evaluate, student

REQUIREMENTS = ("hib",)

AGE_5_AND_OLDER = "Age 5 yrs and older"
ONE_AFTER_1ST = "1 dose after 1st birthday for children less than 5"

RULES = (AGE_5_AND_OLDER, ONE_AFTER_1ST)

PK_BIRTH = date(2019, 6, 20)  # PK, aged 50 months on AS_OF
INFANT_HIB = [("Hib", add_months(PK_BIRTH, m)) for m in (2, 4, 6)]


def test_age_5_and_older_at_exactly_60_months(ic, snapshot):
    """Rule "Age 5 yrs and older No requirement": "Students 60 months (5 years) old and older are not
    require to receive any doses of the Haemophilus influenza, type B (Hib) vaccine."

    Case: K born 2018-09-01, exactly 60 months old, no dose: not_required by "Age 5 yrs and older".
    """
    birth = add_months(AS_OF, -60)
    r = evaluate(ic, student(birth, "K"), "hib")
    assert r.status.value == "not_required"
    assert r.clause == AGE_5_AND_OLDER
    assert r.to_dict() == snapshot


def test_age_5_and_older_one_day_before_60_months(ic, snapshot):
    """Rule "Age 5 yrs and older": "Students 60 months (5 years) old and older ...".

    Case: K born 2018-09-02 (60 months on the day after AS_OF), no dose: non_compliant, "1 dose
    after 1st birthday for children less than 5" closest.
    """
    birth = add_months(AS_OF, -60) + ONE_DAY
    r = evaluate(ic, student(birth, "K"), "hib")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_AFTER_1ST
    assert r.to_dict() == snapshot


def test_1_dose_after_1st_birthday_meets(ic, snapshot):
    """Rule "1 dose after 1st birthday for children less than 5 Compliant": "the student receives one dose
    of the Haemophilus influenza, type B (Hib) vaccine, and the difference between the dose and the
    student's birthdate is greater than 12 months with a 0 (zero) day tolerance."

    Case: PK with Hib at 2, 4, 6 months and the day after the 1st birthday: compliant by "1 dose
    after 1st birthday for children less than 5".
    """
    doses = [*INFANT_HIB, ("Hib", birthday(PK_BIRTH, 1) + ONE_DAY)]
    r = evaluate(ic, student(PK_BIRTH, "PK", doses), "hib")
    assert r.status.value == "compliant"
    assert r.clause == ONE_AFTER_1ST
    assert r.to_dict() == snapshot


def test_d16_dose_on_1st_birthday_does_not_count(ic, snapshot):
    """NOTE (D16): "a dose on the 1st birthday fails "greater than 12 months" ((f)(1): "at age twelve
    (12) months or older")".

    Case: as above with the booster on the 1st birthday itself: no dose counts; non_compliant, "1
    dose after 1st birthday for children less than 5" closest.
    """
    doses = [*INFANT_HIB, ("Hib", birthday(PK_BIRTH, 1))]
    r = evaluate(ic, student(PK_BIRTH, "PK", doses), "hib")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_AFTER_1ST
    assert r.to_dict() == snapshot


def test_1_dose_after_1st_birthday_infant_doses_only(ic, snapshot):
    """Rule "1 dose after 1st birthday for children less than 5": "the student receives one dose ... greater
    than 12 months"; the article has no infant Hib rule, and no match is non-compliant (V-05).

    Case: P3 exactly 7 months old (born 2023-02-01) with Hib at 2, 4 and 6 months: non_compliant, "1
    dose after 1st birthday for children less than 5" closest.
    """
    birth = add_months(AS_OF, -7)
    doses = [("Hib", add_months(birth, m)) for m in (2, 4, 6)]
    r = evaluate(ic, student(birth, "P3", doses), "hib")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_AFTER_1ST
    assert r.to_dict() == snapshot


def test_1_dose_after_1st_birthday_no_dose(ic, snapshot):
    """Rule "1 dose after 1st birthday for children less than 5": "the student receives one dose".

    Case: PK with no Hib dose: non_compliant, "1 dose after 1st birthday for children less than 5"
    closest.
    """
    r = evaluate(ic, student(PK_BIRTH, "PK"), "hib")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_AFTER_1ST
    assert r.to_dict() == snapshot
