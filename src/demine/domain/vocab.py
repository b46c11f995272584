"""Controlled vocabularies from the International Mine Action Standards (IMAS).

Each vocabulary is a string enum whose value is the code stored in the database and
written in files; :func:`parse_code` accepts the usual spellings people type.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TypeVar


class AdminLevel(StrEnum):
    COUNTRY = "country"
    DISTRICT = "district"
    SETTLEMENT = "settlement"


class OrganisationKind(StrEnum):
    NATIONAL_AGENCY = "national_agency"
    MINISTRY = "ministry"
    EMERGENCY_SERVICE = "emergency_service"
    BORDER_SERVICE = "border_service"
    ARMED_FORCES = "armed_forces"
    COMMERCIAL = "commercial"
    NGO = "ngo"
    INTERNATIONAL = "international"
    OTHER = "other"


class HazardClassification(StrEnum):
    """SHA: suspected hazardous area; CHA: confirmed; EOD spot task: a single item."""

    SHA = "SHA"
    CHA = "CHA"
    EOD_SPOT_TASK = "EOD_SPOT_TASK"


class HazardStatus(StrEnum):
    OPEN = "open"
    WORKED_ON = "worked_on"
    CLOSED = "closed"


class ActivityKind(StrEnum):
    NON_TECHNICAL_SURVEY = "non_technical_survey"
    TECHNICAL_SURVEY = "technical_survey"
    CLEARANCE = "clearance"
    BATTLE_AREA_CLEARANCE = "battle_area_clearance"
    EOD_SPOT_TASK = "eod_spot_task"


class EOCategory(StrEnum):
    """Explosive ordnance categories counted in bulletins."""

    AP_MINE = "AP_MINE"
    AT_MINE = "AT_MINE"
    UXO = "UXO"
    AXO = "AXO"
    IED = "IED"
    SUBMUNITION = "SUBMUNITION"
    OTHER = "OTHER"


class DatePrecision(StrEnum):
    """How precisely a source dates an event: a day, a month or only a year."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class VictimCategory(StrEnum):
    """Who the victim was when the accident happened."""

    CIVILIAN = "civilian"
    MILITARY = "military"
    DEMINER = "deminer"
    UNKNOWN = "unknown"


class Outcome(StrEnum):
    KILLED = "killed"
    INJURED = "injured"
    UNKNOWN = "unknown"


class RecordType(StrEnum):
    """How a handed-over minefield record was drawn up."""

    MAP = "map"
    FORM = "form"


class RecordStatus(StrEnum):
    """Where a minefield record stands in the programme's verification of it."""

    RECEIVED = "received"
    UNDER_VERIFICATION = "under_verification"
    VERIFIED = "verified"
    ARCHIVED = "archived"


class RecordPointType(StrEnum):
    """What a point of a minefield record marks."""

    REFERENCE = "reference"
    TURNING = "turning"
    LANDMARK = "landmark"


class ProjectKind(StrEnum):
    """What a planned development project builds on land that may be contaminated."""

    ROAD = "road"
    RAILWAY = "railway"
    POWER_LINE = "power_line"
    PIPELINE = "pipeline"
    SOLAR_FARM = "solar_farm"
    WIND_FARM = "wind_farm"
    SETTLEMENT = "settlement"
    FARMLAND = "farmland"
    OTHER = "other"


#: The method a task orders is the kind of land-release activity that carries it out
#: (non-technical and technical survey, clearance, battle-area clearance, EOD spot task).
TaskMethod = ActivityKind


class TaskAsset(StrEnum):
    """What a task's teams work with."""

    MANUAL = "manual"
    MECHANICAL = "mechanical"
    MINE_DETECTION_DOGS = "mine_detection_dogs"


class TaskStatus(StrEnum):
    """Where a task order stands: planned, issued to its operator, worked on, and
    finished (completed), paused (suspended) or called off (cancelled)."""

    PLANNED = "planned"
    ISSUED = "issued"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


class EoreMethod(StrEnum):
    """How explosive ordnance risk education reached people (IMAS 12.10)."""

    FACE_TO_FACE = "face_to_face"
    COMMUNITY_FOCAL_POINT = "community_focal_point"
    MEDIA = "media"
    DIGITAL = "digital"


class EoreTargetGroup(StrEnum):
    """Whom a risk education session was for."""

    RETURNEES = "returnees"
    FARMERS = "farmers"
    SCHOOLCHILDREN = "schoolchildren"
    HERDERS = "herders"
    CONSTRUCTION_WORKERS = "construction_workers"
    TEACHERS = "teachers"
    GENERAL_PUBLIC = "general_public"


class AssistanceService(StrEnum):
    """The pillars of victim assistance a survivor is referred to or receives."""

    EMERGENCY_MEDICAL = "emergency_medical"
    CONTINUING_MEDICAL = "continuing_medical"
    REHABILITATION = "rehabilitation"
    PSYCHOLOGICAL = "psychological"
    SOCIO_ECONOMIC = "socio_economic"


class AssistanceOutcome(StrEnum):
    """Where a referral for assistance stands."""

    PROVIDED = "provided"
    ONGOING = "ongoing"
    REFERRED = "referred"
    DECLINED = "declined"
    NOT_AVAILABLE = "not_available"


_E = TypeVar("_E", bound=StrEnum)

_SYNONYMS: dict[str, str] = {
    # EO categories
    "ap": "AP_MINE",
    "apm": "AP_MINE",
    "antipersonnel": "AP_MINE",
    "antipersonnelmine": "AP_MINE",
    "at": "AT_MINE",
    "atm": "AT_MINE",
    "antitank": "AT_MINE",
    "antitankmine": "AT_MINE",
    "unexplodedordnance": "UXO",
    "abandonedexplosiveordnance": "AXO",
    "abandonedordnance": "AXO",
    "improvisedexplosivedevice": "IED",
    "clustermunition": "SUBMUNITION",
    "submunitions": "SUBMUNITION",
    # hazards
    "suspectedhazardousarea": "SHA",
    "confirmedhazardousarea": "CHA",
    "eod": "EOD_SPOT_TASK",
    "eodspot": "EOD_SPOT_TASK",
    "spottask": "EOD_SPOT_TASK",
    # activities
    "nts": "non_technical_survey",
    "ts": "technical_survey",
    "bac": "battle_area_clearance",
    # statuses
    "f": "female",
    "woman": "female",
    "girl": "female",
    "m": "male",
    "man": "male",
    "boy": "male",
    "civ": "civilian",
    "soldier": "military",
    "died": "killed",
    "dead": "killed",
    "death": "killed",
    "fatal": "killed",
    "wounded": "injured",
    "workedon": "worked_on",
    "inprogress": "worked_on",
    "active": "worked_on",
    # minefield records
    "sketch": "map",
    "minefieldmap": "map",
    "minefieldform": "form",
    "verifying": "under_verification",
    "referencepoint": "reference",
    "rp": "reference",
    "turningpoint": "turning",
    "tp": "turning",
    "lm": "landmark",
    # development projects
    "highway": "road",
    "powerline": "power_line",
    "transmissionline": "power_line",
    "gaspipeline": "pipeline",
    "solar": "solar_farm",
    "solarplant": "solar_farm",
    "solarpowerplant": "solar_farm",
    "wind": "wind_farm",
    "windpark": "wind_farm",
    "windpowerplant": "wind_farm",
    "village": "settlement",
    "resettlement": "settlement",
    "agriculture": "farmland",
    "agricultural": "farmland",
    # tasks
    "mdd": "mine_detection_dogs",
    "dogs": "mine_detection_dogs",
    "mech": "mechanical",
    # risk education
    "facetoface": "face_to_face",
    "interpersonal": "face_to_face",
    "focalpoint": "community_focal_point",
    "cfp": "community_focal_point",
    "massmedia": "media",
    "radio": "media",
    "tv": "media",
    "television": "media",
    "socialmedia": "digital",
    "online": "digital",
    "idps": "returnees",
    "childrenatschool": "schoolchildren",
    "pupils": "schoolchildren",
    "shepherds": "herders",
    "public": "general_public",
}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def parse_code(vocabulary: type[_E], text: str) -> _E:
    """The member of ``vocabulary`` that ``text`` names, by code, name or synonym.

    Raises ``ValueError`` naming the accepted codes when nothing matches.
    """
    key = _key(text)
    for member in vocabulary:
        if key in (_key(member.value), _key(member.name)):
            return member
    synonym = _SYNONYMS.get(key)
    if synonym is not None:
        for member in vocabulary:
            if member.value == synonym:
                return member
    accepted = ", ".join(m.value for m in vocabulary)
    raise ValueError(f"unknown value '{text}' (accepted: {accepted})")
