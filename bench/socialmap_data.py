"""The social map benchmark's data: a national-size directory of ``services`` services (50,000 by default).

Built from the demo's social map (``samen/socialmap/demo.py``: its offers, categories, neighbourhoods, opening
hours, languages and streets are imported, not copied), town after town: each town gets a synthetic Dutch name
("Oudlindeveen"), 3 to 7 neighbourhoods with postcode areas of their own, the demo's organisations under the town's
name (``Schuldhulp Oudlindeveen``, ``Buurthuis De Kom Oudlindeveen``), an office for each and a community centre
per neighbourhood, and 120 to 480 services: the demo's offers (per neighbourhood where the demo has one per
neighbourhood), then the demo's variants ("voor jongeren", …), then numbered repeats ("Taalcafé Noord 2").

The text varies beyond the demo's: most descriptions get one or two sentences of the offer's category from
``EXTRA`` (some words occur in a few percent of the services only: "taalles", "opvoeding"), and the first service
and every thousandth after it mention the ``RARE_WORD``. Each service has its cost option (free or a fee), a
schedule, one to five languages, a service area, a phone number, its category (a second one for one in five), and
where the offer has a limit on places a capacity. One in a hundred is temporarily closed, one in a hundred
inactive (the search leaves those out, the raw query does not).

Written in bulk per town group (``bulk_create``), as the demo writes its map, then ``indexing.reindex`` in batches:
the search columns, SQLite's FTS5 index (through its triggers) and PostgreSQL's generated ``tsvector``.
Deterministic for a seed.
"""

from __future__ import annotations

import datetime
import itertools
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils import timezone

from samen.socialmap import indexing
from samen.socialmap.demo import (
    CATEGORIES,
    DAYS,
    HOURS,
    INFORMAL,
    LANGUAGE_NAMES,
    NEIGHBOURHOODS,
    OFFERS,
    PROVINCE,
    STREETS,
    VARIANTS,
    Offer,
    _id,
    _phone,
)
from samen.socialmap.models import (
    Accessibility,
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)

DEMO_CITY = "Voorbeeldstad"  # in the demo's organisation names and texts; replaced by each town's name
TOWN_SIZES = (120, 480)  # services per town, uniformly between
TOWN_PARTS = (
    ("", "Nieuw", "Oud", "Groot", "Klein", "Hoog", "Laag", "Sint-"),
    ("linde", "berken", "eiken", "molen", "water", "zand", "heide", "beek", "vlas", "riet", "kooi", "hazel"),
    ("veen", "dam", "dorp", "wijk", "broek", "horst", "hoven", "meer", "berg", "zijl", "loo", "rade"),
)
MORE_NEIGHBOURHOODS = ("Molenwijk", "De Hoven", "Stationskwartier", "Het Veld", "Oude Haven", "Bloemenbuurt")
# Sentences a description may get besides the offer's own, per category of the demo (CATEGORIES).
EXTRA = {
    "geld": (
        "Ook hulp bij het aanvragen van toeslagen en kwijtschelding.",
        "Wij helpen ook als u een betalingsachterstand heeft bij uw zorgverzekeraar.",
        "Samen zoeken we uit waar u recht op heeft.",
    ),
    "wonen": (
        "Ook voor vragen over een huurachterstand of een ontruiming.",
        "Wij denken mee over woningruil en doorstromen.",
    ),
    "werk": (
        "Ook voor mensen met een uitkering die willen beginnen als vrijwilliger.",
        "Een proefplaats of een opleiding kan ook.",
    ),
    "gezondheid": (
        "U heeft geen verwijzing van de huisarts nodig.",
        "Ook voor naasten die zich zorgen maken.",
    ),
    "opvoeden": (
        "Ook voor vragen over de opvoeding van tieners.",
        "Voor ouders, grootouders en verzorgers.",
        "Over slapen, eten, school en de opvoeding van jonge kinderen.",
    ),
    "meedoen": (
        "Voor wie zich eenzaam voelt of nieuwe mensen wil leren kennen.",
        "Vrijwilligers zetten de koffie klaar.",
    ),
    "thuis": (
        "Ook voor mantelzorgers die er even tussenuit willen.",
        "Een vrijwilliger kan u ook naar een afspraak brengen.",
    ),
    "taal": (
        "Er is ook taalles voor beginners, twee keer per week.",
        "Taalles in een kleine groep, met een vaste vrijwilliger.",
    ),
    "veiligheid": (
        "Anoniem en vertrouwelijk.",
        "Ook als u niet zeker weet of het ernstig genoeg is.",
    ),
    "eten": (
        "Ook schoolspullen en speelgoed voor kinderen.",
        "Wij werken samen met de voedselbank en de kledingbank.",
    ),
}
RARE_WORD = "kringloopwinkel"
RARE_SENTENCE = f"Wat niet meer gebruikt wordt, gaat naar de {RARE_WORD} in de buurt."
RARE_EVERY = 1000  # the first service and every thousandth after it
BATCH = 2000  # rows per INSERT
TOWNS_PER_GROUP = 10  # towns written per transaction
REINDEX_BATCH = 2500  # services per reindex call (indexing.reindex reads them in batches of its own)


def _say(progress: Callable[[str], None] | None, text: str) -> None:
    if progress is not None:
        progress(text)


def stderr_progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def town_names(rng: random.Random) -> list[str]:
    """Every synthetic town name (prefix + stem + suffix), in a random order."""
    names = [f"{prefix}{stem}{suffix}" for prefix, stem, suffix in itertools.product(*TOWN_PARTS)]
    rng.shuffle(names)
    return [name[0].upper() + name[1:] for name in names]


def town_plans(rng: random.Random, neighbourhoods: list[str], size: int) -> list[tuple[Offer, str]]:
    """A town's ``size`` services as (offer, neighbourhood or ""): the demo's offers, then its variants, then
    numbered repeats."""
    base = [
        (offer, neighbourhood)
        for offer in OFFERS
        for neighbourhood in (neighbourhoods if offer.per_neighbourhood else ("",))
    ]
    plans = list(base)
    while len(plans) < size:
        index = len(plans) - len(base)
        offer, neighbourhood = base[index % len(base)]
        round_ = index // len(base)
        variants = len(VARIANTS) - 1
        variant = VARIANTS[1 + round_ % variants]
        number = f" {2 + round_ // variants}" if round_ >= variants else ""
        spoken = (*offer.languages, "eng") if variant == "in het Engels" and "eng" not in offer.languages else None
        offer = replace(offer, name=f"{offer.name} {variant}{number}", languages=spoken or offer.languages)
        plans.append((offer, neighbourhood))
    rng.shuffle(plans)
    return plans[:size]


@dataclass
class Rows:
    """The rows of a group of towns, written together."""

    organizations: list = field(default_factory=list)
    locations: list = field(default_factory=list)
    addresses: list = field(default_factory=list)
    accessibility: list = field(default_factory=list)
    services: list = field(default_factory=list)
    related: dict = field(default_factory=lambda: {model: [] for model in RELATED})

    def write(self) -> None:
        for model, rows in (
            (Organization, self.organizations),
            (Location, self.locations),
            (Address, self.addresses),
            (Accessibility, self.accessibility),
            (Service, self.services),
            *self.related.items(),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH)


RELATED = (ServiceAtLocation, Schedule, CostOption, Language, ServiceCapacity, ServiceArea, Attribute, Phone)


def _town(
    rng: random.Random,
    rows: Rows,
    terms: dict[str, TaxonomyTerm],
    number: int,
    town: str,
    size: int,
    now: datetime.datetime,
    *,
    first: int,
) -> None:
    """Town ``number``'s organisations, places and ``size`` services (``first``: the number of its first service in
    the whole directory), added to ``rows``."""
    pool = list(NEIGHBOURHOODS) + list(MORE_NEIGHBOURHOODS)
    neighbourhoods = rng.sample(pool, rng.randint(3, 7))
    areas = {
        name: tuple(f"{1000 + (number * 16 + index * 2 + extra) % 9000:04d}" for extra in range(2))
        for index, name in enumerate(neighbourhoods)
    }

    def local(text: str) -> str:
        return text.replace(DEMO_CITY, town)

    def place(name: str, organization: Organization | None, neighbourhood: str, accessible: bool) -> Location:
        location = Location(id=_id(rng), location_type="physical", name=name, organization=organization)
        letters = "ABCDEGHJKLMNPRSTVWXZ"
        rows.addresses.append(
            Address(
                id=_id(rng),
                location=location,
                address_1=f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
                city=town,
                region=neighbourhood,
                state_province=PROVINCE,
                postal_code=f"{rng.choice(areas[neighbourhood])} {rng.choice(letters)}{rng.choice(letters)}",
                country="NL",
                address_type="physical",
            )
        )
        if accessible:
            rows.accessibility.append(
                Accessibility(
                    id=_id(rng),
                    location=location,
                    description="Rolstoeltoegankelijk, met een invalidentoilet.",
                    details="Drempelvrije ingang; lift naar de eerste verdieping.",
                )
            )
        rows.locations.append(location)
        return location

    organizations: dict[str, Organization] = {}
    office: dict[str, Location] = {}
    centre = neighbourhoods[0]
    for offer in OFFERS:
        if offer.organisation in organizations:
            continue
        name = local(offer.organisation) if DEMO_CITY in offer.organisation else f"{offer.organisation} {town}"
        organization = Organization(
            id=_id(rng),
            name=name,
            informal=offer.organisation in INFORMAL,
            description=f"{name} in {town}.",
            email=f"info@{rng.randint(100, 999)}.{town.lower()}.test",
            created_at=now,
            updated_at=now,
        )
        organizations[offer.organisation] = organization
        rows.organizations.append(organization)
        office[offer.organisation] = place(name, organization, centre, accessible=rng.random() < 0.6)
    community = {
        neighbourhood: place(f"Wijkcentrum {neighbourhood}", None, neighbourhood, accessible=True)
        for neighbourhood in neighbourhoods
    }

    related = rows.related
    for index, (offer, neighbourhood) in enumerate(town_plans(rng, neighbourhoods, size), first):
        organization = organizations[offer.organisation]
        name = f"{offer.name} {neighbourhood}".strip() if neighbourhood else offer.name
        extra = EXTRA[offer.category]
        sentences = rng.sample(extra, rng.choice((0, 1, 1, 2))) if rng.random() < 0.8 else []
        if index % RARE_EVERY == 0:
            sentences.append(RARE_SENTENCE)
        checked_days = rng.randint(1, 500)
        draw = rng.random()
        status = (
            ServiceStatus.INACTIVE
            if draw < 0.01
            else ServiceStatus.TEMPORARILY_CLOSED
            if draw < 0.02
            else ServiceStatus.ACTIVE
        )
        service = Service(
            id=_id(rng),
            organization=organization,
            name=local(name),
            description=" ".join([local(offer.description), *sentences]),
            eligibility_description=local(offer.eligibility),
            application_process=local(offer.application),
            status=status,
            email=organization.email,
            wait_time=rng.choice(("", "1 week", "2 weken", "4 weken")) if offer.capacity_unit else "",
            last_modified=now - datetime.timedelta(days=checked_days),
            checked_at=now - datetime.timedelta(days=checked_days),
        )
        rows.services.append(service)
        location = community[neighbourhood] if neighbourhood else office[offer.organisation]
        related[ServiceAtLocation].append(ServiceAtLocation(id=_id(rng), service=service, location=location))
        opens, closes = rng.choice(HOURS)
        related[Schedule].append(
            Schedule(
                id=_id(rng),
                service=service,
                freq="WEEKLY",
                byday=rng.choice(DAYS),
                opens_at=datetime.time(opens),
                closes_at=datetime.time(closes),
            )
        )
        related[CostOption].append(
            CostOption(
                id=_id(rng),
                service=service,
                option="Gratis" if offer.free else offer.fee,
                currency="EUR",
                amount=0 if offer.free else None,
            )
        )
        spoken = offer.languages
        if len(spoken) == 1 and rng.random() < 0.15:
            spoken = (*spoken, rng.choice(("eng", "tur", "ara", "pol", "ukr")))
        for code in spoken:
            related[Language].append(Language(id=_id(rng), service=service, code=code, name=LANGUAGE_NAMES[code]))
        if offer.capacity_unit:
            maximum = rng.choice((5, 10, 20, 40))
            available = rng.choice((0, 0, 1, 2, 3, maximum // 2))
            related[ServiceCapacity].append(
                ServiceCapacity(
                    id=_id(rng),
                    service=service,
                    unit=offer.capacity_unit,
                    available=available,
                    maximum=maximum,
                    waiting=rng.randint(1, 25) if available == 0 else None,
                    updated=now - datetime.timedelta(days=rng.randint(0, 30)),
                )
            )
        related[ServiceArea].append(ServiceArea(id=_id(rng), service=service, name=neighbourhood or town))
        categories = [offer.category]
        if rng.random() < 0.2:
            categories.append(rng.choice([code for code in CATEGORIES if code != offer.category]))
        for code in categories:
            related[Attribute].append(
                Attribute(id=_id(rng), link_id=service.id, link_entity="service", taxonomy_term=terms[code])
            )
        related[Phone].append(Phone(id=_id(rng), service=service, number=_phone(rng)))


def _taxonomy(rng: random.Random) -> dict[str, TaxonomyTerm]:
    taxonomy = Taxonomy.objects.create(
        id=_id(rng), name="Samen: onderwerpen", description="De onderwerpen van de sociale kaart.", version="1"
    )
    return {
        code: TaxonomyTerm.objects.create(
            id=_id(rng),
            code=code,
            name=name,
            description=description,
            taxonomy=taxonomy.name,
            taxonomy_detail=taxonomy,
            language="nld",
        )
        for code, (name, description) in CATEGORIES.items()
    }


def generate(
    *,
    services: int = 50_000,
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
    progress_every: int = 10_000,
) -> dict:
    """Write the directory (``services`` services) and index it; return what the benchmark reports of it."""
    rng = random.Random(seed)
    now = timezone.now()
    started = time.monotonic()
    with transaction.atomic():
        terms = _taxonomy(rng)
    names = town_names(rng)
    written = towns = 0
    said = 0
    while written < services:
        rows = Rows()
        for _ in range(TOWNS_PER_GROUP):
            if written >= services:
                break
            if towns >= len(names):
                raise ValueError(f"more towns needed than the {len(names)} names: {services} services is too many")
            size = min(rng.randint(*TOWN_SIZES), services - written)
            _town(rng, rows, terms, towns, names[towns], size, now, first=written)
            written += size
            towns += 1
        with transaction.atomic():
            rows.write()
        if written - said >= progress_every or written >= services:
            said = written
            _say(
                progress,
                f"    {written:,} of {services:,} services in {towns} towns ({time.monotonic() - started:.0f} s)",
            )
    written_seconds = time.monotonic() - started

    ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    said = 0
    for start in range(0, len(ids), REINDEX_BATCH):
        with transaction.atomic():
            indexing.reindex(ids[start : start + REINDEX_BATCH])
        done = min(start + REINDEX_BATCH, len(ids))
        if done - said >= progress_every or done == len(ids):
            said = done
            _say(progress, f"    indexed {done:,} of {len(ids):,} services ({time.monotonic() - started:.0f} s)")
    return {
        "services": Service.objects.count(),
        "shown": Service.objects.filter(status__in=(ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)).count(),
        "free": Service.objects.filter(is_free=True).count(),
        "organizations": Organization.objects.count(),
        "locations": Location.objects.count(),
        "towns": towns,
        "categories": len(terms),
        "attributes": Attribute.objects.count(),
        "languages": Language.objects.count(),
        "capacities": ServiceCapacity.objects.count(),
        "cost_options": CostOption.objects.count(),
        "write_seconds": round(written_seconds, 1),
        "seconds": round(time.monotonic() - started, 1),
    }
