"""Models of the star rating, one module per subject."""

from ratings.models.goals import StarGoal
from ratings.models.indicators import MAX_STAR, MIN_STAR, Dimension, Indicator, IndicatorSet
from ratings.models.rounds import (
    CommitteeRating,
    RatingQuerySet,
    RatingRound,
    RoundStatus,
    StarDecision,
)
from ratings.models.self_assessment import StarAnswer, StarSelfAssessment

__all__ = [
    "MAX_STAR",
    "MIN_STAR",
    "CommitteeRating",
    "Dimension",
    "Indicator",
    "IndicatorSet",
    "RatingQuerySet",
    "RatingRound",
    "RoundStatus",
    "StarAnswer",
    "StarDecision",
    "StarGoal",
    "StarSelfAssessment",
]
