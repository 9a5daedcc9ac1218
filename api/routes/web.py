"""The explorer page at /: its own files and the npm modules it imports, all from api/static.

Everything the page loads comes from this service: it works with the network
unplugged. The page's scripts are ES modules with no build step; the browser
resolves their bare imports (``import { EditorView } from "@codemirror/view"``)
through an import map that :data:`VENDOR_MODULES` generates, and this router
serves exactly the files that map names. ``make vendor`` copies them there from node_modules
(package.json, package-lock.json); the copy is committed, so a clone or a wheel needs no npm.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse

from api.errors import ApiError, error_responses
from api.pages import render
from graph.queries import load_query

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
NODE_MODULES = STATIC_DIR / "vendor"  # the allow-listed files of node_modules, laid out as there
INSTALL_COMMAND = "make vendor"

VENDOR_MODULES: dict[str, str] = {
    "@codemirror/commands": "@codemirror/commands/dist/index.js",
    "@codemirror/language": "@codemirror/language/dist/index.js",
    "@codemirror/legacy-modes/mode/sparql": "@codemirror/legacy-modes/mode/sparql.js",
    "@codemirror/lint": "@codemirror/lint/dist/index.js",
    "@codemirror/state": "@codemirror/state/dist/index.js",
    "@codemirror/streamparser": "@codemirror/streamparser/dist/index.js",
    "@codemirror/view": "@codemirror/view/dist/index.js",
    "@lezer/common": "@lezer/common/dist/index.js",
    "@lezer/highlight": "@lezer/highlight/dist/index.js",
    "@marijn/find-cluster-break": "@marijn/find-cluster-break/src/index.js",
    "crelt": "crelt/index.js",
    "cytoscape": "cytoscape/dist/cytoscape.esm.min.mjs",
    "style-mod": "style-mod/src/style-mod.js",
    "w3c-keyname": "w3c-keyname/index.js",
}
"""Module specifier -> its ES module file under node_modules: the import map and the allow-list in one."""

# The page's own files, by name: a fixed allow-list read once, so no request path reaches the file system.
STATIC_FILES: dict[str, Path] = {
    path.name: path for path in STATIC_DIR.iterdir() if path.is_file() and path.name != "index.html"
}

MEDIA_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
}

IMPORT_MAP_MARKER = '<script type="importmap"></script>'

router = APIRouter(tags=["web page"])


def import_map() -> dict[str, dict[str, str]]:
    """The page's import map: each module specifier to its URL, relative to the page."""
    return {"imports": {specifier: f"./vendor/{specifier}" for specifier in VENDOR_MODULES}}


def missing_modules() -> list[str]:
    """The vendored modules whose files are not installed (empty after ``npm ci``)."""
    return [spec for spec, path in VENDOR_MODULES.items() if not (NODE_MODULES / path).is_file()]


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def page() -> HTMLResponse:
    """The explorer page with the import map of its modules; a set-up message when they are missing."""
    missing = missing_modules()
    if missing:
        setup = render("setup_needed.html", missing=missing, install_command=INSTALL_COMMAND)
        return HTMLResponse(setup, status_code=503)
    template = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    script = f'<script type="importmap">{json.dumps(import_map(), indent=1)}</script>'
    return HTMLResponse(template.replace(IMPORT_MAP_MARKER, script), headers={"Cache-Control": "no-cache"})


@router.get("/assets/{name}", include_in_schema=False)
def asset(name: str) -> FileResponse:
    """One of the page's own files (scripts, stylesheet)."""
    path = STATIC_FILES.get(name)
    if path is None:
        raise ApiError(404, f"no asset {name!r}")
    return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix), headers={"Cache-Control": "no-cache"})


@router.get("/vendor/{specifier:path}", include_in_schema=False)
def vendor_module(specifier: str) -> FileResponse:
    """The ES module file of one allow-listed npm module; 404 for anything else."""
    relative = VENDOR_MODULES.get(specifier)
    if relative is None:
        raise ApiError(404, f"no vendored module {specifier!r}")
    path = NODE_MODULES / relative
    if not path.is_file():
        raise ApiError(
            404, f"module {specifier!r} is not installed: run `{INSTALL_COMMAND}` in the project root"
        )
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@router.get(
    "/examples/{name}.rq",
    response_class=PlainTextResponse,
    summary="The SPARQL text of a named query",
    description="The query as the explorer's editor shows it, its parameters left as variables: "
    "run it with `/queries/{name}` to bind them, or edit it and send it to `/sparql`.",
    responses={200: {"content": {"application/sparql-query": {}}}, **error_responses(404)},
)
def example_query(name: str) -> PlainTextResponse:
    """The SPARQL of the named query ``name``; 404 naming an unknown one."""
    return PlainTextResponse(load_query(name).sparql, media_type="application/sparql-query")
