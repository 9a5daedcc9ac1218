"""Run the service under uvicorn (what ``stancegraph serve`` calls)."""

from __future__ import annotations

import uvicorn

from api.app import create_app
from api.settings import Settings


def run(settings: Settings) -> None:
    """Serve the app on ``settings.host``:``settings.port`` until interrupted."""
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
