"""A notice read from its Word document, shown for the office to correct before it is saved.

``Proposal`` turns the parser's draft (``tasks.notice_docx``) into forms: the header, one form
per area and sub-area, one per item and one per attachment. Their number and order come from
the document read again on every request, never from the browser: a POST can only correct the
fields shown, not add or move areas, items or attachments. ``Proposal.plan()`` gives what the
office confirmed to ``tasks.drafting``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from branches.access import editable_organisations
from branches.models import OrgKind
from portal.uploads import CheckedFileField, max_upload_bytes
from portal.validation import SaneDateFormField
from portal.widgets import DATE_INPUT
from tasks.drafting import AreaPlan, AttachmentPlan, ItemPlan, NoticePlan
from tasks.kinds import kind_choices
from tasks.models import DeadlineRule, Notice, local_today
from tasks.notice_docx import Draft
from tasks.notice_docx.deadlines import halfwidth
from tasks.notice_docx.reading import Paragraph
from tasks.notice_docx.structure import AREA, SUB_AREA, Area, Item

#: An event the notice ties a deadline to that is the annual rating ("年度考核前").
RATING_EVENT = re.compile(r"考核|考评|评议|评定|星级")
_SENTENCE_END = re.compile(r"[。；;！？!?]")
TITLE_LENGTH = 60
INSTRUCTIONS_MAX = 20_000


def propose_title(text: str) -> str:
    """An item's title: the first sentence of its text, shortened for lists."""
    text = " ".join(text.split())
    end = _SENTENCE_END.search(text)
    first = text[: end.start()] if end else text
    if len(first) > TITLE_LENGTH:
        first = first[: TITLE_LENGTH - 1] + "…"
    return first or text[:TITLE_LENGTH]


def propose_rule(item: Item) -> str:
    """A date read: fixed. No date: tied to the annual rating when the phrase names it
    ("年度考核前"), else no fixed deadline ("及时")."""
    if item.deadline is not None:
        return DeadlineRule.FIXED
    if any(RATING_EVENT.search(phrase.text) for phrase in item.phrases):
        return DeadlineRule.BEFORE_RATING
    return DeadlineRule.NONE


class NoticeUploadForm(forms.Form):
    document = forms.FileField(
        label=_("Word document (.docx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        # Refused before the file is read into memory at all.
        if upload.size is not None and upload.size > max_upload_bytes():
            raise ValidationError(
                _("The file is larger than %(limit)s MB."),
                params={"limit": max_upload_bytes() // (1024 * 1024)},
            )
        return upload


class ReferenceFileForm(forms.Form):
    file = CheckedFileField(label=_("File of the attachment"))


class HeaderForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Notice.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    issue_number = forms.IntegerField(label=_("Issue number"), min_value=1, max_value=999)
    date = SaneDateFormField(label=_("Date"), widget=DATE_INPUT)
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=INSTRUCTIONS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees

    def clean(self):
        data = super().clean()
        committee, year, number = data.get("committee"), data.get("year"), data.get("issue_number")
        if committee and year and number:
            if Notice.objects.filter(committee=committee, year=year, issue_number=number).exists():
                self.add_error(
                    "issue_number",
                    _("The committee already has issue %(number)s of %(year)s.")
                    % {"number": number, "year": year},
                )
        return data


class AreaForm(forms.Form):
    keep = forms.BooleanField(label=_("Keep"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("keep") and not data.get("title", "").strip():
            self.add_error("title", _("Give the area a title, or remove it."))
        return data


class ItemForm(forms.Form):
    keep = forms.BooleanField(label=_("A task"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    deadline_rule = forms.ChoiceField(label=_("Deadline rule"), choices=DeadlineRule.choices)
    deadline = SaneDateFormField(label=_("Deadline"), required=False, widget=DATE_INPUT)
    kind = forms.ChoiceField(label=_("Deliverable kind"), choices=())
    instructions = forms.CharField(
        label=_("Instructions"),
        required=False,
        max_length=INSTRUCTIONS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()

    def clean(self):
        data = super().clean()
        if not data.get("keep"):
            return data
        if not data.get("title", "").strip():
            self.add_error("title", _("Give the item a title, or mark it as not a task."))
        if data.get("deadline_rule") == DeadlineRule.FIXED and not data.get("deadline"):
            self.add_error("deadline", _("A fixed deadline needs a date."))
        if data.get("deadline_rule") == DeadlineRule.NONE:
            data["deadline"] = None
        return data


class AttachmentForm(forms.Form):
    keep = forms.BooleanField(label=_("Keep"), required=False)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    form_kind = forms.ChoiceField(label=_("Form"), required=False, choices=())
    item = forms.TypedChoiceField(
        label=_("Task item"), required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args, items: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_kind"].choices = [
            ("", _("None: a reference document (upload it later)"))
        ] + kind_choices()
        self.fields["item"].choices = [("", _("No item"))] + [
            (str(ref), label) for ref, label in items
        ]

    def clean(self):
        data = super().clean()
        if data.get("keep") and not data.get("title", "").strip():
            self.add_error("title", _("Give the attachment a title, or remove it."))
        return data


@dataclass
class Segment:
    text: str
    phrase: Any = None  # the DeadlinePhrase highlighted, None for plain text


@dataclass
class DocParagraph:
    """A paragraph of the document as the left side shows it."""

    segments: list[Segment]
    role: str = "text"  # area, sub_area, item or text
    item: int | None = None


@dataclass
class ItemRow:
    ref: int
    item: Item
    form: ItemForm
    rule: str

    @property
    def flagged(self) -> bool:
        """No date in the text: the office decides the deadline."""
        return self.item.deadline is None


@dataclass
class AreaRow:
    ref: int
    area: Area
    form: AreaForm
    items: list[ItemRow] = field(default_factory=list)
    parts: list[AreaRow] = field(default_factory=list)
    is_part: bool = False


def _segments(text: str, item: Item | None) -> list[Segment]:
    """``text`` cut around the item's deadline phrases (their positions index the item's
    text, which sits inside the paragraph)."""
    if item is None or not item.phrases:
        return [Segment(text)]
    offset = text.find(item.text)
    if offset < 0:
        return [Segment(text)]
    segments, cursor = [], 0
    for phrase in sorted(item.phrases, key=lambda p: p.start):
        start, end = offset + phrase.start, offset + phrase.end
        if start < cursor:
            continue
        if start > cursor:
            segments.append(Segment(text[cursor:start]))
        segments.append(Segment(text[start:end], phrase))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


class Proposal:
    """The forms of one uploaded document, bound to the POST when there is one."""

    def __init__(self, draft: Draft, paragraphs: list[Paragraph], user, data=None):
        self.draft = draft
        self.committees = editable_organisations(user).filter(kind=OrgKind.COMMITTEE)
        self.items: list[tuple[Item, Area]] = []
        self.header = HeaderForm(
            data, prefix="notice", committees=self.committees, initial=self._header_initial()
        )
        self.areas: list[AreaRow] = []
        self.area_forms: list[AreaForm] = []
        for area in draft.areas:
            row = self._area_row(area, data, is_part=False)
            row.parts = [self._area_row(part, data, is_part=True) for part in area.areas]
            self.areas.append(row)
        choices = [
            (ref, f"{ref + 1}. {propose_title(item.text)}")
            for ref, (item, _a) in enumerate(self.items)
        ]
        refs = {id(item): ref for ref, (item, _area) in enumerate(self.items)}
        self.attachments = []
        for index, attachment in enumerate(draft.attachments):
            linked = [
                ref
                for ref, (item, _a) in enumerate(self.items)
                if attachment.number in item.attachments
            ]
            initial = {
                "keep": True,
                "title": attachment.title[:300],
                "form_kind": attachment.deliverable or "",
                "item": linked[0] if linked else None,
            }
            self.attachments.append(
                (
                    attachment,
                    AttachmentForm(
                        data, prefix=f"attachment-{index}", items=choices, initial=initial
                    ),
                )
            )
        self.paragraphs = self._document(paragraphs, refs)

    # --- building ---------------------------------------------------------------------------
    def _header_initial(self) -> dict:
        draft = self.draft
        day = draft.date or local_today()
        committees = list(self.committees)
        issuer = halfwidth(draft.issuer).strip()
        named = [c for c in committees if issuer and (c.name in issuer or issuer in c.name)]
        committee = named[0] if named else (committees[0] if len(committees) == 1 else None)
        number = draft.number
        if number is None and committee is not None:
            last = Notice.objects.filter(committee=committee, year=day.year).aggregate(
                last=Max("issue_number")
            )["last"]
            number = (last or 0) + 1
        return {
            "committee": committee,
            "year": day.year,
            "issue_number": number,
            "date": day,
            "title": draft.title[:200],
            "introduction": draft.introduction,
        }

    def _area_row(self, area: Area, data, *, is_part: bool) -> AreaRow:
        ref = len(self.area_forms)
        form = AreaForm(
            data, prefix=f"area-{ref}", initial={"keep": True, "title": area.title[:200]}
        )
        self.area_forms.append(form)
        row = AreaRow(ref, area, form, is_part=is_part)
        for item in area.items:
            item_ref = len(self.items)
            self.items.append((item, area))
            rule = propose_rule(item)
            initial = {
                "keep": True,
                "title": propose_title(item.text),
                "deadline_rule": rule,
                "deadline": item.deadline,
                "kind": item.deliverable or "report",
                "instructions": item.text,
            }
            row.items.append(
                ItemRow(
                    item_ref, item, ItemForm(data, prefix=f"item-{item_ref}", initial=initial), rule
                )
            )
        return row

    def _document(self, paragraphs: list[Paragraph], refs: dict[int, int]) -> list[DocParagraph]:
        """The document's paragraphs, each item's own paragraph with its deadline phrases
        marked (items are read in document order, so one pointer walks both)."""
        items = [item for item, _area in self.items]
        pointer, shown = 0, []
        for paragraph in paragraphs:
            text = paragraph.full_text.replace("\t", " ")
            folded = halfwidth(text)
            if AREA.match(folded) or paragraph.heading == 1:
                shown.append(DocParagraph([Segment(text)], "area"))
                continue
            if SUB_AREA.match(folded) or paragraph.heading == 2:
                shown.append(DocParagraph([Segment(text)], "sub_area"))
                continue
            item = items[pointer] if pointer < len(items) else None
            if item is not None and item.text and item.text in text:
                shown.append(DocParagraph(_segments(text, item), "item", refs[id(item)]))
                pointer += 1
            else:
                shown.append(DocParagraph([Segment(text)]))
        return shown

    # --- checking and saving ----------------------------------------------------------------
    def all_forms(self) -> list[forms.Form]:
        return [
            self.header,
            *self.area_forms,
            *(row.form for area in self.areas for r in (area, *area.parts) for row in r.items),
            *(form for _attachment, form in self.attachments),
        ]

    def is_valid(self) -> bool:
        valid = all([form.is_valid() for form in self.all_forms()])  # every form's errors shown
        return self._forms_match_their_items() and valid

    def _forms_match_their_items(self) -> bool:
        """A form attachment is what its item's branches fill in: the item must be of that
        kind (the branches download the form's blank template from the item)."""
        kinds = {
            row.ref: row.form.cleaned_data.get("kind")
            for area in self.areas
            for block in (area, *area.parts)
            for row in block.items
            if row.form.is_valid() and row.form.cleaned_data.get("keep")
        }
        labels = dict(kind_choices())
        ok = True
        for attachment, form in self.attachments:
            if not form.is_valid() or not form.cleaned_data.get("keep"):
                continue
            kind, item = form.cleaned_data.get("form_kind"), form.cleaned_data.get("item")
            if kind and item in kinds and kinds[item] != kind:
                form.add_error(
                    "item",
                    _(
                        "Attachment %(number)s is the form “%(form)s”: link it to an item of "
                        "that kind, or to none."
                    )
                    % {"number": attachment.number, "form": labels.get(kind, kind)},
                )
                ok = False
        return ok

    def plan(self) -> NoticePlan:
        header = self.header.cleaned_data
        kept: set[int] = set()

        def area_plan(row: AreaRow) -> AreaPlan | None:
            if not row.form.cleaned_data.get("keep"):
                return None
            plan = AreaPlan(row.area.number, row.form.cleaned_data["title"].strip(), row.area.body)
            for item_row in row.items:
                data = item_row.form.cleaned_data
                if not data.get("keep"):
                    continue
                kept.add(item_row.ref)
                plan.items.append(
                    ItemPlan(
                        ref=item_row.ref,
                        title=data["title"].strip(),
                        instructions=data.get("instructions", "").strip(),
                        kind=data["kind"],
                        deadline_rule=data["deadline_rule"],
                        deadline=data.get("deadline"),
                    )
                )
            return plan

        areas = []
        for row in self.areas:
            plan = area_plan(row)
            if plan is None:
                continue  # its sub-areas and items go with it
            plan.parts = [p for p in (area_plan(part) for part in row.parts) if p is not None]
            areas.append(plan)
        attachments = []
        for attachment, form in self.attachments:
            data = form.cleaned_data
            if not data.get("keep"):
                continue
            item = data.get("item")
            attachments.append(
                AttachmentPlan(
                    number=attachment.number,
                    title=data["title"].strip(),
                    form_kind=data.get("form_kind") or "",
                    item_ref=item if item in kept else None,
                )
            )
        return NoticePlan(
            committee=header["committee"],
            year=header["year"],
            issue_number=header["issue_number"],
            date=header["date"],
            title=header["title"].strip(),
            introduction=header.get("introduction", "").strip(),
            areas=areas,
            attachments=attachments,
        )
