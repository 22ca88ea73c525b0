"""Forms of the office pages and the review actions (kind forms live in tasks/kinds/)."""

from __future__ import annotations

from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from branches.access import editable_organisations
from branches.models import MeetingType, Organisation, OrgKind
from portal.uploads import CheckedFileField
from portal.validation import SaneDateFormField
from portal.widgets import DATE_INPUT, FastSelect, PlainChoices
from tasks.kinds import kind_choices
from tasks.models import COMMENT_MAX_LENGTH, DeadlineRule, Notice, TaskArea, TaskItem
from tasks.outline import next_area_number, next_item_label


class NoticeForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["committee", "year", "issue_number", "date", "title", "introduction"]
        widgets = {"date": DATE_INPUT, "introduction": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = editable_organisations(user).filter(
            kind=OrgKind.COMMITTEE
        )
        if self.instance.pk and self.instance.is_published:
            self.fields["committee"].disabled = True


class AreaForm(forms.ModelForm):
    class Meta:
        model = TaskArea
        fields = ["parent", "number", "heading", "title", "description", "body"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, notice: Notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        self.fields["parent"].queryset = notice.areas.top_level().exclude(pk=self.instance.pk)
        # Left blank: the next free number among the area's siblings (see clean).
        self.fields["number"].required = False

    def clean(self):
        data = super().clean()
        parent = data.get("parent")
        number = data.get("number")
        if number is None:
            if "number" in self.errors:
                return data
            number = data["number"] = next_area_number(self.notice, parent)
        clash = TaskArea.objects.filter(notice=self.notice, number=number, parent=parent)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            self.add_error("number", _("This notice already has an area with this number."))
        return data


class TaskItemForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("Deliverable kind"), choices=())
    required_meeting_type = forms.ChoiceField(
        label=_("Required meeting type"),
        required=False,
        choices=[("", _("Any (not a meeting task)"))] + list(MeetingType.choices),
    )
    template_file = CheckedFileField(label=_("Attach a blank form or document"), required=False)

    class Meta:
        model = TaskItem
        fields = [
            "area",
            "subarea",
            "label",
            "title",
            "deadline_rule",
            "deadline",
            "scope",
            "chosen_branches",
            "kind",
            "required_meeting_type",
            "required_theme",
            "instructions",
            "report_required",
        ]
        widgets = {
            "deadline": DATE_INPUT,
            "instructions": forms.Textarea(attrs={"rows": 5}),
            "chosen_branches": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, notice: Notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        self.fields["kind"].choices = kind_choices()
        self.fields["area"].queryset = notice.areas.top_level()
        self.fields["subarea"].queryset = notice.areas.filter(parent__isnull=False)
        # Left out (older clients, imports): a fixed date, as before rules existed.
        self.fields["deadline_rule"].required = False
        self.fields["chosen_branches"].queryset = (
            Organisation.objects.within(notice.committee).branches().active()
        )
        if notice.is_published and self.instance.pk:
            # Who owes what is fixed at publishing; only the deadline and texts may move.
            for name in ("area", "scope", "chosen_branches", "kind"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        if data.get("scope") == "chosen" and not data.get("chosen_branches"):
            self.add_error("chosen_branches", _("Choose at least one branch."))
        if not data.get("deadline_rule"):
            data["deadline_rule"] = DeadlineRule.FIXED
        subarea, area = data.get("subarea"), data.get("area")
        if subarea is not None and area is not None and subarea.parent_id != area.pk:
            self.add_error("subarea", _("Choose a sub-area of the item's area."))
        if data.get("deadline_rule") == DeadlineRule.FIXED and not data.get("deadline"):
            self.add_error("deadline", _("A fixed deadline needs a date."))
        if data.get("deadline_rule") == DeadlineRule.NONE:
            data["deadline"] = None
        if not data.get("label") and not self.instance.pk:
            # Left blank on a new item: the next number, not the area's number for every item.
            data["label"] = next_item_label(self.notice)
        return data


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the branch"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning the submission."),
        error_messages={
            "max_length": _(
                "The comment may be at most %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )


class ExtensionForm(forms.Form):
    until = SaneDateFormField(
        label=_("New deadline for this branch"),
        widget=DATE_INPUT,
        error_messages={
            "required": _("Enter a valid date for the extension."),
            "invalid": _("Enter a valid date for the extension."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        error_messages={
            "max_length": _(
                "The reason may be at most %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )


#: The window of the "deadlines in the next days" filter and home card.
DUE_SOON_DAYS = 7


class ReviewFilterForm(forms.Form):
    """Filters of the review list (plain form: every value is re-checked against the scope).

    Every list is a ``FastSelect``: a committee may have a thousand branches, and the other
    lists are drawn the same cheap way since the form heads each page of the list. The
    branches and the general branches are plain choices over one list read once: drawing them
    and checking a chosen one share that query, so choosing either adds no query to the list.
    """

    notice = forms.ModelChoiceField(
        label=_("Notice"), queryset=Notice.objects.none(), required=False, widget=FastSelect
    )
    area = forms.IntegerField(label=_("Area number"), required=False, min_value=1)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=(), widget=FastSelect)
    branch = forms.TypedChoiceField(
        label=_("Branch"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=(),
        widget=FastSelect,
        # The words of the model choice this field was: a tampered value reads the same.
        error_messages={
            "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]
        },
    )
    general_branch = forms.TypedChoiceField(
        label=_("General branch"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=(),
        widget=FastSelect,
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=(), widget=FastSelect)
    due = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("Any")), (str(DUE_SOON_DAYS), _("Still owed, due within 7 days"))],
        widget=FastSelect,
    )
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("", _("Earliest deadline first")), ("waiting", _("Longest waiting first"))],
        widget=FastSelect,
    )

    def __init__(self, *args, notices, organisations, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notice"].queryset = notices
        units = organisations.filter(kind__in=(OrgKind.BRANCH, OrgKind.GENERAL_BRANCH))
        branches, general = [], []
        self.general_paths: dict[int, str] = {}
        for pk, kind, name, short_name, path in units.order_by("path").values_list(
            "pk", "kind", "name", "short_name", "path"
        ):
            if kind == OrgKind.BRANCH:
                branches.append((pk, short_name or name))  # as Organisation.__str__ reads
            else:
                general.append((pk, name))
                self.general_paths[pk] = path
        self.fields["branch"].choices = PlainChoices([("", BLANK_CHOICE_DASH[0][1]), *branches])
        self.fields["general_branch"].choices = PlainChoices([("", _("All")), *general])
        self.fields["kind"].choices = [("", _("All"))] + kind_choices()
        self.fields["status"].choices = [("", _("All"))] + list(statuses)
        # The list draws these fields with plain markup, not crispy's field template (three
        # includes and some forty conditions per field on every page of the list), so the
        # widgets carry Bootstrap's classes themselves.
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
