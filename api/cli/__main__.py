"""``python -m api.cli``: the ``stancegraph`` command."""

from api.cli import app

app()
