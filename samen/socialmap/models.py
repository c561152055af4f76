"""The social map: a directory of services in the shape of Open Referral's HSDS 3.0 (``standards.md``), with the
capacity of HSDS 3.1's ``service_capacity`` and a flag for informal resources.

Every HSDS object the map needs is a table whose columns carry the HSDS property names, and whose primary key is
the HSDS ``id`` (a UUID), so an import is idempotent by id and an export gives the same ids back. A foreign key named
``organization`` is stored as ``organization_id``: the HSDS name of the link. What HSDS allows but the map does not
use (contacts, funding, programs, metadata, attributes other than a taxonomy term, fields a national profile adds)
is kept as it came in ``extra`` and given back unchanged on export.

Columns the search and the filters read are filled by ``samen.socialmap.services`` whenever a service or what
belongs to it changes (``index_fields``); nothing else writes these tables.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 250
TEXT_MAX_LENGTH = 5000
# A service whose entry nobody checked for this many days is flagged as stale.
STALE_AFTER_DAYS = 365


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("a place to visit")
    POSTAL = "postal", _("a postal address")
    VIRTUAL = "virtual", _("online")


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    INACTIVE = "inactive", _("inactive")
    DEFUNCT = "defunct", _("stopped")
    TEMPORARILY_CLOSED = "temporarily closed", _("temporarily closed")


class Weekday(models.TextChoices):
    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


class Frequency(models.TextChoices):
    WEEKLY = "WEEKLY", _("weekly")
    MONTHLY = "MONTHLY", _("monthly")


def _hsds_id() -> uuid.UUID:
    return uuid.uuid4()


class HsdsModel(models.Model):
    """An HSDS object: its id, and what HSDS allows that the map does not use (``extra``, exported unchanged)."""

    id = models.UUIDField(primary_key=True, default=_hsds_id, editable=False)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True


class Taxonomy(HsdsModel):
    """A vocabulary of terms (HSDS ``taxonomy``): Samen's own categories, or an imported one."""

    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH)
    uri = models.URLField(_("address"), max_length=500, blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(HsdsModel):
    """One term of a taxonomy (HSDS ``taxonomy_term``): a category a service is classified in."""

    code = models.CharField(_("code"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children", db_constraint=False
    )
    # HSDS names the taxonomy both as text (``taxonomy``) and by id (``taxonomy_id``, with ``taxonomy_detail``).
    taxonomy = models.CharField(_("taxonomy"), max_length=NAME_MAX_LENGTH, blank=True)
    taxonomy_detail = models.ForeignKey(
        Taxonomy, on_delete=models.PROTECT, null=True, blank=True, related_name="terms", verbose_name=_("taxonomy")
    )
    language = models.CharField(_("language"), max_length=20, blank=True)
    term_uri = models.URLField(_("address"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        indexes = [models.Index(fields=["code"], name="socialmap_term_code")]

    def __str__(self) -> str:
        return self.name


class Organization(HsdsModel):
    """An organisation that offers services (HSDS ``organization``). ``maintainer`` is the organisation in Samen that
    keeps its entries up to date; empty for an organisation outside Samen, whose entries the functional
    administrator keeps. ``informal``: a volunteer initiative, a community centre, a mutual-help group."""

    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    alternate_name = models.CharField(_("other name"), max_length=NAME_MAX_LENGTH, blank=True)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH)
    email = models.EmailField(_("email address"), max_length=254, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    tax_status = models.CharField(max_length=100, blank=True)
    tax_id = models.CharField(max_length=100, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(null=True, blank=True)
    legal_status = models.CharField(max_length=100, blank=True)
    logo = models.CharField(max_length=500, blank=True)
    uri = models.URLField(max_length=500, blank=True)
    parent_organization_id = models.UUIDField(null=True, blank=True)
    maintainer = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_entries",
        verbose_name=_("kept up to date by"),
    )
    informal = models.BooleanField(_("informal help"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization in the social map")
        verbose_name_plural = _("organizations in the social map")

    def __str__(self) -> str:
        return self.name


class Location(HsdsModel):
    """Where a service is given (HSDS ``location``): a place to visit, a postal address or online."""

    location_type = models.CharField(_("kind of place"), max_length=10, choices=LocationType.choices)
    url = models.URLField(max_length=500, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH, blank=True)
    alternate_name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    transportation = models.TextField(_("how to get there"), max_length=TEXT_MAX_LENGTH, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=200, blank=True)
    external_identifier_type = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.CheckConstraint(
                condition=Q(location_type__in=LocationType.values), name="socialmap_location_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="socialmap_location_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="socialmap_location_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.id)


class Address(HsdsModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    address_1 = models.CharField(_("street and number"), max_length=NAME_MAX_LENGTH)
    address_2 = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    city = models.CharField(_("place"), max_length=NAME_MAX_LENGTH)
    region = models.CharField(_("neighbourhood"), max_length=NAME_MAX_LENGTH, blank=True)
    state_province = models.CharField(_("province"), max_length=NAME_MAX_LENGTH)
    postal_code = models.CharField(_("postcode"), max_length=20)
    country = models.CharField(_("country"), max_length=2)
    address_type = models.CharField(max_length=10, choices=LocationType.choices)

    class Meta:
        ordering = ["location", "id"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [
            models.CheckConstraint(condition=Q(address_type__in=LocationType.values), name="socialmap_address_type")
        ]

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city}"


class Service(HsdsModel):
    """A service an organisation offers (HSDS ``service``), with the columns the search and the filters read."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="services")
    program_id = models.UUIDField(null=True, blank=True)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    alternate_name = models.CharField(_("other name"), max_length=NAME_MAX_LENGTH, blank=True)
    description = models.TextField(_("what it offers"), max_length=TEXT_MAX_LENGTH, blank=True)
    url = models.URLField(_("website"), max_length=500, blank=True)
    email = models.EmailField(_("email address"), max_length=254, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    interpretation_services = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    application_process = models.TextField(_("how to apply"), max_length=TEXT_MAX_LENGTH, blank=True)
    fees_description = models.TextField(_("costs"), max_length=TEXT_MAX_LENGTH, blank=True)
    wait_time = models.CharField(_("waiting time"), max_length=NAME_MAX_LENGTH, blank=True)
    fees = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    accreditations = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    eligibility_description = models.TextField(_("for whom"), max_length=TEXT_MAX_LENGTH, blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("up to age"), null=True, blank=True)
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.EmailField(max_length=254, blank=True)
    licenses = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    alert = models.TextField(_("notice"), max_length=TEXT_MAX_LENGTH, blank=True)
    last_modified = models.DateTimeField(_("changed"), default=timezone.now)
    # Samen's own: when someone last checked that the entry is still right, and who.
    checked_at = models.DateTimeField(_("last checked"), default=timezone.now)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the search and the filters read (written by services.index_fields, never by hand):
    # the searchable text besides the name (other name, description, organisation, categories), which PostgreSQL's
    # ``dutch`` configuration reads; and for SQLite's FTS5 index the Dutch stems of the name and of that text.
    search_text = models.TextField(blank=True, editable=False)
    name_stems = models.TextField(blank=True, editable=False)
    body_stems = models.TextField(blank=True, editable=False)
    # the informal flag of its organisation; free of charge (at least one cost option, none with an amount above 0);
    informal = models.BooleanField(default=False, editable=False)
    is_free = models.BooleanField(default=False, editable=False)
    # the postcode areas (4 digits) and neighbourhoods of its places and service areas, the language codes it is
    # given in, whether its places describe their accessibility; each word between spaces.
    postcode_areas = models.CharField(max_length=500, blank=True, editable=False)
    neighbourhoods = models.TextField(blank=True, editable=False)
    language_codes = models.CharField(max_length=200, blank=True, editable=False)
    has_accessibility = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ServiceStatus.values), name="socialmap_service_status"),
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="socialmap_service_ages_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "name"], name="socialmap_service_org"),
            models.Index(fields=["checked_at"], name="socialmap_service_checked"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(HsdsModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")
    description = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["service", "id"]
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class Phone(HsdsModel):
    """A phone number of an organisation, a service, a location or a service at a location."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    number = models.CharField(_("phone number"), max_length=50)
    extension = models.PositiveIntegerField(null=True, blank=True)
    type = models.CharField(max_length=50, blank=True)
    description = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")

    def __str__(self) -> str:
        return self.number


class Schedule(HsdsModel):
    """When a service or a place is open (HSDS ``schedule``, iCalendar-like): ``byday`` holds weekday codes
    (``MO,TU``), ``opens_at`` and ``closes_at`` the hours of those days."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    timezone = models.FloatField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    wkst = models.CharField(max_length=2, choices=Weekday.choices, blank=True)
    freq = models.CharField(max_length=7, choices=Frequency.choices, blank=True)
    interval = models.PositiveIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=100, blank=True)
    byweekno = models.CharField(max_length=100, blank=True)
    bymonthday = models.CharField(max_length=100, blank=True)
    byyearday = models.CharField(max_length=100, blank=True)
    description = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    schedule_link = models.URLField(max_length=500, blank=True)
    attending_type = models.CharField(max_length=200, blank=True)
    notes = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(condition=Q(wkst="") | Q(wkst__in=Weekday.values), name="socialmap_schedule_wkst"),
            models.CheckConstraint(condition=Q(freq="") | Q(freq__in=Frequency.values), name="socialmap_schedule_freq"),
        ]
        indexes = [models.Index(fields=["service"], name="socialmap_schedule_service")]

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}"


class Language(HsdsModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="languages")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="languages")
    phone = models.ForeignKey(Phone, on_delete=models.CASCADE, null=True, blank=True, related_name="languages")
    name = models.CharField(_("language"), max_length=100, blank=True)
    code = models.CharField(_("code"), max_length=20, blank=True)
    note = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name or self.code


class Accessibility(HsdsModel):
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="accessibility"
    )
    description = models.TextField(_("accessibility"), max_length=TEXT_MAX_LENGTH, blank=True)
    details = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("accessibility")
        verbose_name_plural = _("accessibility")

    def __str__(self) -> str:
        return self.description[:50]


class CostOption(HsdsModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(_("what it is for"), max_length=NAME_MAX_LENGTH, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    amount_description = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        constraints = [
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="socialmap_cost_amount")
        ]

    def __str__(self) -> str:
        return f"{self.option} {self.amount}"


class ServiceArea(HsdsModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(_("area"), max_length=NAME_MAX_LENGTH, blank=True)
    description = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=50, blank=True)
    uri = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return self.name


class Attribute(HsdsModel):
    """A taxonomy term attached to an object (HSDS ``attribute``): ``link_entity`` names the kind of object
    (``service``, ``organization``, ``location``, ...) and ``link_id`` its id. The map reads the terms of
    services as their categories."""

    link_id = models.UUIDField()
    link_type = models.CharField(max_length=100, blank=True)
    link_entity = models.CharField(max_length=50)
    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.PROTECT, related_name="attributes")
    value = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("category of an entry")
        verbose_name_plural = _("categories of entries")
        indexes = [models.Index(fields=["link_entity", "link_id"], name="socialmap_attribute_link")]

    def __str__(self) -> str:
        return f"{self.link_entity} {self.link_id}: {self.taxonomy_term_id}"


class ServiceCapacity(HsdsModel):
    """How much room a service has (HSDS 3.1 ``service_capacity``): ``available`` of ``maximum`` in ``unit``
    (places, appointments, hours), and how many people wait (Samen's waiting list)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="capacities")
    unit = models.CharField(_("unit"), max_length=100)
    available = models.PositiveIntegerField(_("available"))
    maximum = models.PositiveIntegerField(_("maximum"), null=True, blank=True)
    waiting = models.PositiveIntegerField(_("people waiting"), null=True, blank=True)
    description = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    updated = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("capacity")
        verbose_name_plural = _("capacity")
        constraints = [
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(available__lte=models.F("maximum")),
                name="socialmap_capacity_within_maximum",
            )
        ]

    def __str__(self) -> str:
        return f"{self.available}/{self.maximum} {self.unit}"


class SearchEntry(models.Model):
    """The integer key of a service in SQLite's full-text index (an FTS5 table's rowid must be an integer; a
    service's id is a UUID). Database triggers keep the index in step with ``Service`` (migration 0002); PostgreSQL
    reads a generated ``tsvector`` column of the service instead and leaves this table empty."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return f"search {self.pk}: {self.service_id}"


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("running")
    DONE = "done", _("imported")
    REFUSED = "refused", _("refused")


class DirectoryImport(models.Model):
    """One import of an HSDS file: its progress while it runs, and per record what was wrong when it was refused
    (all or nothing: a refused import changed nothing)."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filename = models.CharField(_("file"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    total = models.PositiveIntegerField(_("records"), default=0)
    done = models.PositiveIntegerField(_("records read"), default=0)
    created = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("changed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="socialmap_import_status"),
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="socialmap_import_progress"),
        ]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"


# --- the household's own network ---
# The people around a household ("netwerkkaart"): family, friends, neighbours, volunteers, professionals, with how
# close they are and what they help with. The household keeps it itself (``samen.socialmap.network_services``, the
# only writer; who may: ``policies.py``). A person may be linked to their place in the team (once invited and
# joined, or when they are in it already), to the invitation sent to them, and to a service of the map above (a
# volunteer of a buddy project).

from django.utils.translation import pgettext_lazy  # noqa: E402 - the section's own import

NETWORK_NAME_MAX_LENGTH = 200
NETWORK_HELPS_WITH_MAX_LENGTH = 1000


class NetworkRelation(models.TextChoices):
    FAMILY = "family", _("family")
    FRIEND = "friend", _("friend")
    NEIGHBOUR = "neighbour", _("neighbour")
    VOLUNTEER = "volunteer", _("volunteer")
    PROFESSIONAL = "professional", _("professional")
    OTHER = "other", _("someone else")


class Closeness(models.IntegerChoices):
    """The circles of the map, from the household outwards ("close" as in near, hence the context)."""

    CLOSE = 1, pgettext_lazy("closeness", "close")
    MIDDLE = 2, pgettext_lazy("closeness", "in between")
    FURTHER = 3, pgettext_lazy("closeness", "further away")


class NetworkPerson(models.Model):
    """One person in a household's own network, as the household describes them (not an account: most of the people
    on the map never log in)."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="network", verbose_name=_("household")
    )
    name = models.CharField(_("name"), max_length=NETWORK_NAME_MAX_LENGTH)
    relation = models.CharField(_("who is this for you"), max_length=16, choices=NetworkRelation.choices)
    closeness = models.PositiveSmallIntegerField(_("how close"), choices=Closeness.choices)
    helps_with = models.TextField(_("what they help with"), max_length=NETWORK_HELPS_WITH_MAX_LENGTH, blank=True)
    # Their place in the household's team, when they are in it (invited and joined, or a professional already there).
    team_member = models.ForeignKey(
        "households.TeamMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_entries",
        verbose_name=_("place in the team"),
    )
    # The invitation into the team sent from the map (``households.Invitation``); joined once it is accepted.
    invitation = models.ForeignKey(
        "households.Invitation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_entries",
        verbose_name=_("invitation"),
    )
    # A volunteer who comes through a service of the social map (a buddy project, a homework club).
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_entries",
        verbose_name=_("through the service"),
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["household", "closeness", "name", "pk"]
        verbose_name = _("person in the network")
        verbose_name_plural = _("people in the network")
        constraints = [
            models.CheckConstraint(
                condition=Q(relation__in=NetworkRelation.values), name="socialmap_network_relation_valid"
            ),
            models.CheckConstraint(
                condition=Q(closeness__gte=Closeness.CLOSE, closeness__lte=Closeness.FURTHER),
                name="socialmap_network_closeness_range",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="socialmap_network_name_not_empty"),
            models.CheckConstraint(condition=Q(version__gte=1), name="socialmap_network_version_positive"),
            # One entry per place in the team: the map does not show the same team member twice.
            models.UniqueConstraint(
                fields=["household", "team_member"],
                condition=Q(team_member__isnull=False),
                name="socialmap_network_team_member_once",
            ),
        ]
        indexes = [models.Index(fields=["household", "closeness"], name="socialmap_network_household")]

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:  # no names of third parties in a log line
        return f"<NetworkPerson {self.pk}>"
