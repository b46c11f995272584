"""The formats each report and export is written in (light: the command line declares
its options with them before any report code is loaded)."""

from __future__ import annotations

from enum import StrEnum


class ReportFormat(StrEnum):
    """A bulletin (weekly, monthly, annual); XLSX holds its tables."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    PDF = "pdf"
    JSON = "json"
    XLSX = "xlsx"


class SeriesFormat(StrEnum):
    """The national weekly series."""

    JSON = "json"
    CSV = "csv"
    HTML = "html"
    PDF = "pdf"
    XLSX = "xlsx"


class AnalysisFormat(StrEnum):
    """Casualty statistics, land release, records verification, projects, forecasts,
    quality; XLSX holds their tables."""

    TEXT = "text"
    HTML = "html"
    PDF = "pdf"
    JSON = "json"
    XLSX = "xlsx"


class DocumentFormat(StrEnum):
    """A task's dossier and a land release certificate: documents to print."""

    HTML = "html"
    PDF = "pdf"


class AnnualFormat(StrEnum):
    """The annual profile (Article 7 tables): also a workbook."""

    TEXT = "text"
    HTML = "html"
    PDF = "pdf"
    JSON = "json"
    XLSX = "xlsx"


class PublicFormat(StrEnum):
    """Public aggregates."""

    CSV = "csv"
    JSON = "json"


class ExportFormat(StrEnum):
    """The register's records."""

    GPKG = "gpkg"
    GEOJSON = "geojson"
    CSV = "csv"
    XLSX = "xlsx"


class GeoPackageVersion(StrEnum):
    """GeoPackage versions an export writes (GDAL's VERSION creation option)."""

    V1_2 = "1.2"
    V1_3 = "1.3"
    V1_4 = "1.4"


#: Read without a warning by GDAL 3.4+ and QGIS 3.22+, still common in field offices.
DEFAULT_GPKG_VERSION = GeoPackageVersion.V1_2


#: The casualty report and the records verification are written like the analyses.
CasualtyFormat = AnalysisFormat
RecordsFormat = AnalysisFormat


class GeometryFormat(StrEnum):
    """The geometry check."""

    TEXT = "text"
    JSON = "json"
    HTML = "html"
    XLSX = "xlsx"


class TableFormat(StrEnum):
    """Figures printed on the terminal: the period summary, victim assistance."""

    TEXT = "text"
    JSON = "json"
    XLSX = "xlsx"


class MeasureFormat(StrEnum):
    """A measured quality, as a table on the terminal or JSON: the risk model's validation,
    the news-item reader's accuracy."""

    TEXT = "text"
    JSON = "json"
