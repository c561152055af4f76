import datetime

from samen.assessments.domains import ZrmDomain
from samen.households.models import HouseholdMember
from samen.organisations.actors import actor_for_user

TODAY = datetime.date(2026, 3, 1)
GENERAL_DOMAINS = [
    ZrmDomain.WORK_EDUCATION,
    ZrmDomain.TIME_USE,
    ZrmDomain.HOUSING,
    ZrmDomain.SOCIAL_NETWORK,
    ZrmDomain.PARTICIPATION,
]


def actor(user):
    return actor_for_user(user)


def member_of(user) -> HouseholdMember:
    return HouseholdMember.objects.get(user=user)


def grandmother(setting) -> HouseholdMember:
    return HouseholdMember.objects.get(household=setting.household, given_name="Grietje")


def professional_scores(score: int = 3) -> dict[str, int]:
    """A score for each domain the professional of the setting (general and finances) may record."""
    return {domain.value: score for domain in [ZrmDomain.FINANCES, *GENERAL_DOMAINS]}


def web_scores(number: int = 6) -> dict[str, int]:
    return dict.fromkeys(("body", "feelings", "meaning", "life", "taking_part", "day"), number)


def general_web_scores(number: int = 6) -> dict[str, int]:
    """The four general themes only: what someone without health and mental health may fill in."""
    return dict.fromkeys(("meaning", "life", "taking_part", "day"), number)
