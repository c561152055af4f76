"""Tell your story once: the intake's service, policies and pages, within consent, and the conflict when two
people save at once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samen.core.actor import ANONYMOUS
from samen.core.models import AuditAction, AuditEntry
from samen.core.policy import can
from samen.core.testing import count_queries
from samen.dossier.models import Intake, IntakeSituation
from samen.dossier.services import IntakeConflict, intake_save
from samen.dossier.tests.factories import IntakeFactory, IntakeSituationFactory
from samen.organisations.actors import actor_for_user

pytestmark = pytest.mark.django_db


def _save(setting, who="citizen", version=None, **kwargs):
    return intake_save(
        actor=actor_for_user(getattr(setting, who)),
        household=setting.household,
        version=version,
        question=kwargs.pop("question", "Ik wil van mijn schulden af."),
        **kwargs,
    )


def _url(setting, name="dossier:intake"):
    return reverse(name, args=[setting.household.pk])


# --- service --------------------------------------------------------------------------------------------------


def test_citizen_tells_the_story_and_the_version_goes_up(setting):
    intake = _save(
        setting,
        involved="De huisarts.",
        wants="Rust.",
        situations={"finances": "Drie schulden.", "physical_health": "Slaap slecht.", "housing": ""},
    )
    assert (intake.version, intake.filled_by, intake.question) == (1, setting.citizen, "Ik wil van mijn schulden af.")
    assert dict(intake.situations.values_list("domain", "text")) == {
        "finances": "Drie schulden.",
        "physical_health": "Slaap slecht.",
    }
    audit = AuditEntry.objects.get()
    assert audit.action == AuditAction.CREATE and audit.data_category == "general,health,finances"
    assert "schulden" not in str(audit.changes)
    intake = _save(setting, version=1, situations={"finances": ""})
    assert intake.version == 2
    assert list(intake.situations.values_list("domain", flat=True)) == ["physical_health"]
    assert Intake.objects.count() == 1  # one current intake per household


def test_a_second_save_with_an_old_version_is_a_conflict_and_changes_nothing(setting):
    _save(setting, question="Eerste tekst.")
    _save(setting, who="coordinator", version=1, question="Tekst van de regisseur.")
    with pytest.raises(IntakeConflict) as caught:
        _save(setting, version=1, question="Mijn tekst.")
    assert caught.value.current.question == "Tekst van de regisseur."
    assert Intake.objects.get().question == "Tekst van de regisseur."
    with pytest.raises(IntakeConflict):
        _save(setting, version=None, question="Alsof er nog niets was.")


def test_the_coordinator_only_writes_domains_within_consent(setting):
    _save(setting, situations={"physical_health": "Van de burger."})
    with pytest.raises(PermissionDenied):
        _save(setting, who="coordinator", version=1, situations={"physical_health": "Overschreven"})
    intake = _save(setting, who="coordinator", version=1, situations={"housing": "Huurachterstand."})
    assert dict(intake.situations.values_list("domain", "text")) == {
        "physical_health": "Van de burger.",
        "housing": "Huurachterstand.",
    }


@pytest.mark.parametrize("who", ["professional", "supporter", "informal", "emergency", "stranger", "other_citizen"])
def test_who_may_not_fill_in_the_intake(setting, who):
    with pytest.raises(PermissionDenied):
        _save(setting, who=who)
    assert not Intake.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"question": " "}, "question"),
        ({"involved": "x" * 4001}, "involved"),
        ({"wants": "a\x00b"}, "wants"),
        ({"situations": {"no_such_domain": "x"}}, "__all__"),
    ],
)
def test_bad_input_changes_nothing(setting, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        _save(setting, **kwargs)
    assert field in caught.value.message_dict
    assert not Intake.objects.exists() and not AuditEntry.objects.exists()


# --- policies -------------------------------------------------------------------------------------------------


def test_who_reads_and_who_fills_in(setting):
    household = setting.household
    for who in ("citizen", "representative", "informal", "professional", "coordinator", "supporter"):
        assert can(actor_for_user(getattr(setting, who)), "dossier.view_intake", household), who
    for who in ("emergency", "expired", "revoked", "stranger", "other_citizen", "informal_without_grant"):
        assert not can(actor_for_user(getattr(setting, who)), "dossier.view_intake", household), who
    assert not can(ANONYMOUS, "dossier.view_intake", household)
    for who in ("citizen", "representative", "coordinator"):
        assert can(actor_for_user(getattr(setting, who)), "dossier.edit_intake", household), who
    for who in ("informal", "professional", "supporter", "emergency", "other_citizen"):
        assert not can(actor_for_user(getattr(setting, who)), "dossier.edit_intake", household), who


# --- pages ----------------------------------------------------------------------------------------------------


@pytest.fixture
def story(setting):
    intake = IntakeFactory(household=setting.household, filled_by=setting.citizen, question="Rust in ons hoofd.")
    IntakeSituationFactory(intake=intake, domain="finances", text="Schuld bij de energie.")
    IntakeSituationFactory(intake=intake, domain="physical_health", text="Rugpijn.")
    IntakeSituationFactory(intake=intake, domain="housing", text="Te klein huis.")
    return intake


def test_a_later_professional_reads_the_story_within_consent(setting, story, login):
    response = login(setting.professional).get(_url(setting))
    text = response.content.decode()
    assert "Rust in ons hoofd." in text and "Schuld bij de energie." in text and "Te klein huis." in text
    assert "Rugpijn." not in text  # health: no consent
    assert "You only see the life domains the household gave permission for." in text
    assert "Change the story" not in text
    audit = AuditEntry.objects.get()
    assert audit.action == AuditAction.READ and audit.data_category == "general,finances"


def test_the_citizen_reads_everything_and_may_change_it(setting, story, login):
    text = login(setting.citizen).get(_url(setting)).content.decode()
    assert "Rugpijn." in text and "Change the story" in text


def test_no_story_yet(setting, login):
    text = login(setting.coordinator).get(_url(setting)).content.decode()
    assert "Nobody has told the story yet." in text and "Tell the story" in text


@pytest.mark.parametrize("who", ["emergency", "stranger", "other_citizen", "revoked"])
def test_outsiders_do_not_find_the_story(setting, story, login, who):
    assert login(getattr(setting, who)).get(_url(setting)).status_code == 404
    assert login(getattr(setting, who)).get(_url(setting, "dossier:intake_edit")).status_code == 404
    assert not AuditEntry.objects.exists()


def test_anonymous_goes_to_the_login_page(setting, login):
    for name in ("dossier:intake", "dossier:intake_edit"):
        response = login(None).get(_url(setting, name))
        assert response.status_code == 302 and "/account/inloggen/" in response["Location"]
    response = login(None).post(_url(setting, "dossier:intake_edit"), {"question": "x"})
    assert response.status_code == 302 and not Intake.objects.exists()


def test_readers_may_not_open_the_form(setting, login):
    for who in ("professional", "supporter", "informal"):
        assert login(getattr(setting, who)).get(_url(setting, "dossier:intake_edit")).status_code == 403
        assert (
            login(getattr(setting, who)).post(_url(setting, "dossier:intake_edit"), {"question": "x"}).status_code
            == 403
        )
    assert not Intake.objects.exists()


def test_coordinator_fills_it_in_with_the_household(setting, login):
    client = login(setting.coordinator)
    form = client.get(_url(setting, "dossier:intake_edit")).content.decode()
    assert 'name="domain_housing"' in form and 'name="domain_physical_health"' not in form
    response = client.post(
        _url(setting, "dossier:intake_edit"),
        {"version": "", "question": "Hulp bij de kinderen.", "domain_housing": "Krap.", "involved": "", "wants": ""},
    )
    assert response.status_code == 302 and response["Location"] == _url(setting)
    intake = Intake.objects.get()
    assert intake.filled_by == setting.coordinator and intake.version == 1


def test_bad_input_keeps_what_was_typed(setting, login):
    response = login(setting.citizen).post(
        _url(setting, "dossier:intake_edit"), {"question": "", "wants": "Meer rust <script>alert(1)</script>"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Write the question in your own words." in text
    assert "Meer rust &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert not Intake.objects.exists()
    response = login(setting.citizen).post(_url(setting, "dossier:intake_edit"), {"question": "x", "version": "abc"})
    assert "Something in the form was changed." in response.content.decode()


def test_two_people_save_the_second_sees_both_texts_and_keeps_theirs(setting, story, login):
    citizen, coordinator = login(setting.citizen), login(setting.coordinator)
    url = _url(setting, "dossier:intake_edit")
    assert 'name="version" value="1"' in citizen.get(url).content.decode()
    assert 'name="version" value="1"' in coordinator.get(url).content.decode()
    assert coordinator.post(url, {"version": "1", "question": "Tekst van Kees."}).status_code == 302
    response = citizen.post(url, {"version": "1", "question": "Tekst van Fatima."})
    assert response.status_code == 409
    text = response.content.decode()
    assert "Someone else saved the story while you were writing." in text
    assert "Tekst van Kees." in text and "Tekst van Fatima." in text
    assert 'name="version" value="2"' in text
    assert Intake.objects.get().question == "Tekst van Kees."
    assert citizen.post(url, {"version": "2", "question": "Tekst van Fatima."}).status_code == 302
    assert Intake.objects.get().question == "Tekst van Fatima."
    assert IntakeSituation.objects.filter(domain="physical_health").exists()  # nobody removed it


def test_intake_queries_are_fixed(setting, story, login):
    client = login(setting.citizen)
    client.get(_url(setting))
    first = count_queries(client.get, _url(setting))
    for domain in ("work_education", "time_use", "social_network", "justice"):
        IntakeSituationFactory(intake=story, domain=domain)
    assert count_queries(client.get, _url(setting)) == first
