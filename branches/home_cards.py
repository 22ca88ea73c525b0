"""Cards of the home pages ("what needs me now"), which other apps add without branches
importing them.

An app registers ``provider(request, target) -> list[Card]`` for a role: ``OFFICE`` and
``COMMITTEE`` get ``target=None``; ``BRANCH`` gets the branch whose page its secretary lands on.
Each card's number comes from a queryset of the provider's app and its link opens the list
that number counts, filtered the same way.

``SELF_CHECKS`` is the committee member's card of compliance self-checks to acknowledge: no
app provides it yet, so the home page shows nothing in its place until one registers for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

OFFICE = "office"
COMMITTEE = "committee"
BRANCH = "branch"
#: The hook for the liaison member's self-checks to acknowledge (a card of role COMMITTEE).
SELF_CHECKS = "committee.self_checks"


@dataclass
class Card:
    key: str
    title: str
    count: int
    url: str
    #: A few rows shown under the number: (label, url or "", note).
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    #: A count above zero that asks for action reads as a warning.
    urgent: bool = True


Provider = Callable[[Any, Any], list[Card]]

_providers: dict[str, list[tuple[int, Provider]]] = {
    OFFICE: [],
    COMMITTEE: [],
    BRANCH: [],
    SELF_CHECKS: [],
}


def register_home_cards(role: str, provider: Provider, *, order: int = 50) -> Provider:
    """``order`` places the provider's cards: the apps are ready in an order of their own, the
    page wants the most pressing work (the review queue) first."""
    providers = _providers[role]
    if all(registered is not provider for _order, registered in providers):
        providers.append((order, provider))
        providers.sort(key=lambda entry: entry[0])
    return provider


def home_cards(role: str, request, target=None) -> list[Card]:
    cards: list[Card] = []
    for _order, provider in _providers[role]:
        cards.extend(provider(request, target))
    return cards
