"""Who may open the household overview and who may write a note in which category (and who may NOT)."""

import pytest

from samen.consent.models import ALL_CATEGORIES, DataCategory
from samen.consent.policies import categories_visible_to, writable_categories
from samen.consent.tests.factories import BreakTheGlassFactory
from samen.core.actor import ANONYMOUS
from samen.core.policy import can
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

G = DataCategory
NOTHING = frozenset()

# who -> the categories they may write in (everyone who is not here may write nothing)
WRITABLE = {
    "citizen": ALL_CATEGORIES,
    "representative": frozenset({G.GENERAL, G.FINANCES}),  # the scope of the representation
    "informal": NOTHING,  # reads general, writes nothing
    "informal_without_grant": NOTHING,
    "professional": frozenset({G.GENERAL, G.FINANCES}),
    "coordinator": frozenset({G.GENERAL, G.YOUTH}),
    "supporter": frozenset({G.GENERAL, G.HEALTH}),
    "emergency": NOTHING,  # break the glass reads safety, never writes
    "expired": NOTHING,
    "revoked": NOTHING,
    "stranger": NOTHING,
    "other_citizen": NOTHING,
}
VIEWERS = {"citizen", "representative", "informal", "professional", "coordinator", "supporter", "emergency"}


def _actor(setting, who):
    return actor_for_user(getattr(setting, who))


@pytest.mark.parametrize("who", sorted(WRITABLE))
@pytest.mark.parametrize("category", list(DataCategory), ids=lambda category: category.value)
def test_add_note(setting, who, category):
    allowed = category in WRITABLE[who]
    assert can(_actor(setting, who), "dossier.add_note", (setting.household, category.value)) is allowed


@pytest.mark.parametrize("who", sorted(WRITABLE))
def test_writable_categories(setting, who):
    assert writable_categories(_actor(setting, who), setting.household) == WRITABLE[who]


@pytest.mark.parametrize("who", sorted(WRITABLE))
def test_view_overview(setting, who):
    assert can(_actor(setting, who), "dossier.view_overview", setting.household) is (who in VIEWERS)


@pytest.mark.parametrize("who", sorted(WRITABLE))
def test_view_overview_with_the_categories_already_looked_up(setting, who):
    actor = _actor(setting, who)
    visible = categories_visible_to(actor, setting.household)
    assert can(actor, "dossier.view_overview", (setting.household, visible)) is (who in VIEWERS)


def test_anonymous_may_do_nothing(setting):
    assert not can(ANONYMOUS, "dossier.view_overview", setting.household)
    assert not can(ANONYMOUS, "dossier.add_note", (setting.household, "general"))
    assert writable_categories(ANONYMOUS, setting.household) == NOTHING


def test_nobody_writes_in_another_household(setting):
    for who in ("citizen", "professional", "coordinator", "supporter"):
        assert not can(_actor(setting, who), "dossier.add_note", (setting.other_household, "general"))


@pytest.mark.parametrize("obj", [None, "general", ("x",), (None, "general"), ("household", "general")])
def test_malformed_objects_are_refused(setting, obj):
    assert not can(_actor(setting, "citizen"), "dossier.add_note", obj)


def test_unknown_category_is_refused(setting):
    assert not can(_actor(setting, "citizen"), "dossier.add_note", (setting.household, "no-such-category"))


def test_revoking_takes_effect_on_the_next_check(setting):
    actor = _actor(setting, "professional")
    assert can(actor, "dossier.add_note", (setting.household, "finances"))
    grant = setting.household.consent_grants.get(organisation=setting.schuldhulp, category="finances")
    grant.revoked_at, grant.revoked_by = grant.valid_from, setting.citizen
    grant.save(update_fields=["revoked_at", "revoked_by"])
    assert not can(actor, "dossier.add_note", (setting.household, "finances"))
    assert can(actor, "dossier.add_note", (setting.household, "general"))


def test_break_the_glass_does_not_add_writing_to_consent(setting):
    """A professional in the team with consent for general, on an emergency access for safety: writes general
    only."""
    actor = _actor(setting, "professional")
    BreakTheGlassFactory(household=setting.household, user=setting.professional, organisation=setting.schuldhulp)
    assert G.SAFETY in categories_visible_to(actor, setting.household)
    assert writable_categories(actor, setting.household) == frozenset({G.GENERAL, G.FINANCES})


def test_a_professional_of_the_same_organisation_outside_the_team_may_not_write(setting):
    colleague = MembershipFactory(organisation=setting.schuldhulp).user
    # the organisation's grants exist, but the colleague has no place in the team
    assert not can(actor_for_user(colleague), "dossier.add_note", (setting.household, "finances"))
