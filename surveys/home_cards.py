"""The office's card of service-survey concerns still awaiting the institute's answer."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.home_cards import Card
from surveys.access import office_concerns


def office_cards(request, _target) -> list[Card]:
    unanswered = office_concerns(request.user).filter(office_recorded_at__isnull=True)
    return [
        Card(
            key="concerns",
            title=_("Concerns awaiting the institute's answer"),
            count=unanswered.count(),
            url=reverse("surveys:concern_list") + "?answered=no",
        )
    ]
