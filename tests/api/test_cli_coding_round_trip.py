"""``stancegraph export-coding`` and ``import-coding`` as a user runs them: the real command in a
subprocess, on a disk store in a temporary folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from rdflib.compare import isomorphic

from graph.coding import build_dataset
from graph.coding.lines import read_yaml
from graph.coding.schema import CodingFile
from graph.paths import DATA_DIR
from tests.graph.coding.test_round_trip import CORPUS, canonical

STANCEGRAPH = str(Path(sys.executable).with_name("stancegraph"))


def run(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [STANCEGRAPH, *map(str, arguments)], capture_output=True, text=True, timeout=300, check=False
    )


def disk_store_of(data_dir: Path, tmp_path: Path) -> Path:
    built, store = tmp_path / "built.nq", tmp_path / "store"
    assert run("build", "--data-dir", data_dir, "-o", built).returncode == 0
    assert run("load", built, "--disk-path", store).returncode == 0
    return store


def test_the_seed_exported_builds_the_same_graph(tmp_path: Path) -> None:
    store = disk_store_of(DATA_DIR, tmp_path)
    out = tmp_path / "out" / "golden-dome-canada.yaml"
    done = run("export-coding", "golden-dome-canada", "-o", out, "--store", "disk", "--disk-path", store)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "sources" / "golden-dome-canada.txt").read_bytes() == (
        DATA_DIR / "sources" / "golden-dome-canada.txt"
    ).read_bytes()  # written beside it from the stored text
    built, again = build_dataset(DATA_DIR, False), build_dataset(out.parent, False)
    for graph in built.graphs():
        assert isomorphic(graph, again.graph(graph.identifier)), graph.identifier
    exported = CodingFile.model_validate(read_yaml(out))
    assert canonical(exported) == canonical(CodingFile.model_validate(read_yaml(DATA_DIR / out.name)))


def test_exported_over_the_committed_file_only_formatting_changes(tmp_path: Path) -> None:
    store = disk_store_of(DATA_DIR, tmp_path)
    folder = tmp_path / "checkout"
    shutil.copytree(DATA_DIR, folder)
    coding = folder / "golden-dome-canada.yaml"
    done = run("export-coding", "golden-dome-canada", "-o", coding, "--store", "disk", "--disk-path", store)
    assert done.returncode == 0, done.stderr
    committed = (DATA_DIR / coding.name).read_text(encoding="utf-8")
    assert yaml.safe_load(coding.read_text(encoding="utf-8")) == yaml.safe_load(committed)
    assert run("validate", "--data-dir", folder).returncode == 0


def test_a_corpus_document_and_the_registry_round_trip(tmp_path: Path) -> None:
    store = disk_store_of(CORPUS, tmp_path)
    options = ("--store", "disk", "--disk-path", store)
    printed = run("export-coding", "herald-2025-03-20", *options)
    assert printed.returncode == 0, printed.stderr
    assert "stakeholders" not in printed.stdout and "holder: ana-varga" in printed.stdout
    registry = run("export-coding", "--registry", *options)
    assert registry.returncode == 0 and "id: ana-varga" in registry.stdout


def test_import_replaces_a_document_and_export_shows_it(tmp_path: Path) -> None:
    store = disk_store_of(CORPUS, tmp_path)
    folder = tmp_path / "edited"
    shutil.copytree(CORPUS, folder)
    coding = folder / "leaflet-undated.yaml"
    coding.write_text(coding.read_text(encoding="utf-8").replace("monitors", "considers"), encoding="utf-8")
    options = ("--store", "disk", "--disk-path", store)
    done = run("import-coding", coding, *options)
    assert done.returncode == 0, done.stderr
    assert "replaced document 'leaflet-undated'" in done.stdout
    exported = run("export-coding", "leaflet-undated", *options)
    assert "stance: considers" in exported.stdout  # kept by the disk store across processes


def test_an_unknown_document_exits_2_naming_it(tmp_path: Path) -> None:
    store = disk_store_of(DATA_DIR, tmp_path)
    done = run("export-coding", "atlantis", "--store", "disk", "--disk-path", store)
    assert done.returncode == 2 and "'atlantis'" in done.stderr and "Traceback" not in done.stderr


def test_a_broken_file_exits_2_naming_file_and_line_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    coding = folder / "golden-dome-canada.yaml"
    text = coding.read_text(encoding="utf-8")
    coding.write_text(text.replace("stance: monitors", "stance: adores"), encoding="utf-8")
    line = text.splitlines().index("    stance: monitors") + 1
    store = tmp_path / "store"
    done = run("import-coding", coding, "--store", "disk", "--disk-path", store)
    assert done.returncode == 2, done.stderr
    assert f"{coding}:{line}: " in done.stderr and "adores" in done.stderr
    assert not store.exists()  # refused before the store was opened


def test_import_into_the_memory_store_is_refused(tmp_path: Path) -> None:
    done = run("import-coding", DATA_DIR / "golden-dome-canada.yaml", "--store", "memory")
    assert done.returncode == 2 and "--store disk" in done.stderr


def test_a_conflict_or_a_differing_source_exits_1(tmp_path: Path) -> None:
    store = disk_store_of(DATA_DIR, tmp_path)
    options = ("--store", "disk", "--disk-path", store)
    out = tmp_path / "out" / "golden-dome-canada.yaml"
    (tmp_path / "out" / "sources").mkdir(parents=True)
    (tmp_path / "out" / "sources" / "golden-dome-canada.txt").write_text("Another text.\n", encoding="utf-8")
    differs = run("export-coding", "golden-dome-canada", "-o", out, *options)
    assert differs.returncode == 1 and "differs from the text the store holds" in differs.stderr
    assert not out.exists()
    extra = tmp_path / "extra.nq"
    graph = "https://w3id.org/stancegraph/graph/golden-dome-canada"
    extra.write_text(f'<urn:x:a> <urn:x:b> "by hand (fictional)" <{graph}> .\n', encoding="utf-8")
    assert run("load", extra, "--disk-path", store).returncode == 0
    refused = run("import-coding", DATA_DIR / "golden-dome-canada.yaml", *options)
    assert refused.returncode == 1 and "--force" in refused.stderr
    forced = run("import-coding", DATA_DIR / "golden-dome-canada.yaml", "--force", *options)
    assert forced.returncode == 0, forced.stderr
