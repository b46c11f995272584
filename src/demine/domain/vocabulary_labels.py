"""What each code of the registry's vocabularies reads as, wherever people choose one.

The one table of labels for the vocabularies' codes: the data-entry page and the field
forms (ODK, web forms) both read it. A form sends the code (what an import file holds);
the reader sees its label in their language. A test keeps this table and the
vocabularies equal, so that a new code is not shown untranslated.
"""

from __future__ import annotations

from demine.i18n import N_, _

#: Vocabulary (its class name) → code → label (marked for the catalogue).
CHOICE_WORDS: dict[str, dict[str, str]] = {
    "AdminLevel": {
        "country": N_("Country"),
        "district": N_("District"),
        "settlement": N_("Settlement"),
    },
    "OrganisationKind": {
        "national_agency": N_("National mine action agency"),
        "ministry": N_("Ministry"),
        "emergency_service": N_("Emergency service"),
        "border_service": N_("Border service"),
        "armed_forces": N_("Armed forces"),
        "commercial": N_("Commercial company"),
        "ngo": N_("Non-governmental organisation"),
        "international": N_("International organisation"),
        "other": N_("Other"),
    },
    "HazardClassification": {
        "SHA": N_("Suspected hazardous area"),
        "CHA": N_("Confirmed hazardous area"),
        "EOD_SPOT_TASK": N_("EOD spot task"),
    },
    "HazardStatus": {"open": N_("open"), "worked_on": N_("worked on"), "closed": N_("closed")},
    "ActivityKind": {
        "non_technical_survey": N_("Non-technical survey"),
        "technical_survey": N_("Technical survey"),
        "clearance": N_("Clearance"),
        "battle_area_clearance": N_("Battle area clearance"),
        "eod_spot_task": N_("EOD spot task"),
    },
    "EOCategory": {
        "AP_MINE": N_("AP mine"),
        "AT_MINE": N_("AT mine"),
        "UXO": N_("UXO"),
        "AXO": N_("Abandoned explosive ordnance"),
        "IED": N_("Improvised explosive device"),
        "SUBMUNITION": N_("Submunition"),
        "OTHER": N_("Other"),
    },
    "Sex": {"female": N_("Female"), "male": N_("Male"), "unknown": N_("Unknown")},
    "VictimCategory": {
        "civilian": N_("Civilian"),
        "military": N_("Military"),
        "deminer": N_("Deminer"),
        "unknown": N_("Unknown"),
    },
    "Outcome": {"killed": N_("Killed"), "injured": N_("Injured"), "unknown": N_("Unknown")},
    "AssistanceService": {
        "emergency_medical": N_("Emergency medical care"),
        "continuing_medical": N_("Continuing medical care"),
        "rehabilitation": N_("Rehabilitation"),
        "psychological": N_("Psychological support"),
        "socio_economic": N_("Socio-economic inclusion"),
    },
    "AssistanceOutcome": {
        "provided": N_("Provided"),
        "ongoing": N_("Ongoing"),
        "referred": N_("Referred"),
        "declined": N_("Declined"),
        "not_available": N_("Not available"),
    },
    "RecordType": {"map": N_("Map"), "form": N_("Form")},
    "RecordStatus": {
        "received": N_("received"),
        "under_verification": N_("under verification"),
        "verified": N_("verified"),
        "archived": N_("archived"),
    },
    "RecordPointType": {
        "reference": N_("Reference point"),
        "turning": N_("Turning point"),
        "landmark": N_("Landmark"),
    },
    "ProjectKind": {
        "road": N_("Road"),
        "railway": N_("Railway"),
        "power_line": N_("Power line"),
        "pipeline": N_("Pipeline"),
        "solar_farm": N_("Solar farm"),
        "wind_farm": N_("Wind farm"),
        "settlement": N_("Settlement"),
        "farmland": N_("Farmland"),
        "other": N_("Other"),
    },
    "TaskStatus": {
        "planned": N_("Planned"),
        "issued": N_("Issued"),
        "in_progress": N_("In progress"),
        "completed": N_("Completed"),
        "suspended": N_("Suspended"),
        "cancelled": N_("Cancelled"),
    },
    "InspectionType": {"qa": N_("Quality assurance"), "qc": N_("Quality control")},
    "InspectionResult": {"pass": N_("Pass"), "fail": N_("Fail")},
    "NonConformityGrade": {"critical": N_("Critical"), "major": N_("Major"), "minor": N_("Minor")},
    "EoreMethod": {
        "face_to_face": N_("Face to face"),
        "community_focal_point": N_("Community focal point"),
        "media": N_("Media"),
        "digital": N_("Digital"),
    },
    "EoreTargetGroup": {
        "returnees": N_("Returnees"),
        "farmers": N_("Farmers"),
        "schoolchildren": N_("Schoolchildren"),
        "herders": N_("Herders"),
        "construction_workers": N_("Construction workers"),
        "teachers": N_("Teachers"),
        "general_public": N_("General public"),
    },
    "RiskScorer": {
        "full": N_("Full model"),
        "register-only": N_("Register-only model"),
    },
}


def label_msgid(vocabulary: str, code: str) -> str | None:
    """The English label of ``code`` of ``vocabulary`` (its msgid), or None."""
    return CHOICE_WORDS.get(vocabulary, {}).get(code)


def choice_labels(vocabulary: str, codes: tuple[str, ...]) -> tuple[str, ...]:
    """The labels of ``codes`` of ``vocabulary`` in the current language (a code the
    table lacks reads as itself)."""
    words = CHOICE_WORDS.get(vocabulary, {})
    return tuple(_(words[code]) if code in words else code for code in codes)
