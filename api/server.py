"""Run the service under uvicorn (what ``stancegraph serve`` calls)."""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import uvicorn
from starlette.types import ASGIApp
from uvicorn.config import LOGGING_CONFIG

from api.access_log import ACCESS_LOGGER, AccessLog
from api.main import create_app
from api.settings import Settings


def log_config(access_log: bool) -> dict[str, Any]:
    """uvicorn's logging set-up, with the service's access log (:mod:`api.access_log`) on stdout.

    uvicorn's own access log stays off: it would repeat each line without the time taken.

    >>> log_config(True)["loggers"]["stancegraph.access"]["level"]
    'INFO'
    >>> log_config(False)["loggers"]["stancegraph.access"]["level"]
    'WARNING'
    """
    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["service_access"] = {
        "()": "uvicorn.logging.DefaultFormatter",
        "fmt": "%(levelprefix)s %(message)s",
    }
    config["handlers"]["service_access"] = {
        "formatter": "service_access",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",  # where uvicorn writes its access log
    }
    config["loggers"][ACCESS_LOGGER.name] = {
        "handlers": ["service_access"],
        "level": "INFO" if access_log else "WARNING",
        "propagate": False,
    }
    return config


def served_app(settings: Settings) -> ASGIApp:
    """The app as it serves: with the access log when the settings ask for it."""
    app = create_app(settings)
    return AccessLog(app) if settings.access_log else app


def worker_app() -> ASGIApp:
    """The app of one of several worker processes, with the settings ``run`` handed them."""
    return served_app(Settings.model_validate_json(Path(os.environ[_SETTINGS_FILE]).read_text("utf-8")))


def run(settings: Settings) -> None:
    """Serve the app on ``settings.host``:``settings.port`` until interrupted.

    With ``settings.access_log`` (the default), one line per request: method, path, status and
    time in milliseconds. Start-up, shutdown and errors are logged either way. With
    ``settings.workers`` above one, uvicorn starts that many processes on the port (each imports
    :func:`worker_app`); the settings reach them in a file only this user can read, as the write
    token is among them.
    """
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "info",
        "access_log": False,
        "log_config": log_config(settings.access_log),
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
    }
    if settings.workers == 1:
        uvicorn.run(served_app(settings), **options)
        return
    with tempfile.TemporaryDirectory(prefix="stancegraph-") as folder:  # created private (0700)
        handed = Path(folder) / "settings.json"
        handed.write_text(_revealed_json(settings), encoding="utf-8")
        os.environ[_SETTINGS_FILE] = str(handed)
        uvicorn.run("api.server:worker_app", factory=True, workers=settings.workers, **options)


KEEP_ALIVE_SECONDS = 30
"""How long an idle connection is kept open. uvicorn's default, 5 s, is also how long httpx (and
so many clients) keep an idle connection for reuse: a request sent on a connection the server
closes at that moment fails with a transport error. Longer than the clients' expiry, it does not."""

# The environment variable naming the settings file of the workers (no field of Settings).
_SETTINGS_FILE = "_STANCEGRAPH_WORKER_SETTINGS"


def _revealed_json(settings: Settings) -> str:
    # model_dump_json writes a secret as stars: the workers need the write token itself.
    fields = settings.model_dump(mode="json")
    if settings.write_token is not None:
        fields["write_token"] = settings.write_token.get_secret_value()
    return json.dumps(fields)
