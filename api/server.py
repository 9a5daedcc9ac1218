"""Run the service under uvicorn (what ``stancegraph serve`` calls)."""

from __future__ import annotations

import uvicorn

from api.main import create_app
from api.settings import Settings


def run(settings: Settings) -> None:
    """Serve the app on ``settings.host``:``settings.port`` until interrupted.

    No access log: a line written for every request costs about a tenth of a one-row query's
    time. Start-up, shutdown and errors are still logged.
    """
    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", access_log=False)
