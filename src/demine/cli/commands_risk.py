"""``demine risk``: the predictive risk layer (cells, training, prediction, validation).

Register features use only events before ``--events-before`` and never the events
inside the cell itself; every command that measures cells says both in its output.
See ``docs/risk-model.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from demine.cli.context import CliState, console, errors, opened_store, progress_bar
from demine.cli.options import day_option
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.reports.formats import MeasureFormat

if TYPE_CHECKING:
    from demine.analysis.risk.cells import CellsFile
    from demine.analysis.risk.events import RegisterEvent
    from demine.analysis.risk.prediction import Prediction
    from demine.analysis.risk.training import TrainingSet

app = typer.Typer(
    help="Predictive risk layer: where mines are likely, learnt from the register's history.",
    no_args_is_help=True,
)

CellsOption = Annotated[
    Path,
    typer.Option(
        "--cells",
        help="Cells file: CSV (longitude/latitude columns or WKT geometry) or GeoPackage.",
        exists=True,
        dir_okay=False,
    ),
]
LabelOption = Annotated[
    str, typer.Option("--label", help="Column of 0/1 labels, e.g. mines_outcome.")
]
EventsBeforeOption = Annotated[
    str,
    typer.Option(
        "--events-before",
        help="Cut-off day: only events surely before it count (a year-only event of year Y "
        "counts only if Y ends before it).",
    ),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option("--exclude", help="A column not to learn from (repeatable)."),
]
LeakingOption = Annotated[
    bool,
    typer.Option(
        "--include-leaking",
        help="Also learn from columns excluded as leaking the labels (for comparison only).",
    ),
]
NoCovariatesOption = Annotated[
    bool,
    typer.Option(
        "--no-covariates", help="Learn from the register features only, no column of the file."
    ),
]
SeedOption = Annotated[int, typer.Option("--seed", help="Random seed (same seed, same model).")]
ProgressOption = Annotated[
    bool,
    typer.Option("--progress", help="Show progress on standard error even when not a terminal."),
]


def register(part: typer.Typer) -> None:
    """Add ``risk`` to ``demine``."""
    part.add_typer(app, name="risk")


def _read_events(state: CliState) -> list[RegisterEvent]:
    from demine.analysis.risk.read import read_events
    from demine.store.reader import RegisterReader

    with opened_store(state) as store, store.read() as connection:
        return read_events(RegisterReader(connection, state.country_code()))


def _state_rules(cutoff: date, half_size_m: float, events_used: dict[str, int]) -> None:
    """Print the two leakage rules and what they left (to standard error)."""
    from demine.analysis.risk.events import cutoff_rule

    errors.print(
        _("Events before {day}: {rule}.").format(day=cutoff.isoformat(), rule=cutoff_rule()),
        markup=False,
        highlight=False,
    )
    errors.print(
        _(
            "Events inside the cell itself are ignored; a cell is the square of side "
            "{side:.0f} m around its point (the median spacing to the nearest cell, widened by 1%)."
        ).format(side=2 * half_size_m),
        markup=False,
        highlight=False,
    )
    counts = ", ".join(f"{group} {count}" for group, count in events_used.items())
    errors.print(_("Events used: {counts}.").format(counts=counts), markup=False, highlight=False)


@contextmanager
def _progress(description: str, always: bool) -> Iterator[Callable[[int, int], None]]:
    with progress_bar(always=always) as bar:
        task = bar.add_task(description, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _training_set(
    state: CliState,
    cells_path: Path,
    label: str,
    group: str | None,
    cutoff: date,
    exclude: list[str] | None,
    include_leaking: bool,
    no_covariates: bool,
) -> TrainingSet:
    from demine.analysis.risk.cells import read_cells
    from demine.analysis.risk.training import training_set

    cells = read_cells(cells_path)
    events = _read_events(state)
    data = training_set(
        cells,
        events,
        label=label,
        group=group,
        cutoff=cutoff,
        exclude=exclude or (),
        include_leaking=include_leaking,
        use_covariates=not no_covariates,
    )
    _state_rules(cutoff, data.half_size_m, data.events_used)
    by_reason: dict[str, list[str]] = {}
    for column, why in data.choice.excluded.items():
        by_reason.setdefault(why, []).append(repr(column))
    for why, columns in by_reason.items():
        errors.print(
            _("Not learnt from ({why}): {columns}.").format(why=why, columns=", ".join(columns)),
            markup=False,
            highlight=False,
        )
    return data


@app.command("grid")
def grid_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="Cells CSV to write.")],
    bbox: Annotated[
        str | None,
        typer.Option(
            help="West,south,east,north in degrees (default: around the register's located events)."
        ),
    ] = None,
    spacing_m: Annotated[
        float, typer.Option("--spacing-m", help="Side of a cell in metres.", min=10.0)
    ] = 1000.0,
) -> None:
    """Lay out a grid of square cells (default 1 km) as a cells file for predict."""
    from demine.analysis.risk.cells import grid_centres, write_grid

    box = _bbox(bbox) if bbox is not None else _events_box(ctx.obj)
    lon, lat = grid_centres(box, spacing_m)
    write_grid(output, lon, lat)
    console.print(
        _("{count} cells of {spacing:.0f} m written to {path}.").format(
            count=len(lon), spacing=spacing_m, path=output
        ),
        markup=False,
        highlight=False,
    )


def _bbox(text: str) -> tuple[float, float, float, float]:
    parts = text.split(",")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise InvalidRequestError(
            _("--bbox: '{text}' is not west,south,east,north in degrees").format(text=text)
        ) from None
    return west, south, east, north


def _events_box(state: CliState) -> tuple[float, float, float, float]:
    events = _read_events(state)
    if not events:
        raise InvalidRequestError(_("the register has no located events: give --bbox"))
    lons = [event.lon for event in events]
    lats = [event.lat for event in events]
    return min(lons), min(lats), max(lons), max(lats)


@app.command("train")
def train_command(
    ctx: typer.Context,
    cells: CellsOption,
    label: LabelOption,
    events_before: EventsBeforeOption,
    output: Annotated[Path, typer.Option("--output", "-o", help="Model file to write (JSON).")],
    group: Annotated[
        str | None,
        typer.Option(
            "--group", help="Column of groups (e.g. Municipio) calibration folds keep whole."
        ),
    ] = None,
    exclude: ExcludeOption = None,
    include_leaking: LeakingOption = False,
    no_covariates: NoCovariatesOption = False,
    seed: SeedOption = 20,
    progress: ProgressOption = False,
) -> None:
    """Train a calibrated gradient-boosting model on a labelled cells file and the
    register's events before the cut-off."""
    from demine.analysis.risk.training import train_model

    cutoff = day_option(events_before, "--events-before")
    data = _training_set(
        ctx.obj, cells, label, group, cutoff, exclude, include_leaking, no_covariates
    )
    with _progress(_("Training"), progress) as advance:
        model = train_model(
            data,
            label=label,
            group=group,
            cutoff=cutoff,
            seed=seed,
            cells_name=cells.name,
            progress=advance,
        )
    model.write(output)
    console.print(
        _(
            "Model trained on {cells} cells ({positives} positive), {features} features; "
            "written to {path}."
        ).format(
            cells=len(data.labels),
            positives=int(data.labels.sum()),
            features=len(data.features),
            path=output,
        ),
        markup=False,
        highlight=False,
    )


@app.command("predict")
def predict_command(
    ctx: typer.Context,
    model_path: Annotated[
        Path, typer.Option("--model", help="Model file from 'demine risk train'.", exists=True)
    ],
    cells: CellsOption,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Prediction CSV to write.")
    ] = None,
    events_before: Annotated[
        str | None,
        typer.Option("--events-before", help="Cut-off day (default: the model's own)."),
    ] = None,
    store_layer: Annotated[
        bool,
        typer.Option(
            "--store",
            help="Store the cells as the country's risk layer of this model, replacing the "
            "one stored before (all or nothing; logged).",
        ),
    ] = False,
    model_name: Annotated[
        str | None,
        typer.Option(
            "--model-name", help="The layer's model name with --store (default: the file's stem)."
        ),
    ] = None,
    cell_id: Annotated[
        str | None,
        typer.Option(
            "--cell-id",
            help="Column of cell ids with --store (default: cell_id, cell, id or an unnamed "
            "first column; else the row number).",
        ),
    ] = None,
    progress: ProgressOption = False,
) -> None:
    """Score a cells file: its rows in order with risk (0-1) and the three features that
    pushed each cell's risk most (SHAP contributions, log-odds); write them (-o), store
    them as the risk layer of the register (--store), or both."""
    from demine.analysis.risk.cells import read_cells
    from demine.analysis.risk.model import RiskModel
    from demine.analysis.risk.prediction import REGISTER_ONLY, predict_cells, write_predictions

    if output is None and not store_layer:
        raise InvalidRequestError(_("give --output FILE, --store, or both"))
    model = RiskModel.read(model_path)
    cutoff = day_option(events_before, "--events-before", date.fromisoformat(model.events_before))
    table = read_cells(cells)
    events = _read_events(ctx.obj)
    with _progress(_("Scoring cells"), progress):
        prediction = predict_cells(model, table, events, cutoff)
    _state_rules(cutoff, prediction.half_size_m, prediction.events_used)
    if prediction.ignored:
        errors.print(
            _("Ignored (the model does not use them): {columns}.").format(
                columns=", ".join(repr(column) for column in prediction.ignored)
            ),
            markup=False,
        )
    if prediction.scorer == REGISTER_ONLY:
        errors.print(
            _(
                "Missing covariates: {columns}. They were not filled in: the cells were scored "
                "with the register-only model."
            ).format(columns=", ".join(repr(column) for column in prediction.missing)),
            markup=False,
        )
    if output is not None:
        write_predictions(output, table, prediction)
        if prediction.scorer == REGISTER_ONLY:
            done = _("{count} cells scored with the register-only model; written to {path}.")
        else:
            done = _("{count} cells scored with the full model; written to {path}.")
        console.print(done.format(count=len(table), path=output), markup=False, highlight=False)
    if store_layer:
        _store(ctx.obj, model_path, model_name, cell_id, table, prediction)


def _store(
    state: CliState,
    model_path: Path,
    model_name: str | None,
    cell_id: str | None,
    table: CellsFile,
    prediction: Prediction,
) -> None:
    from demine.analysis.risk.layer import ModelIdentity
    from demine.analysis.risk.publish import store_prediction
    from demine.cli.principal import cli_principal

    model = ModelIdentity.of_file(model_path, model_name)
    country = state.country_code()
    with opened_store(state) as store:
        before, after = store_prediction(
            store,
            country,
            table,
            prediction,
            model,
            actor=cli_principal(None, None).name,
            cell_id_column=cell_id,
        )
    if before is None:
        done = _("Stored {count} cells as the risk layer of model {model} in {country}.")
    else:
        done = _(
            "Stored {count} cells as the risk layer of model {model} in {country}, "
            "replacing {replaced} cells computed on {day}."
        )
    console.print(
        done.format(
            count=after.cells,
            model=model.name,
            country=country,
            replaced=before.cells if before else 0,
            day=before.predicted_on.isoformat() if before else "",
        ),
        markup=False,
        highlight=False,
    )


@app.command("evaluate")
def evaluate_command(
    ctx: typer.Context,
    cells: CellsOption,
    label: LabelOption,
    group: Annotated[str, typer.Option("--group", help="Column of groups left out one at a time.")],
    events_before: EventsBeforeOption,
    exclude: ExcludeOption = None,
    include_leaking: LeakingOption = False,
    no_covariates: NoCovariatesOption = False,
    seed: SeedOption = 20,
    report_format: Annotated[
        MeasureFormat, typer.Option("--format", help="text or json.")
    ] = MeasureFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    progress: ProgressOption = False,
) -> None:
    """Leave-one-group-out validation: ROC AUC, average precision and the share of
    positives in the riskiest 10% and 20% of cells, model beside a distance-only baseline."""
    from demine.analysis.risk.evaluation import evaluate, evaluation_json
    from demine.analysis.risk.events import cutoff_rule

    cutoff = day_option(events_before, "--events-before")
    data = _training_set(
        ctx.obj, cells, label, group, cutoff, exclude, include_leaking, no_covariates
    )
    with _progress(_("Leaving each group out"), progress) as advance:
        evaluation = evaluate(data, seed=seed, progress=advance)
    document = evaluation_json(
        evaluation,
        data,
        {
            "cells_file": cells.name,
            "label": label,
            "group": group,
            "events_before": cutoff.isoformat(),
            "cutoff_rule": cutoff_rule(),
            "own_cell_excluded": True,
            "seed": seed,
        },
    )
    if report_format is MeasureFormat.JSON:
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    else:
        text = _evaluation_text(document)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def _evaluation_text(document: dict[str, object]) -> str:
    rows = [
        _(
            "Held out one {group} at a time: {groups} groups, {cells} cells, {positives} positive."
        ).format(
            group=document["group"],
            groups=document["groups"],
            cells=document["cells"],
            positives=document["positives"],
        ),
        "",
        f"{'':<10} {_('ROC AUC'):>8} {_('AP'):>8} {_('top 10%'):>8} {_('top 20%'):>8}",
    ]
    for key, name in (("model", _("model")), ("baseline", _("baseline"))):
        figures = document[key]
        assert isinstance(figures, dict)
        rows.append(
            f"{name:<10} {figures['roc_auc']:>8.3f} {figures['average_precision']:>8.3f} "
            f"{figures['top_10_percent_share']:>8.3f} {figures['top_20_percent_share']:>8.3f}"
        )
    return "\n".join(rows) + "\n"
