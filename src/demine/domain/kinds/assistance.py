"""Victim assistance: services for survivors, protected like victims' personal data."""

from __future__ import annotations

from demine.domain.assistance import Assistance, check_assistance
from demine.domain.kinds.casualties import VICTIM
from demine.domain.kinds.model import Field, FieldType, Kind, Sensitivity
from demine.domain.vocab import AssistanceOutcome, AssistanceService
from demine.i18n import N_

T = FieldType

ASSISTANCE = Kind(
    "assistance",
    Assistance,
    "assistance",
    "external_id",
    N_("Victim assistance"),
    N_("Services for survivors: needs, provider, referral, dates and outcome (health data)."),
    help=(
        N_(
            "Victim assistance: one service for one victim per row (protected like victims' "
            "personal data: victim-data permission, every read logged)."
        )
    ),
    fields=(
        Field(
            "external_id",
            T.TEXT,
            N_("Stable identifier"),
            "VA-2024-0001",
            True,
            max_length=100,
            hxl="#activity+id",
        ),
        VICTIM,
        Field(
            "service",
            T.CODE,
            N_(
                "emergency_medical, continuing_medical, rehabilitation, psychological or "
                "socio_economic"
            ),
            "rehabilitation",
            True,
            vocabulary=AssistanceService,
            max_length=30,
            hxl="#service+type",
        ),
        Field(
            "outcome",
            T.CODE,
            N_("provided, ongoing, referred, declined or not_available"),
            "ongoing",
            True,
            vocabulary=AssistanceOutcome,
            max_length=20,
            hxl="#status+outcome",
        ),
        Field(
            "provider",
            T.REFERENCE,
            N_("Code or name of the organisation providing it"),
            "ANAMA",
            references="organisations",
            hxl="#org+code",
        ),
        Field("referred_on", T.DAY, N_("Day of the referral"), "2024-07-01", hxl="#date+referred"),
        Field("start_date", T.DAY, N_("Day the service started"), "2024-07-10", hxl="#date+start"),
        Field("end_date", T.DAY, N_("Day it ended (empty while ongoing)"), "", hxl="#date+end"),
        Field("notes", T.TEXT, N_("Notes"), "", free_text=True, hxl="#description"),
    ),
    check=check_assistance,
    sensitivity=Sensitivity.PERSONAL,
    exported_by_default=False,
)
