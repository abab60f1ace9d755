"""The local web page and HTTP API: ``resume-role serve``.

:mod:`~.server` checks the bind and token and runs uvicorn; :mod:`~.app` is the FastAPI
app (thin handlers); :mod:`~.security` the guard in front of it (hosts, CSRF, token,
upload size, headers); :mod:`~.pool` the bounded pool of long-lived reader processes;
:mod:`~.batches` the in-memory batches; :mod:`~.page` the page itself. Nothing here is
imported by ``classify`` or ``batch``.
"""
