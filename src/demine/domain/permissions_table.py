"""The one table of who may use what: every web route and every ``demine`` command.

Each web route (method and path template, as the application serves it) and each command
is declared here once, with the vocabulary of :mod:`demine.domain.route_access`. The web
application refuses, before a route runs, whoever lacks what the route's declaration
needs (:mod:`demine.web.route_guard`), and refuses a route declared nowhere; the use
cases still check with :func:`~demine.domain.authorization.require` themselves. What
depends on the record (its organisation, whether it is a draft, whose import job) is
left to them and declared here as a narrowing. ``docs/permissions.md`` is generated from
this table (``python -m demine.cli.docs``); tests fail when a route or command is missing
here or declared without existing, and check the table against live requests of every
role.
"""

from __future__ import annotations

from collections.abc import Mapping

from demine.domain.access import Permission
from demine.domain.kinds import KINDS, Sensitivity, entered_kinds, geometry_checked_kinds
from demine.domain.kinds.exchange import geometry_layers
from demine.domain.route_access import Access, ByParameter, Choice, Narrowing, Rule

P = Permission
#: Anyone, even without an account (web), or without a database (command line).
ANYONE = Access()
#: A command of the local operator: whoever may open the database file runs it (no role).
OPERATOR = Access(operator=True)
PAGE = "open this page"

DRAFTS = Narrowing(P.EDIT, "drafts, reports under review and deleted records")
OWN_ORGANISATION = Narrowing(
    P.APPROVE,
    "records of other organisations, and their own reports once submitted or approved",
)

#: Kinds served record by record over the REST API (personal data never are, nor
#: machine-made layers: those are read as OGC collections and map layers).
REST_KINDS = tuple(
    k.name
    for k in KINDS.values()
    if k.sensitivity is not Sensitivity.PERSONAL and not k.machine_made
)
#: Field reports: drafts of data entry, approved by information managers.
FIELD_REPORT_KINDS = tuple(name for name in REST_KINDS if KINDS[name].workflow)
#: Everything else served is reference data, changed by information managers only.
REFERENCE_KINDS = tuple(name for name in REST_KINDS if not KINDS[name].workflow)
PERSONAL_KINDS = tuple(k.name for k in KINDS.values() if k.sensitivity is Sensitivity.PERSONAL)
#: Kinds whose geometries ``demine check geometry`` checks.
GEOMETRY_KINDS = tuple(kind.name for kind in geometry_checked_kinds())
#: The dashboard's map layers and the kind each draws (``store.reads.map_layers``;
#: a test keeps the two equal).
MAP_LAYERS = {
    "districts": "admin-areas",
    "hazards": "hazards",
    "finds": "finds",
    "accidents": "accidents",
    "minefields": "minefield-records",
    "risk": "risk-cells",
}


def _reading(kinds: Mapping[str, str], *, concealed: bool) -> tuple[Choice, ...]:
    """For each value, reading the records of its kind (``kinds``: value → kind)."""
    return tuple(
        (
            (value,),
            Access(KINDS[kind].read_permission, of_kind=kind, concealed=concealed),
        )
        for value, kind in kinds.items()
    )


#: Free text that may name people (domain.withheld): shown with the victim-data grant only.
FREE_TEXT = Narrowing(P.VICTIM_DATA, "narratives, evidence and notes (free text)")
READ_RECORDS = Access(
    P.VIEW_OPERATIONAL, "read the register's records", narrowed=(DRAFTS, FREE_TEXT)
)
CHANGE_RECORDS = ByParameter(
    "kind",
    (
        (FIELD_REPORT_KINDS, Access(P.EDIT, "change records", narrowed=(OWN_ORGANISATION,))),
        (REFERENCE_KINDS, Access(P.APPROVE, "change reference data")),
    ),
    otherwise=Access(P.EDIT, "change records"),
)
REVIEW = ByParameter(
    "action",
    (
        (("submit",), Access(P.EDIT, "change records", narrowed=(OWN_ORGANISATION,))),
        (("approve", "reject"), Access(P.APPROVE, "approve or reject reports")),
    ),
    otherwise=Access(P.EDIT, "change records"),
)
MAP_LAYER = ByParameter("layer", _reading(MAP_LAYERS, concealed=False), otherwise=ANYONE)
#: A collection the caller may not read answers 404, as one that does not exist.
OGC_COLLECTION = ByParameter(
    "collection_id",
    _reading(
        {
            layer.collection: k.name
            for k in KINDS.values()
            if k.collection is not None
            for layer in geometry_layers(k)
            if layer.collection is not None
        },
        concealed=True,
    ),
    otherwise=Access(concealed=True),
)
USERS = Access(P.ADMIN, "manage user accounts")
ENTRY_PAGE = Access(
    P.EDIT,
    PAGE,
    narrowed=(
        Narrowing(P.APPROVE, "other organisations, in the form and its reports"),
        Narrowing(P.APPROVE, "reference data: tasks, accreditations, projects and the like"),
    ),
)
#: Field forms over OpenRosa (ODK Collect): the list holds the forms the caller may fill.
FIELD_FORMS = Access(
    P.EDIT,
    "fill field forms",
    narrowed=(Narrowing(P.APPROVE, "forms of reference data (minefield record visits)"),),
)
MINEFIELD_SCANS = Access(KINDS["minefield-records"].read_permission, of_kind="minefield-records")

#: Every web route: (method, path) → its declaration.
WEB_ROUTES: Mapping[tuple[str, str], Rule] = {
    # Logging in and out; who is calling.
    ("POST", "/login"): ANYONE,
    ("POST", "/logout"): ANYONE,
    ("GET", "/api/me"): ANYONE,
    # The language switcher of every page.
    ("POST", "/language"): ANYONE,
    # The map and the public figures.
    ("GET", "/api/map/{layer}"): MAP_LAYER,
    ("GET", "/api/public/districts"): ANYONE,
    # Imports.
    ("POST", "/api/imports"): Access(P.APPROVE, "import files"),
    # Those who may import see every import job (domain.jobs.require_job_access).
    ("GET", "/api/imports/{job_id}"): Access(P.APPROVE, concealed=True),
    # Geometry typed or uploaded on the entry page, read back (nothing stored).
    ("POST", "/api/geometry/typed"): Access(P.EDIT, "enter records"),
    ("POST", "/api/geometry/file"): Access(P.EDIT, "enter records"),
    # User accounts.
    ("GET", "/api/users"): USERS,
    ("POST", "/api/users"): USERS,
    ("POST", "/api/users/{username}/disable"): USERS,
    ("POST", "/api/users/{username}/enable"): USERS,
    ("GET", "/api/users/{username}/tokens"): USERS,
    ("POST", "/api/users/{username}/tokens/{token_id}/revoke"): USERS,
    # Scans of minefield records: for those who may read the records.
    ("GET", "/api/minefield-records/{key}/attachments"): MINEFIELD_SCANS,
    ("GET", "/api/minefield-records/{key}/attachments/{sha256}"): MINEFIELD_SCANS,
    # The REST API over every kind of record.
    ("GET", "/api/{kind}"): READ_RECORDS,
    ("GET", "/api/{kind}/{key}"): READ_RECORDS,
    ("GET", "/api/{kind}/{key}/history"): READ_RECORDS,
    ("POST", "/api/{kind}"): CHANGE_RECORDS,
    ("PUT", "/api/{kind}/{key}"): CHANGE_RECORDS,
    ("DELETE", "/api/{kind}/{key}"): CHANGE_RECORDS,
    ("POST", "/api/{kind}/{key}/{action}"): REVIEW,
    # Read news items wait for review as field reports do.
    ("POST", "/api/news-items/{item_id}/{action}"): Access(P.APPROVE, "review read news items"),
    # OpenRosa (ODK Collect, Enketo, ODK Web Forms): forms and submissions.
    ("GET", "/openrosa/formList"): FIELD_FORMS,
    ("GET", "/openrosa/forms/{form_id}/form.xml"): FIELD_FORMS,
    ("GET", "/openrosa/forms/{form_id}/manifest"): FIELD_FORMS,
    ("GET", "/openrosa/forms/{form_id}/media/{file_name}"): FIELD_FORMS,
    ("HEAD", "/openrosa/submission"): Access(P.EDIT, "fill field forms"),
    ("POST", "/openrosa/submission"): Access(
        P.EDIT, "submit field reports", narrowed=(OWN_ORGANISATION,)
    ),
    # OGC API – Features.
    ("GET", "/ogc/"): ANYONE,
    ("GET", "/ogc/conformance"): ANYONE,
    ("GET", "/ogc/api"): ANYONE,
    ("GET", "/ogc/collections"): Access(
        narrowed=(Narrowing(P.VIEW_OPERATIONAL, "the collections of operational records"),)
    ),
    ("GET", "/ogc/collections/{collection_id}"): OGC_COLLECTION,
    ("GET", "/ogc/collections/{collection_id}/schema"): OGC_COLLECTION,
    ("GET", "/ogc/collections/{collection_id}/queryables"): OGC_COLLECTION,
    ("GET", "/ogc/collections/{collection_id}/items"): OGC_COLLECTION,
    ("GET", "/ogc/collections/{collection_id}/items/{item_id}"): OGC_COLLECTION,
    # OGC API – Tiles: a collection's tiles are read as its features are.
    ("GET", "/ogc/tileMatrixSets"): ANYONE,
    ("GET", "/ogc/tileMatrixSets/{tile_matrix_set_id}"): ANYONE,
    ("GET", "/ogc/collections/{collection_id}/tiles"): OGC_COLLECTION,
    ("GET", "/ogc/collections/{collection_id}/tiles/{tile_matrix_set_id}"): OGC_COLLECTION,
    (
        "GET",
        "/ogc/collections/{collection_id}/tiles/{tile_matrix_set_id}"
        "/{tile_matrix}/{tile_row}/{tile_col}",
    ): OGC_COLLECTION,
    # Pages.
    ("GET", "/"): Access(
        narrowed=(
            Narrowing(
                P.VIEW_OPERATIONAL,
                "the map layers of hazards, finds, accidents, minefields and predicted risk",
            ),
        )
    ),
    ("GET", "/dashboard/charts"): ANYONE,
    ("GET", "/login"): ANYONE,
    ("GET", "/bulletin"): Access(P.VIEW_OPERATIONAL, PAGE),
    ("GET", "/bulletin.html"): Access(P.VIEW_OPERATIONAL, PAGE),
    ("GET", "/bulletin.pdf"): Access(P.VIEW_OPERATIONAL, PAGE),
    ("GET", "/entry"): ENTRY_PAGE,
    ("GET", "/forms"): FIELD_FORMS,
    ("GET", "/forms/offline.js"): ANYONE,
    ("GET", "/forms/{form_id}"): FIELD_FORMS,
    ("GET", "/review"): Access(P.APPROVE, PAGE),
    ("GET", "/review/news-items/{item_id}"): Access(P.APPROVE, PAGE),
    ("GET", "/import"): Access(P.APPROVE, PAGE),
    ("GET", "/users"): Access(P.ADMIN, PAGE),
    ("GET", "/audit"): Access(P.ADMIN, PAGE),
    ("GET", "/records/{kind}/{key}/history"): Access(P.VIEW_OPERATIONAL, PAGE, narrowed=(DRAFTS,)),
    # The framework's own: the API's description, and static files.
    ("GET", "/openapi.json"): ANYONE,
    ("GET", "/docs"): ANYONE,
    ("GET", "/static/{path}"): ANYONE,
}

#: Every command (``demine …``): its declaration. The command line has no login: a role
#: is what the operator states with ``--as-role`` (default viewer), and only commands
#: declared with a permission ask for one.
COMMANDS: Mapping[str, Rule] = {
    "demine analyse projects": OPERATOR,
    "demine analyse records": OPERATOR,
    "demine audit": Access(P.ADMIN, "read the audit log", operator=True),
    # Geometries of minefield records are security-sensitive: each kind needs what
    # reading its records needs; without --kind, the kinds the role may read.
    "demine check geometry": ByParameter(
        "kind",
        _reading({kind: kind for kind in GEOMETRY_KINDS}, concealed=False),
        otherwise=Access(P.VIEW_OPERATIONAL, "check geometries", operator=True),
    ),
    # Whoever runs these holds the database itself (its file or its server account):
    # the archive holds everything, personal data included, and is written mode 0600.
    "demine db backup": OPERATOR,
    "demine db check": OPERATOR,
    "demine db rebuild-aggregates": OPERATOR,
    "demine db restore": OPERATOR,
    "demine db status": OPERATOR,
    "demine db upgrade": OPERATOR,
    "demine demo": OPERATOR,
    "demine export": Access(
        operator=True,
        narrowed=(
            Narrowing(
                P.VICTIM_DATA,
                f"victims' personal data (--kind {', '.join(PERSONAL_KINDS)})",
            ),
            Narrowing(P.APPROVE, "drafts and deleted records (--include-drafts)"),
        ),
    ),
    "demine forecast": OPERATOR,
    # The forms carry the register's lists (districts, organisations, open hazards'
    # keys): whoever holds the database builds them; phones get them by role over OpenRosa.
    "demine forms build": OPERATOR,
    # Like ``demine import submissions``: the drafts are the operator's, made as an
    # information manager; the credentials of the other server are the operator's too.
    "demine forms pull": OPERATOR,
    "demine import": ByParameter(
        "kind",
        (
            (
                PERSONAL_KINDS,
                Access(P.VICTIM_DATA, "import victims' personal data", operator=True),
            ),
            (
                (
                    *(name for name in entered_kinds() if name not in PERSONAL_KINDS),
                    "colombia",
                    "bulletin",
                ),
                OPERATOR,
            ),
        ),
        otherwise=OPERATOR,
    ),
    "demine parse-bulletin": ANYONE,
    "demine records attach": OPERATOR,
    "demine records attachments": OPERATOR,
    "demine report annual": OPERATOR,
    "demine report article7": OPERATOR,
    "demine report casualties": OPERATOR,
    "demine report landrelease": OPERATOR,
    "demine report monthly": OPERATOR,
    "demine report release-certificate": OPERATOR,
    "demine report quality": OPERATOR,
    "demine report reader-accuracy": OPERATOR,
    "demine report series": OPERATOR,
    "demine report task-dossier": OPERATOR,
    "demine report weekly": OPERATOR,
    # Risk models learn from hazards and minefield records: whoever holds the database.
    "demine risk evaluate": OPERATOR,
    "demine risk grid": OPERATOR,
    "demine risk predict": OPERATOR,
    "demine risk train": OPERATOR,
    "demine serve": OPERATOR,
    "demine summary": OPERATOR,
    "demine template": ANYONE,
    "demine user add": OPERATOR,
    "demine user disable": OPERATOR,
    "demine user enable": OPERATOR,
    "demine user password": OPERATOR,
    "demine user revoke-token": OPERATOR,
    "demine user tokens": OPERATOR,
    "demine user list": OPERATOR,
    "demine user token": OPERATOR,
    "demine user language": OPERATOR,
    # Counts of distinct survivors only (no record): like the casualty statistics.
    "demine victims assistance": OPERATOR,
    "demine victims identifiers": Access(
        P.VICTIM_DATA, "read victims' personal data", operator=True
    ),
}
