from surveys.models.brand_plan import BrandMeasure, BrandPlan
from surveys.models.rectification import RectificationItem, RectificationList
from surveys.models.service_survey import Concern, ServiceSurvey

__all__ = [
    "BrandMeasure",
    "BrandPlan",
    "Concern",
    "RectificationItem",
    "RectificationList",
    "ServiceSurvey",
]
