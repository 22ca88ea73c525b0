"""Organisations (a tree with a stored path), people and their roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from portal.validation import SaneDateField


class OrgKind(models.TextChoices):
    REGION = "region", _("Regional Party organisation")
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General Party branch")
    BRANCH = "branch", _("Party branch")
    GROUP = "group", _("Party group")


class Service(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    RETIRED = "retired", _("Retired")


def within_paths_q(paths, *, via: str = "") -> Q:
    """The condition "in the subtree of one of ``paths``" on treebeard's stored path: a node's
    path starts with the paths of all its ancestors, so one query selects whole subtrees.

    ``via`` is the lookup from the filtered model to its organisation (``"branch__"``,
    ``"committee__"``); empty when filtering organisations themselves. No paths match nothing.
    """
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{via}path__startswith": path})
    return condition


class OrganisationQuerySet(MP_NodeQuerySet):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)

    def branches(self) -> OrganisationQuerySet:
        return self.filter(kind=OrgKind.BRANCH)

    def with_member_counts(self) -> OrganisationQuerySet:
        """``member_count``: each node's own active full and probationary members. A count per
        node (a subquery the members' partial index answers alone), not a join of all the
        people: a liaison member's 200 branches read 10,000 index entries, not 150,000 rows."""
        members = (
            Person.objects.active()
            .members()
            .filter(branch=OuterRef("pk"))
            .order_by()
            .values("branch")
            # COUNT(*): no column outside the index, so an index-only scan.
            .annotate(total=Count("*"))
            .values("total")
        )
        return self.annotate(member_count=Coalesce(Subquery(members), 0))

    def in_service(self) -> OrganisationQuerySet:
        return self.filter(service=Service.IN_SERVICE)

    def choice_labels(self):
        """(pk, label) pairs for a select, labelled as ``Organisation.__str__`` does, in one
        query without building the objects (``portal.widgets.FastSelect``)."""
        label = Coalesce(NullIf("short_name", Value("")), "name")
        return self.values_list("pk", label)

    def within(self, *roots: Organisation) -> OrganisationQuerySet:
        """Every organisation in the subtrees of ``roots``, in one query on the stored path."""
        return self.within_paths([root.path for root in roots])

    def within_paths(self, paths) -> OrganisationQuerySet:
        paths = list(paths)
        if not paths:
            return self.none()
        return self.filter(within_paths_q(paths))


class OrganisationManager(MP_NodeManager.from_queryset(OrganisationQuerySet)):
    def get_queryset(self):
        return OrganisationQuerySet(self.model, using=self._db).order_by("path")


class Organisation(MP_Node):
    """A node of the Party organisation tree: region → committee → general branch → branch → group.

    treebeard's materialised path (``path``) lets one query select a whole subtree.
    """

    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    service = models.CharField(
        _("in service or retired"),
        max_length=20,
        choices=Service.choices,
        default=Service.IN_SERVICE,
    )
    founded_on = SaneDateField(_("founded on"), null=True, blank=True)
    last_election_on = SaneDateField(_("last election on"), null=True, blank=True)
    liaison_members = models.ManyToManyField(
        "Person",
        verbose_name=_("liaison committee members"),
        related_name="liaison_organisations",
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)

    node_order_by = ["name"]
    objects = OrganisationManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_branch(self) -> bool:
        return self.kind == OrgKind.BRANCH

    def committee(self) -> Organisation | None:
        """The nearest committee at or above this node."""
        if self.kind == OrgKind.COMMITTEE:
            return self
        return Organisation.objects.get_ancestors(self).filter(kind=OrgKind.COMMITTEE).last()


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class MemberType(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")
    NON_MEMBER = "non_member", _("Not a Party member")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    LEFT = "left", _("Left")
    DECEASED = "deceased", _("Deceased")


class PersonQuerySet(models.QuerySet):
    def active(self) -> PersonQuerySet:
        return self.filter(status=PersonStatus.ACTIVE)

    def members(self) -> PersonQuerySet:
        return self.filter(member_type__in=[MemberType.FULL, MemberType.PROBATIONARY])

    def in_organisations(self, organisations) -> PersonQuerySet:
        return self.filter(branch__in=organisations)


class Person(models.Model):
    """Someone the portal knows of. National ID numbers are deliberately never stored."""

    name = models.CharField(_("name"), max_length=60)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = SaneDateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    member_type = models.CharField(
        _("membership"), max_length=20, choices=MemberType.choices, default=MemberType.FULL
    )
    joined_on = SaneDateField(_("joined the Party on"), null=True, blank=True)
    # Party standing (党龄) counts from the end of the probation, not from joining.
    full_member_on = SaneDateField(_("full member since"), null=True, blank=True)
    branch = models.ForeignKey(
        Organisation,
        verbose_name=_("branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]
        indexes = [
            # The members of a branch (OrganisationQuerySet.with_member_counts, the region's
            # figures): counted from the index alone.
            models.Index(
                fields=["branch"],
                name="person_members_by_branch",
                condition=models.Q(
                    status=PersonStatus.ACTIVE,
                    member_type__in=[MemberType.FULL, MemberType.PROBATIONARY],
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        """138****5678: enough to recognise a number, not enough to use it."""
        if len(self.phone) < 7:
            return "*" * len(self.phone)
        return f"{self.phone[:3]}****{self.phone[-4:]}"


class RoleKind(models.TextChoices):
    OFFICE = "office", _("Party office staff")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    SECRETARY = "secretary", _("Branch secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    ORGANISATION_MEMBER = "organisation_member", _("Organisation member")
    MEMBER = "member", _("Member")
    REGIONAL_VIEWER = "regional_viewer", _("Regional viewer")


#: Roles that run a branch's work in the portal (fill forms, keep records, submit).
BRANCH_EDITOR_ROLES = (
    RoleKind.SECRETARY,
    RoleKind.DEPUTY_SECRETARY,
    RoleKind.ORGANISATION_MEMBER,
)


class Role(models.Model):
    """A person's role, scoped to one organisation (and so to its subtree)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="roles"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    kind = models.CharField(_("role"), max_length=30, choices=RoleKind.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "kind"], name="unique_role_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()} · {self.organisation}"
