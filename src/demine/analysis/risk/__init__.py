"""The predictive risk layer: where mines are likely, learnt from the register's history.

Modules, each with one job: :mod:`.events` (the register's events and the cut-off rule),
:mod:`.read` (events from a store), :mod:`.cells` (cells files and grids),
:mod:`.features` (leakage-free features per cell), :mod:`.model` (training, calibration,
prediction with contributions), :mod:`.evaluation` (leave-one-group-out validation
against a distance-only baseline). See ``docs/risk-model.md``.
"""
