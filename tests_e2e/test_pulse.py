"""The network pulse in a browser: a professional of the network gets the invitation in the notification centre,
answers the round on a 360 px phone (a question left out is fine; "don't know" is a choice) and then sees only that
they answered; the facilitator closes the round, reads the network's figures (the themes, the rounds as a chart with
a table, each question), downloads them as CSV, sees the conversation prompt the round fired (paper and practice),
writes down what the network learned from that conversation, and changes the charter after it. Every page is checked
with axe and the page checks at 1280 and 360 px (check_page)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD
from samen.collaboration import services
from samen.collaboration.models import Participation, Response
from samen.collaboration.tests.conftest import build_setting
from samen.organisations.actors import actor_for_user
from tests_e2e.helpers import MOBILE, check_page, log_in, log_out, main_menu, nl, nlp

pytestmark = pytest.mark.e2e


@pytest.fixture
def network_with_an_open_round(live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    setting = build_setting((6, 6, 4), prefix="Team")
    pulse_round = setting.open_round()
    # Nine colleagues answered already (two batches of five wait for one more answer... the one of this journey).
    for user in setting.everyone[1:10]:
        services.pulse_answer(
            actor=actor_for_user(user),
            pulse_round=pulse_round,
            organisation_id=None,
            answers={"trust": 5, "voice": 6, "paper": 3},
        )
    return setting, pulse_round


@pytest.mark.parametrize("viewport", [MOBILE], indirect=True)
def test_a_professional_answers_on_a_phone_and_the_facilitator_reads_the_figures(page, network_with_an_open_round):
    setting, pulse_round = network_with_an_open_round
    professional = setting.everyone[0]

    # The invitation waits in the notification centre; it leads to the questions.
    log_in(page, professional.email, DEFAULT_PASSWORD)
    page.goto("/meldingen/")
    page.get_by_role("link", name=nl("Answer the questions")).first.click()
    title = nl("How is the collaboration in %(name)s going?") % {"name": setting.network.name}
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    check_page(page)

    # Answer most questions on the phone: a tap on a number; one "don't know"; one question left out.
    page.get_by_role("group", name=nl("For which organisation do you work in this network?")).get_by_label(
        "Team A"
    ).check()
    trust = nl(
        "When someone from another organisation in this network promises something for a resident, I can count on it."
    )
    page.get_by_role("group", name=f"1. {trust}").get_by_label("6", exact=True).check()
    voice = nl(
        "In this network I can put a problem or a mistake on the table, my own included, without it being held "
        "against me."
    )
    voice_group = page.get_by_role("group", name=f"2. {voice}")
    voice_group.get_by_label(nl("Don't know / does not apply")).check()
    page.get_by_label(nl("What should we really talk about next time?")).fill("Wie houdt de regie bij een crisis?")
    page.get_by_role("button", name=nl("Send my answers"), exact=True).click()
    done = nl("You answered round %(number)s. Thank you! Nobody can see what you answered, you neither.")
    expect(page.get_by_role("main").get_by_role("status")).to_have_text(done % {"number": 1})
    expect(page.get_by_role("button", name=nl("Send my answers"))).to_have_count(0)
    check_page(page)
    assert Participation.objects.filter(round=pulse_round, user=professional).exists()
    # Ten answers: two shuffled batches of five are written, none waits.
    assert Response.objects.filter(round=pulse_round).count() == 10
    log_out(page)

    # The facilitator closes the round from the network's page and reads the figures.
    log_in(page, setting.facilitator.email, DEFAULT_PASSWORD)
    main_menu(page).get_by_role("link", name=nlp("navigation", "Collaboration")).click()
    page.get_by_role("link", name=nl("The figures of %(name)s") % {"name": setting.network.name}).click()
    expect(page.get_by_text(nl("No round has closed yet. The figures come after the first round."))).to_be_visible()
    check_page(page)
    page.get_by_role("button", name=nl("Close the round now"), exact=True).click()
    main = page.get_by_role("main")
    expect(main.get_by_role("status")).to_contain_text(nl("Round %(number)d is closed.") % {"number": 1})
    expect(
        main.get_by_text(
            nl("%(answered)s of %(invited)s people answered (%(rate)s).")
            % {"answered": 10, "invited": 16, "rate": "62%"}
        )
    ).to_be_visible()
    themes = main.get_by_role("table", name=nl("Themes in the last round"))
    expect(themes.get_by_role("row", name=nl("Trust"))).to_contain_text("5,1")  # (9 * 5 + 6) / 10
    expect(main.get_by_role("img", name=nl("Trust, voice, influence and interests"))).to_be_visible()
    # The remark is not shown: fewer than 10 ... exactly 10 answered, so it is.
    expect(main.get_by_text("Wie houdt de regie bij een crisis?")).to_be_visible()
    check_page(page)
    with page.expect_download() as download:
        main.get_by_role("link", name=nl("Download the figures (CSV)")).click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert ",construct,trust," in content and "Wie houdt" not in content

    # The round fired a conversation prompt: written agreements and practice are apart (3 of 7 on item 9).
    card_title = nl("Paper and practice")
    card = main.get_by_role("article", name=card_title)
    expect(card).to_be_visible()
    expect(
        card.get_by_text(
            nl("What would guarantee that our agreements stay on paper only, and which of that do we already do?")
        )
    ).to_be_visible()
    card.get_by_role("link", name=nl("Write down what we learned")).click()
    expect(page.get_by_role("heading", level=1, name=nl("Write a learning entry"))).to_be_visible()
    check_page(page)
    page.get_by_label(nl("Title"), exact=True).fill("Afspraken die alleen op papier staan")
    page.get_by_label(nl("What was supposed to happen?")).fill("Eén plan per huishouden, zoals afgesproken.")
    page.get_by_label(nl("What actually happened?")).fill("Drie organisaties hielden een eigen plan bij.")
    page.get_by_label(nl("a rule or protocol got in the way")).check()
    page.get_by_label(nl("add a principle")).check()
    page.get_by_role("button", name=nl("Save the learning entry"), exact=True).click()
    expect(main.get_by_role("status")).to_contain_text(nl("The learning entry is written."))
    expect(page.get_by_role("heading", level=1, name="Afspraken die alleen op papier staan")).to_be_visible()
    check_page(page)

    # The charter changes after it: two principles, linked to the entry.
    page.goto(f"/samenwerking/netwerken/{setting.network.pk}/handvest/")
    expect(page.get_by_text(nl("This network has no charter yet."))).to_be_visible()
    check_page(page)
    page.get_by_role("link", name=nl("Change the charter")).click()
    principle = nl("Principle %(number)s")
    page.get_by_role("group", name=principle % {"number": 1}).get_by_label(
        nl("Principle %(number)d") % {"number": 1}
    ).fill("Eén plan per huishouden.")
    page.get_by_role("group", name=principle % {"number": 1}).get_by_label(nl("Why (one line)")).fill(
        "Inwoners vertellen hun verhaal één keer."
    )
    page.get_by_role("button", name=nl("Save the new version"), exact=True).click()
    expect(main.get_by_text(nl("A charter has %(min)d to %(max)d principles.") % {"min": 2, "max": 7})).to_be_visible()
    expect(page.get_by_label(nl("Principle %(number)d") % {"number": 1})).to_have_value("Eén plan per huishouden.")
    check_page(page)
    page.get_by_label(nl("Principle %(number)d") % {"number": 2}).fill("Eerst bellen, dan pas afwijzen.")
    page.get_by_role("group", name=principle % {"number": 2}).get_by_label(nl("Why (one line)")).fill(
        "Een gesprek vindt vaak een andere weg."
    )
    page.get_by_label(nl("Which learning entry led to this change?")).select_option(
        label="Afspraken die alleen op papier staan"
    )
    page.get_by_role("button", name=nl("Save the new version"), exact=True).click()
    expect(main.get_by_role("status")).to_contain_text(
        nl("The charter is changed. Everyone in the network can read it.")
    )
    expect(main.get_by_text("Eerst bellen, dan pas afwijzen.")).to_be_visible()
    expect(main.get_by_role("link", name="Afspraken die alleen op papier staan")).to_be_visible()
    check_page(page)

    # Paper and practice: what the network wrote down next to what its case data shows. This network has no
    # households yet, so only item 9 of the round counts (nobody agreed: a gap of 100), with the sentence on why.
    page.goto(f"/samenwerking/netwerken/{setting.network.pk}/")
    main.get_by_role("navigation", name=nl("The network")).get_by_role("link", name=nl("Paper and practice")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("Paper and practice in %(name)s") % {"name": setting.network.name}
    )
    index_note = nl(
        "This index exists to open a conversation, not as a performance target. Where is our practice different "
        "from what we wrote down, and is the paper or the practice right?"
    )
    expect(main.get_by_text(index_note)).to_be_visible()
    expect(main.locator(".samen-big-figure strong")).to_have_text("100")
    table = main.get_by_role("table", name=nl("Paper and practice, indicator by indicator"))
    expect(table.get_by_role("row").filter(has_text="P8")).to_contain_text("0%")
    expect(table.get_by_role("row").filter(has_text="P1")).to_contain_text(nl("fewer than %(k)d") % {"k": 5})
    expect(main.get_by_role("img", name=nl("The gap per indicator"))).to_be_visible()
    check_page(page)
    with page.expect_download() as download:
        main.get_by_role("link", name=nl("Download these figures (CSV)")).click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert ",P8," in content and ",PPGI," in content
