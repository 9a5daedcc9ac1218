"""The suggester the settings (and a command's options) configure: the rules, or a model.

The CLI and the REST routes share it. The rules read the shipped lexicon with the settings'
``suggest_lexicons`` and any given on the command line; the model is used only when asked for
and configured (``suggest_model_url`` and ``suggest_model``): nothing else sends a request.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from api.settings import Settings
from graph.errors import ValidationFailedError
from graph.suggest.backends import RuleSuggester, Suggester
from graph.suggest.chat import ChatModelConfig, ChatModelSuggester
from graph.suggest.lexicon import load_lexicons

Backend = Literal["rules", "model"]


def suggester_for(settings: Settings, backend: Backend = "rules", lexicons: Sequence[Path] = ()) -> Suggester:
    """The suggester ``backend`` names, as ``settings`` configure it; a model that is not
    configured is a ValidationFailedError naming ``backend``."""
    if backend == "rules":
        return RuleSuggester(load_lexicons([*settings.suggest_lexicons, *lexicons]))
    if settings.suggest_model_url is None or settings.suggest_model is None:
        raise ValidationFailedError(
            "backend: no language model is configured (set STANCEGRAPH_SUGGEST_MODEL_URL and "
            "STANCEGRAPH_SUGGEST_MODEL); the rules need none",
            parameter="backend",
        )
    key = settings.suggest_model_key.get_secret_value() if settings.suggest_model_key else None
    return ChatModelSuggester(ChatModelConfig(settings.suggest_model_url, settings.suggest_model, key))
