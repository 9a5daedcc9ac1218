"""The ``stancegraph`` command: :data:`app`, with the commands of the modules listed here."""

from api.cli import assist as assist
from api.cli import commands as commands
from api.cli import loading as loading
from api.cli.base import app as app
