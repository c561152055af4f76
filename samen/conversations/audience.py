"""Who is in a household's conversation: everyone who may read a message of a category, right now.

Used to tell people about a new message, to find who "@name" means, and to say on the page who reads along. It
asks ``samen.reminders.policies.RecipientFacts`` (five queries for the household, whatever its size) and one more
query for the names; the answers are the same as ``categories_visible_to`` without break-the-glass (an emergency
reader is never told about messages).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from samen.accounts.models import User
from samen.core.vocabulary import DataCategory, TeamRole
from samen.reminders.policies import CITIZEN, PROFESSIONAL, SUPPORTER, Audience, RecipientFacts


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    organisation_id: int | None  # the organisation a professional or supporter reads for; None for the household
    categories: frozenset[DataCategory]

    @property
    def is_professional(self) -> bool:
        return self.organisation_id is not None


def people_around(household_id: int, *, now: datetime.datetime) -> list[Person]:
    """Everyone who may read something of the household now, with the categories they see (six queries)."""
    facts = RecipientFacts.load([household_id], now=now)
    audiences: dict[tuple[int, int | None], Audience] = {}
    for user_id in [*facts.accounts_in(household_id), *facts.representatives_in(household_id)]:
        audiences[(user_id, None)] = Audience(user_id, household_id, CITIZEN)
    for place in facts.team(household_id):
        if place.role == TeamRole.PROFESSIONAL:
            audiences[(place.user_id, place.organisation_id)] = Audience(
                place.user_id, household_id, PROFESSIONAL, place.organisation_id
            )
        elif place.role == TeamRole.SUPPORTER:
            audiences[(place.user_id, place.organisation_id)] = Audience(
                place.user_id, household_id, SUPPORTER, place.organisation_id
            )
        else:
            audiences[(place.user_id, None)] = Audience(place.user_id, household_id, CITIZEN)
    seeing = {key: facts.categories(audience) for key, audience in audiences.items()}
    seeing = {key: categories for key, categories in seeing.items() if categories}
    names = dict(
        User.objects.filter(pk__in=sorted({user_id for user_id, _ in seeing}), is_active=True).values_list(
            "pk", "full_name"
        )
    )
    return sorted(
        (
            Person(user_id=user_id, name=names[user_id], organisation_id=organisation_id, categories=categories)
            for (user_id, organisation_id), categories in seeing.items()
            if user_id in names
        ),
        key=lambda person: (person.name.casefold(), person.user_id),
    )


def readers(
    people: list[Person], category: DataCategory | str, *, organisation_ids: frozenset[int] | None = None
) -> list[Person]:
    """The people who may read a message of ``category``; in a thread between professionals (``organisation_ids``)
    only the professionals of those organisations."""
    category = DataCategory(category)
    return [
        person
        for person in people
        if category in person.categories
        and (
            organisation_ids is None
            or (person.organisation_id is not None and person.organisation_id in organisation_ids)
        )
    ]
