"""What sdd wrote for agents: ``.sdd/agents.json`` records each file by content hash.

A file whose hash still matches is sdd's and is updated when its template changes; any other
file is the user's and is kept unless ``force`` is given (ADR-0052).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sdd.base.errors import ParseError
from sdd.base.fileio import read_text, write_atomic
from sdd.base.paths import safe_join

MANIFEST = ".sdd/agents.json"
MANIFEST_SCHEMA = "sdd.agents-manifest/1"


@dataclass(frozen=True)
class Written:
    """A file sdd wrote: the agent it belongs to and the hash of its content."""

    agent: str
    sha256: str


def normalised(text: str) -> str:
    return text.replace("\r\n", "\n")


def digest(text: str) -> str:
    """The hash sdd records for a file it wrote (line endings do not count)."""
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()


def load_manifest(root: Path) -> dict[str, Written]:
    """Relative path → what sdd last wrote there; empty when there is no manifest."""
    path = safe_join(root, MANIFEST)
    if not path.is_file():
        return {}
    hint = f"delete {MANIFEST} and install again: files sdd cannot recognise are then kept"
    text = read_text(path, limit=8 * 1024 * 1024)
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise ParseError(
            "invalid JSON in the agents manifest", path=MANIFEST, line=line, hint=hint
        ) from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(
        isinstance(value, dict) and isinstance(value.get("sha256"), str) for value in files.values()
    ):
        raise ParseError("the agents manifest has an unexpected shape", path=MANIFEST, hint=hint)
    return {
        str(key): Written(str(value.get("agent", "")), value["sha256"])
        for key, value in files.items()
    }


def save_manifest(root: Path, manifest: dict[str, Written]) -> None:
    files = {
        path: {"agent": manifest[path].agent, "sha256": manifest[path].sha256}
        for path in sorted(manifest)
    }
    document = {"schema": MANIFEST_SCHEMA, "files": files}
    write_atomic(safe_join(root, MANIFEST), json.dumps(document, indent=2) + "\n")
