"""One base for every domain refusal: views catch ``Refused`` and read ``message``/``messages``."""

from __future__ import annotations

import pytest

from branches.services import Refused as BranchRefused
from portal.errors import Refused
from ratings.services import RatingRefused
from tasks.errors import AccessRefused, SubmitIncomplete, WorkflowError


@pytest.mark.parametrize("cls", [WorkflowError, AccessRefused, RatingRefused, BranchRefused])
def test_every_refusal_is_a_portal_refusal_with_one_attribute_convention(cls):
    refusal = cls("Not now.")
    assert isinstance(refusal, Refused)
    assert (refusal.message, refusal.messages, str(refusal)) == (
        "Not now.",
        ["Not now."],
        "Not now.",
    )


def test_details_follow_the_headline():
    refusal = SubmitIncomplete("Cannot submit yet.", "Add a row.", "Answer item 3.")
    assert refusal.message == "Cannot submit yet."
    assert refusal.messages == ["Cannot submit yet.", "Add a row.", "Answer item 3."]
