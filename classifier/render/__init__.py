"""Rendering: result types in, strings out, no I/O.

:mod:`~.json` is the one JSON schema (CLI, batch rows, API); :mod:`~.text` the
terminal; :mod:`~.html` a resume's report page and :mod:`~.index` a batch's
index, sharing :mod:`~.htmlkit`; :mod:`~.table` batch rows as CSV cells;
:mod:`~.reports` the model card, evaluations and comparisons; :mod:`~.numbers`
the number formats of all of them.
"""
