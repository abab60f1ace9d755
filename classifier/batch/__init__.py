"""Scoring a folder: plan the files, score them in parallel, stream rows, resume after a kill.

:mod:`~.plan` finds and hashes files and keeps rows already written;
:mod:`~.worker` reads and scores one file (never raising); :mod:`~.execute`
runs workers on local processes or (:mod:`~.cluster`) on Dask; :mod:`~.rows`
appends rows to JSONL or CSV and reads them back; :mod:`~.run` is a whole run.
"""
