"""The one place where the ZRM life domains, its scale, the instruments and the domain -> data category map live.

Other apps (the plan's goals in ``samen.plans``) import the domains from here. Only domain codes and scores are
stored, never the criteria texts of the Zelfredzaamheid-Matrix (© GGD Amsterdam); the scale words are fine.

The "spinnenweb" is the resident's own self-assessment on six themes, in our own words (not a licensed
questionnaire).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy

from samen.consent.models import DataCategory


class ZrmDomain(models.TextChoices):
    """The 13 life domains of ZRM 2017, in the instrument's order."""

    FINANCES = "finances", pgettext_lazy("ZRM", "finances")
    WORK_EDUCATION = "work_education", pgettext_lazy("ZRM", "work and education")
    TIME_USE = "time_use", pgettext_lazy("ZRM", "use of time")
    HOUSING = "housing", pgettext_lazy("ZRM", "housing")
    DOMESTIC_RELATIONS = "domestic_relations", pgettext_lazy("ZRM", "relationships at home")
    MENTAL_HEALTH = "mental_health", pgettext_lazy("ZRM", "mental health")
    PHYSICAL_HEALTH = "physical_health", pgettext_lazy("ZRM", "physical health")
    SUBSTANCE_USE = "substance_use", pgettext_lazy("ZRM", "use of alcohol or drugs")
    BASIC_ADL = "basic_adl", pgettext_lazy("ZRM", "basic daily living (ADL)")
    INSTRUMENTAL_ADL = "instrumental_adl", pgettext_lazy("ZRM", "running a household (IADL)")
    SOCIAL_NETWORK = "social_network", pgettext_lazy("ZRM", "social network")
    PARTICIPATION = "participation", pgettext_lazy("ZRM", "taking part in society")
    JUSTICE = "justice", pgettext_lazy("ZRM", "justice")


class ZrmScale(models.IntegerChoices):
    """The ZRM scale: 1 is the most urgent, 5 the most self-reliant."""

    ACUTE = 1, pgettext_lazy("ZRM", "acute problems")
    NOT_SELF_RELIANT = 2, pgettext_lazy("ZRM", "not self-reliant")
    LIMITED = 3, pgettext_lazy("ZRM", "limited self-reliance")
    SUFFICIENT = 4, pgettext_lazy("ZRM", "sufficiently self-reliant")
    FULLY = 5, pgettext_lazy("ZRM", "fully self-reliant")


ZRM_MIN, ZRM_MAX = 1, 5

# The same life domains in words a resident knows (language level B1). The ZRM's own names ("basale ADL",
# "maatschappelijke participatie") are for professionals; a resident reads these on their pages.
PLAIN_DOMAIN_LABELS: dict[ZrmDomain, str] = {
    ZrmDomain.FINANCES: pgettext_lazy("life domain, plain", "money and debts"),
    ZrmDomain.WORK_EDUCATION: pgettext_lazy("life domain, plain", "work and school"),
    ZrmDomain.TIME_USE: pgettext_lazy("life domain, plain", "what you do during the day"),
    ZrmDomain.HOUSING: pgettext_lazy("life domain, plain", "your home"),
    ZrmDomain.DOMESTIC_RELATIONS: pgettext_lazy("life domain, plain", "family life at home"),
    ZrmDomain.MENTAL_HEALTH: pgettext_lazy("life domain, plain", "how you feel"),
    ZrmDomain.PHYSICAL_HEALTH: pgettext_lazy("life domain, plain", "your health"),
    ZrmDomain.SUBSTANCE_USE: pgettext_lazy("life domain, plain", "alcohol and drugs"),
    ZrmDomain.BASIC_ADL: pgettext_lazy("life domain, plain", "taking care of yourself"),
    ZrmDomain.INSTRUMENTAL_ADL: pgettext_lazy("life domain, plain", "running your home"),
    ZrmDomain.SOCIAL_NETWORK: pgettext_lazy("life domain, plain", "people around you"),
    ZrmDomain.PARTICIPATION: pgettext_lazy("life domain, plain", "taking part in your neighbourhood"),
    ZrmDomain.JUSTICE: pgettext_lazy("life domain, plain", "police and justice"),
}


def domain_label(domain: ZrmDomain | str, *, plain: bool) -> str:
    """A life domain's name with a capital, in the ZRM's words for professionals or in plain words (``plain``)
    for a resident. An unknown code is returned as it is."""
    try:
        domain = ZrmDomain(domain)
    except ValueError:
        return str(domain)
    label = PLAIN_DOMAIN_LABELS[domain] if plain else domain.label
    text = str(label)
    return text[:1].upper() + text[1:]


# The data category of each domain: a reader sees a domain's score only with consent for its category.
DOMAIN_CATEGORY: dict[ZrmDomain, DataCategory] = {
    ZrmDomain.FINANCES: DataCategory.FINANCES,
    ZrmDomain.WORK_EDUCATION: DataCategory.GENERAL,
    ZrmDomain.TIME_USE: DataCategory.GENERAL,
    ZrmDomain.HOUSING: DataCategory.GENERAL,
    ZrmDomain.DOMESTIC_RELATIONS: DataCategory.SAFETY,
    ZrmDomain.MENTAL_HEALTH: DataCategory.MENTAL_HEALTH,
    ZrmDomain.PHYSICAL_HEALTH: DataCategory.HEALTH,
    ZrmDomain.SUBSTANCE_USE: DataCategory.HEALTH,
    ZrmDomain.BASIC_ADL: DataCategory.HEALTH,
    ZrmDomain.INSTRUMENTAL_ADL: DataCategory.HEALTH,
    ZrmDomain.SOCIAL_NETWORK: DataCategory.GENERAL,
    ZrmDomain.PARTICIPATION: DataCategory.GENERAL,
    ZrmDomain.JUSTICE: DataCategory.JUSTICE,
}

# The instruments a ZRM can be recorded with, and their domains. Older versions (2010/2013) had 11 domains
# with other boundaries; they are stored by name when imported, but new assessments use ZRM 2017.
ZRM_2017 = "ZRM 2017"
INSTRUMENTS: dict[str, tuple[ZrmDomain, ...]] = {ZRM_2017: tuple(ZrmDomain)}
CURRENT_INSTRUMENT = ZRM_2017

# Every category an assessment page can show: the domains' categories and the spinnenweb's themes' (below).
ASSESSMENT_CATEGORIES: frozenset[DataCategory] = frozenset(DOMAIN_CATEGORY.values()) | {
    DataCategory.GENERAL,
    DataCategory.HEALTH,
    DataCategory.MENTAL_HEALTH,
}


def domains_in(categories) -> list[ZrmDomain]:
    """The domains whose category is in ``categories``, in the instrument's order."""
    return [domain for domain in ZrmDomain if DOMAIN_CATEGORY[domain] in categories]


class SpinnenwebTheme(models.TextChoices):
    """The six themes of the spinnenweb, in our own words; each is a field of ``Spinnenweb`` (0-10)."""

    BODY = "body", pgettext_lazy("spinnenweb", "My body")
    FEELINGS = "feelings", pgettext_lazy("spinnenweb", "How I feel")
    MEANING = "meaning", pgettext_lazy("spinnenweb", "What matters to me")
    LIFE = "life", pgettext_lazy("spinnenweb", "How my life is")
    TAKING_PART = "taking_part", pgettext_lazy("spinnenweb", "Taking part")
    DAY = "day", pgettext_lazy("spinnenweb", "My day")


SPINNENWEB_MIN, SPINNENWEB_MAX = 0, 10

# The data category of each spinnenweb theme: "My body" is about health and "How I feel" about mental health, so
# a reader sees those two only with consent for that category; the other four are general. The spinnenweb itself
# (who filled it in, when) is general: without general, no theme is shown.
THEME_CATEGORY: dict[SpinnenwebTheme, DataCategory] = {
    SpinnenwebTheme.BODY: DataCategory.HEALTH,
    SpinnenwebTheme.FEELINGS: DataCategory.MENTAL_HEALTH,
    SpinnenwebTheme.MEANING: DataCategory.GENERAL,
    SpinnenwebTheme.LIFE: DataCategory.GENERAL,
    SpinnenwebTheme.TAKING_PART: DataCategory.GENERAL,
    SpinnenwebTheme.DAY: DataCategory.GENERAL,
}


def themes_in(categories) -> list[SpinnenwebTheme]:
    """The spinnenweb themes someone who may see ``categories`` sees, in the spinnenweb's order (none without
    general)."""
    if DataCategory.GENERAL not in categories:
        return []
    return [theme for theme in SpinnenwebTheme if THEME_CATEGORY[theme] in categories]
