"""The demo municipality's social map: about 300 services of the organisations in Samen, of organisations outside it
and of informal initiatives (volunteers, community centres, mutual-help groups), in five neighbourhoods, with
categories, opening hours, costs, languages, accessibility and room (capacity and waiting lists). All synthetic.

Deterministic for a seed; written directly in bulk (the demo is not a user) and indexed once at the end. Does
nothing when the map has services already.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass, replace

from django.db import transaction

from samen.organisations.models import Organisation
from samen.socialmap import indexing
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
    Taxonomy,
    TaxonomyTerm,
)

CITY = "Voorbeeldstad"
PROVINCE = "Utrecht"
# Neighbourhood -> its postcode areas (synthetic town).
NEIGHBOURHOODS = {
    "Noord": ("3561", "3562"),
    "Zuid": ("3571", "3572"),
    "Oost": ("3581", "3582"),
    "West": ("3591",),
    "Centrum": ("3551",),
}
# Category code -> name and description (Samen's own taxonomy of the social map).
CATEGORIES = {
    "geld": ("Geld en schulden", "Hulp bij geldzaken, schulden, toeslagen en rondkomen."),
    "wonen": ("Wonen", "Een huis vinden of houden, huur, woningaanpassing."),
    "werk": ("Werk en inkomen", "Werk zoeken, uitkering, vrijwilligerswerk en scholing."),
    "gezondheid": ("Gezondheid", "Lichamelijke en geestelijke gezondheid, verslaving."),
    "opvoeden": ("Opvoeden en opgroeien", "Hulp bij opvoeden, voor kinderen en jongeren."),
    "meedoen": ("Meedoen en contact", "Mensen ontmoeten, eenzaamheid, activiteiten in de buurt."),
    "thuis": ("Zorg en hulp thuis", "Hulp in het huishouden, mantelzorg, hulpmiddelen."),
    "taal": ("Taal en digitaal", "Nederlands leren, lezen en schrijven, computer en telefoon."),
    "veiligheid": ("Veiligheid", "Huiselijk geweld, ruzie met de buren, juridisch advies."),
    "eten": ("Eten en spullen", "Voedselhulp, kleding en spullen voor weinig geld."),
}


@dataclass(frozen=True)
class Offer:
    """A service as the demo makes it: who offers it, in which category, and whether every neighbourhood has its
    own (``per_neighbourhood``)."""

    organisation: str
    name: str
    category: str
    description: str
    eligibility: str = "Voor inwoners van Voorbeeldstad."
    application: str = "Bel of kom langs tijdens het spreekuur."
    free: bool = True
    fee: str = ""
    per_neighbourhood: bool = False
    capacity_unit: str = ""  # "" for a service without a limit on places
    languages: tuple[str, ...] = ("nld",)


INFORMAL = {
    "Buurthuis De Kom",
    "Vrijwilligerscentrale Voorbeeldstad",
    "Repair Café Voorbeeldstad",
    "Taalcafé Samen Praten",
    "Moedergroep Oost",
    "Kledingbank De Jas",
    "Buurtbus Voorbeeldstad",
}
# Outside Samen: organisations of the map that do not use Samen (no maintainer; the functional administrator keeps
# their entries).
OFFERS: tuple[Offer, ...] = (
    # --- organisations in Samen ---
    Offer(
        "Schuldhulp Voorbeeldstad",
        "Schuldhulpverlening",
        "geld",
        "Hulp als u schulden heeft die u niet meer zelf kunt betalen. We maken samen een overzicht, praten met "
        "schuldeisers en zoeken naar een regeling.",
        capacity_unit="plaatsen",
    ),
    Offer(
        "Schuldhulp Voorbeeldstad",
        "Budgetcoaching",
        "geld",
        "Een budgetcoach helpt u om rond te komen: een overzicht van inkomsten en uitgaven en een plan om geld "
        "opzij te zetten.",
        capacity_unit="plaatsen",
    ),
    Offer(
        "Schuldhulp Voorbeeldstad",
        "Vroeg eropaf",
        "geld",
        "Heeft u een achterstand met de huur, de energierekening of de zorgverzekering? Wij nemen contact op en "
        "helpen voordat het een schuld wordt.",
    ),
    Offer(
        "Schuldhulp Voorbeeldstad",
        "Spreekuur geldzaken",
        "geld",
        "Met vragen over brieven, rekeningen, toeslagen of schulden kunt u zonder afspraak binnenlopen.",
        per_neighbourhood=True,
        languages=("nld", "eng", "tur", "ara"),
    ),
    Offer(
        "Wijkteam Noord",
        "Spreekuur wijkteam",
        "thuis",
        "Vragen over zorg, opvoeden, geld, werk of wonen? Het wijkteam denkt met u mee en zoekt samen met u naar hulp.",
        per_neighbourhood=True,
        languages=("nld", "eng"),
    ),
    Offer(
        "Gemeente Voorbeeldstad",
        "Bijzondere bijstand",
        "geld",
        "Een vergoeding voor noodzakelijke kosten die u zelf niet kunt betalen, zoals een bril of een wasmachine.",
        application="Vraag het aan via het formulier van de gemeente of bij het wijkteam.",
    ),
    Offer(
        "Gemeente Voorbeeldstad",
        "Huishoudelijke hulp (Wmo)",
        "thuis",
        "Hulp bij het schoonhouden van uw huis als u dat zelf niet meer kunt.",
        fee="U betaalt een eigen bijdrage.",
        free=False,
        capacity_unit="plaatsen",
    ),
    Offer(
        "Gemeente Voorbeeldstad",
        "Woningaanpassing",
        "wonen",
        "Een traplift, een drempel weg of een aangepaste douche, zodat u thuis kunt blijven wonen.",
        fee="U betaalt soms een eigen bijdrage.",
        free=False,
    ),
    Offer(
        "Gemeente Voorbeeldstad",
        "Werkcoach",
        "werk",
        "Een werkcoach helpt u om werk te vinden dat bij u past, of een opleiding.",
        capacity_unit="plaatsen",
    ),
    Offer(
        "Jeugdhulp Voorbeeldstad",
        "Opvoedspreekuur",
        "opvoeden",
        "Vragen over het opvoeden van uw kind? Een gezinscoach luistert en geeft tips.",
        per_neighbourhood=True,
    ),
    Offer(
        "Jeugdhulp Voorbeeldstad",
        "Gezinscoaching",
        "opvoeden",
        "Een gezinscoach komt bij u thuis als het opvoeden even niet lukt.",
        capacity_unit="gezinnen",
    ),
    Offer(
        "GGZ Voorbeeldstad",
        "Inloop psychische gezondheid",
        "gezondheid",
        "Voelt u zich somber, angstig of onrustig? Kom langs voor een gesprek, zonder verwijzing.",
        per_neighbourhood=True,
    ),
    Offer(
        "GGZ Voorbeeldstad",
        "Begeleiding thuis",
        "gezondheid",
        "Begeleiding bij het dagelijks leven als u psychische klachten heeft.",
        capacity_unit="plaatsen",
    ),
    Offer(
        "Welzijn Voorbeeldstad",
        "Bezoekdienst",
        "meedoen",
        "Een vrijwilliger komt eens per week bij u op bezoek voor een praatje of een wandeling. Voor mensen die "
        "zich eenzaam voelen of weinig mensen zien.",
        capacity_unit="koppelingen",
    ),
    Offer(
        "Welzijn Voorbeeldstad",
        "Mantelzorgondersteuning",
        "thuis",
        "Zorgt u voor iemand in uw omgeving? Wij geven advies, een luisterend oor en soms een vrije dag.",
        per_neighbourhood=True,
    ),
    Offer(
        "Welzijn Voorbeeldstad",
        "Thuisadministratie",
        "geld",
        "Een vrijwilliger helpt u thuis om uw post en rekeningen op orde te brengen en te houden.",
        capacity_unit="koppelingen",
    ),
    Offer(
        "Welzijn Voorbeeldstad",
        "Ouderenadvies",
        "thuis",
        "Advies over wonen, zorg en meedoen voor mensen van 65 jaar en ouder.",
        per_neighbourhood=True,
    ),
    Offer(
        "Cliëntondersteuning Voorbeeldstad",
        "Onafhankelijke cliëntondersteuning",
        "thuis",
        "Iemand die naast u staat bij gesprekken met de gemeente of zorgaanbieders. Onafhankelijk en gratis.",
    ),
    Offer(
        "Voedselbank Voorbeeldstad",
        "Voedselpakket",
        "eten",
        "Elke week een pakket met eten als u even niet genoeg geld heeft voor boodschappen.",
        per_neighbourhood=True,
        capacity_unit="pakketten",
    ),
    # --- organisations outside Samen ---
    Offer(
        "Woningcorporatie Thuis in Voorbeeldstad",
        "Huurachterstand: samen een regeling",
        "wonen",
        "Loopt u achter met de huur? Neem op tijd contact op. We maken een betalingsregeling, zodat u in uw huis "
        "kunt blijven.",
    ),
    Offer(
        "Woningcorporatie Thuis in Voorbeeldstad",
        "Urgentie en woningzoeken",
        "wonen",
        "Advies als u dringend een andere woning nodig heeft.",
    ),
    Offer(
        "Huurdersvereniging Voorbeeldstad",
        "Huurspreekuur",
        "wonen",
        "Vragen over uw huur, servicekosten of onderhoud? De huurdersvereniging helpt.",
        per_neighbourhood=True,
    ),
    Offer(
        "Rechtswinkel Voorbeeldstad",
        "Gratis juridisch advies",
        "veiligheid",
        "Studenten rechten geven gratis advies over bijvoorbeeld huur, werk, een boete of een scheiding.",
    ),
    Offer(
        "Veilig Thuis Voorbeeldstad",
        "Advies bij huiselijk geweld",
        "veiligheid",
        "Voor advies of een melding bij huiselijk geweld of kindermishandeling. Dag en nacht bereikbaar.",
    ),
    Offer(
        "Buurtbemiddeling Voorbeeldstad",
        "Buurtbemiddeling",
        "veiligheid",
        "Ruzie of overlast met de buren? Getrainde vrijwilligers helpen u om er samen uit te komen.",
        capacity_unit="zaken",
    ),
    Offer(
        "Bibliotheek Voorbeeldstad",
        "Taalhuis",
        "taal",
        "Beter leren lezen, schrijven of rekenen, of Nederlands leren. Samen met een vrijwilliger.",
        per_neighbourhood=True,
        languages=("nld", "eng", "ara", "tir", "ukr"),
    ),
    Offer(
        "Bibliotheek Voorbeeldstad",
        "Digitaal spreekuur",
        "taal",
        "Hulp met uw computer, telefoon, DigiD of een formulier van de overheid.",
        per_neighbourhood=True,
    ),
    Offer(
        "Thuiszorg De Linde",
        "Wijkverpleging",
        "gezondheid",
        "Verpleging en verzorging thuis, zoals wassen, aankleden en wondzorg.",
        fee="Vergoed door uw zorgverzekering.",
        free=False,
        capacity_unit="cliënten",
    ),
    Offer(
        "Sportbedrijf Voorbeeldstad",
        "Sportmaatje",
        "meedoen",
        "Samen sporten met een vrijwilliger, voor wie het moeilijk vindt om alleen te beginnen.",
        capacity_unit="koppelingen",
    ),
    Offer(
        "Sportbedrijf Voorbeeldstad",
        "Jeugdsportfonds",
        "opvoeden",
        "Een vergoeding voor de contributie en sportkleding van uw kind als er weinig geld is.",
        eligibility="Voor kinderen van 4 tot 18 jaar in gezinnen met een laag inkomen.",
    ),
    Offer(
        "Stichting Leergeld Voorbeeldstad",
        "Meedoen op school",
        "opvoeden",
        "Hulp bij kosten voor school, zoals een laptop, een fiets of een schoolreis.",
        eligibility="Voor kinderen van 4 tot 18 jaar in gezinnen met een laag inkomen.",
    ),
    # --- informal initiatives ---
    Offer(
        "Buurthuis De Kom",
        "Open inloop met koffie",
        "meedoen",
        "Elke ochtend staat de koffie klaar. Kom langs, maak een praatje en ontmoet buren. Ook als u zich "
        "eenzaam voelt.",
        per_neighbourhood=True,
    ),
    Offer(
        "Buurthuis De Kom",
        "Samen eten",
        "meedoen",
        "Eén keer per week samen koken en eten met buurtbewoners, voor een kleine bijdrage.",
        fee="€ 3,50 per maaltijd.",
        free=False,
        per_neighbourhood=True,
        capacity_unit="plaatsen",
    ),
    Offer(
        "Buurthuis De Kom",
        "Wandelgroep",
        "meedoen",
        "Elke week een rustige wandeling door de wijk, samen met anderen.",
        per_neighbourhood=True,
    ),
    Offer(
        "Vrijwilligerscentrale Voorbeeldstad",
        "Vrijwilligerswerk vinden",
        "werk",
        "Wilt u iets doen voor een ander? Wij zoeken samen met u vrijwilligerswerk dat bij u past.",
    ),
    Offer(
        "Vrijwilligerscentrale Voorbeeldstad",
        "Maatje voor statushouders",
        "taal",
        "Een maatje helpt nieuwe inwoners om hun weg te vinden in Voorbeeldstad.",
        capacity_unit="koppelingen",
        languages=("nld", "eng", "ara", "tir"),
    ),
    Offer(
        "Repair Café Voorbeeldstad",
        "Repair Café",
        "eten",
        "Kapotte spullen samen repareren in plaats van weggooien. Elke maand.",
        per_neighbourhood=True,
    ),
    Offer(
        "Taalcafé Samen Praten",
        "Taalcafé",
        "taal",
        "Nederlands oefenen in een gezellige groep. Iedereen is welkom, elk niveau.",
        per_neighbourhood=True,
        languages=("nld", "eng", "ara", "pol", "ukr"),
    ),
    Offer(
        "Moedergroep Oost",
        "Moedergroep",
        "opvoeden",
        "Moeders ontmoeten elkaar, delen ervaringen over opvoeden en helpen elkaar.",
    ),
    Offer(
        "Kledingbank De Jas",
        "Kledingbank",
        "eten",
        "Gratis kleding voor volwassenen en kinderen, als er weinig geld is.",
        per_neighbourhood=True,
    ),
    Offer(
        "Buurtbus Voorbeeldstad",
        "Buurtbus",
        "thuis",
        "Vrijwilligers rijden u naar de huisarts, het ziekenhuis of de supermarkt.",
        fee="€ 1 per rit.",
        free=False,
        capacity_unit="ritten",
    ),
)
LANGUAGE_NAMES = {
    "nld": "Nederlands",
    "eng": "Engels",
    "tur": "Turks",
    "ara": "Arabisch",
    "tir": "Tigrinya",
    "ukr": "Oekraïens",
    "pol": "Pools",
}
DAYS = ("MO,WE,FR", "TU,TH", "MO,TU,WE,TH,FR", "WE", "SA", "TU,FR")
HOURS = ((9, 12), (9, 17), (13, 16), (10, 15), (19, 21))
# Variants make the map the size of a real town's: each offer again, for another group or place.
VARIANTS = ("", "voor jongeren", "voor ouderen", "voor gezinnen", "in het Engels")
TARGET_SERVICES = 300


def _id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _phone(rng: random.Random) -> str:
    return f"0{rng.randint(10, 99)}-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


@transaction.atomic
def add_demo_socialmap(*, seed: int, now: datetime.datetime) -> int:
    """Build the demo's social map; returns the number of services (0 when the map has services already)."""
    if Service.objects.exists():
        return 0
    rng = random.Random(seed * 7919 + 13)
    samen = {organisation.name: organisation for organisation in Organisation.objects.all()}

    taxonomy = Taxonomy.objects.create(
        id=_id(rng),
        name="Samen: onderwerpen",
        description="De onderwerpen van de sociale kaart van Samen.",
        version="1",
    )
    terms = {
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

    organizations: dict[str, Organization] = {}
    for offer in OFFERS:
        if offer.organisation in organizations:
            continue
        maintainer = samen.get(offer.organisation)
        organizations[offer.organisation] = Organization(
            id=_id(rng),
            name=offer.organisation,
            maintainer=maintainer,
            informal=offer.organisation in INFORMAL,
            description=f"{offer.organisation} in {CITY}.",
            email=f"info@{rng.randint(100, 999)}.voorbeeld.test",
            created_at=now,
            updated_at=now,
        )
    Organization.objects.bulk_create(organizations.values())

    # Places: an office of each organisation in the centre, and a community centre in every neighbourhood.
    locations, addresses, accessibility = [], [], []
    office: dict[str, Location] = {}
    centre: dict[str, Location] = {}

    def place(name: str, organization: Organization | None, neighbourhood: str, accessible: bool) -> Location:
        location = Location(id=_id(rng), location_type="physical", name=name, organization=organization)
        area = rng.choice(NEIGHBOURHOODS[neighbourhood])
        addresses.append(
            Address(
                id=_id(rng),
                location=location,
                address_1=f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
                city=CITY,
                region=neighbourhood,
                state_province=PROVINCE,
                postal_code=f"{area} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}",
                country="NL",
                address_type="physical",
            )
        )
        if accessible:
            accessibility.append(
                Accessibility(
                    id=_id(rng),
                    location=location,
                    description="Je kunt er met een rolstoel in. Er is een wc voor mensen met een beperking.",
                    details="Drempelvrije ingang; lift naar de eerste verdieping.",
                )
            )
        locations.append(location)
        return location

    for name, organization in organizations.items():
        office[name] = place(name, organization, "Centrum", accessible=rng.random() < 0.6)
    for neighbourhood in NEIGHBOURHOODS:
        centre[neighbourhood] = place(f"Wijkcentrum {neighbourhood}", None, neighbourhood, accessible=True)
    Location.objects.bulk_create(locations)
    Address.objects.bulk_create(addresses)
    Accessibility.objects.bulk_create(accessibility)

    services, at_locations, schedules, costs, languages, capacities, areas, attributes, phones = ([] for _ in range(9))
    plans = [
        (offer, neighbourhood)
        for offer in OFFERS
        for neighbourhood in (NEIGHBOURHOODS if offer.per_neighbourhood else ("",))
    ]
    base = list(plans)
    while len(plans) < TARGET_SERVICES:
        index = len(plans) - len(base)
        offer, neighbourhood = base[index % len(base)]
        variant = VARIANTS[1 + (index // len(base)) % (len(VARIANTS) - 1)]
        spoken = (*offer.languages, "eng") if variant == "in het Engels" and "eng" not in offer.languages else None
        offer = replace(offer, name=f"{offer.name} {variant}", languages=spoken or offer.languages)
        plans.append((offer, neighbourhood))
    for offer, neighbourhood in plans[:TARGET_SERVICES]:
        organization = organizations[offer.organisation]
        name = f"{offer.name} {neighbourhood}".strip() if neighbourhood else offer.name
        checked_days = rng.choice((3, 20, 60, 120, 200, 300, 400, 500)) if rng.random() < 0.2 else rng.randint(1, 300)
        service = Service(
            id=_id(rng),
            organization=organization,
            name=name,
            description=offer.description,
            eligibility_description=offer.eligibility,
            application_process=offer.application,
            fees_description="",  # the cost option below says it (free, or what it costs)
            status="active",
            email=organization.email,
            wait_time=rng.choice(("", "1 week", "2 weken", "4 weken")) if offer.capacity_unit else "",
            last_modified=now - datetime.timedelta(days=checked_days),
            checked_at=now - datetime.timedelta(days=checked_days),
        )
        services.append(service)
        location = centre[neighbourhood] if neighbourhood else office[offer.organisation]
        at_locations.append(ServiceAtLocation(id=_id(rng), service=service, location=location))
        opens, closes = rng.choice(HOURS)
        schedules.append(
            Schedule(
                id=_id(rng),
                service=service,
                freq="WEEKLY",
                byday=rng.choice(DAYS),
                opens_at=datetime.time(opens),
                closes_at=datetime.time(closes),
            )
        )
        costs.append(
            CostOption(
                id=_id(rng),
                service=service,
                option="Gratis" if offer.free else offer.fee,
                currency="EUR",
                amount=0 if offer.free else None,
            )
        )
        for code in offer.languages:
            languages.append(Language(id=_id(rng), service=service, code=code, name=LANGUAGE_NAMES[code]))
        if offer.capacity_unit:
            maximum = rng.choice((5, 10, 20, 40))
            available = rng.choice((0, 0, 1, 2, 3, maximum // 2))
            capacities.append(
                ServiceCapacity(
                    id=_id(rng),
                    service=service,
                    unit=offer.capacity_unit,
                    available=available,
                    maximum=maximum,
                    waiting=rng.randint(1, 25) if available == 0 else None,
                    updated=now - datetime.timedelta(days=2),
                )
            )
        areas.append(ServiceArea(id=_id(rng), service=service, name=neighbourhood or CITY))
        attributes.append(
            Attribute(
                id=_id(rng),
                link_id=service.id,
                link_entity="service",
                taxonomy_term=terms[offer.category],
            )
        )
        phones.append(Phone(id=_id(rng), service=service, number=_phone(rng)))
    Service.objects.bulk_create(services)
    for model, rows in (
        (ServiceAtLocation, at_locations),
        (Schedule, schedules),
        (CostOption, costs),
        (Language, languages),
        (ServiceCapacity, capacities),
        (ServiceArea, areas),
        (Attribute, attributes),
        (Phone, phones),
    ):
        model.objects.bulk_create(rows)
    indexing.reindex([service.pk for service in services])
    return len(services)


STREETS = (
    "Dorpsstraat",
    "Kerkplein",
    "Lindelaan",
    "Molenweg",
    "Stationsplein",
    "Beukenlaan",
    "Havenstraat",
    "Schoolstraat",
    "Parkweg",
    "Zonnebloemstraat",
)
