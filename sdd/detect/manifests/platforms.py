"""Deployment platform specs that pin a managed database's version: DigitalOcean App Platform
(``databases: - engine: PG, version: "14"``) and Render blueprints (``postgresMajorVersion``).

The engine line is often outside the hunk; git's hunk heading (``@@ … @@ databases:``) still
says which section a changed ``version`` belongs to.
"""

from __future__ import annotations

import re

from sdd.detect.manifests.model import Reading, State

_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*):\s*(?:#.*)?$")
_ENGINE = re.compile(r"^\s*-?\s*engine:\s*['\"]?(\w+)")
_ITEM = re.compile(r"^\s*-\s")
_VERSION = re.compile(r"^\s*-?\s*(?:version|postgresMajorVersion):\s*['\"]?(\d[\w.]*)['\"]?\s*$")
_ENGINES = {
    "pg": "postgres",
    "postgres": "postgres",
    "postgresql": "postgres",
    "mysql": "mysql",
    "redis": "redis",
    "valkey": "valkey",
    "mongodb": "mongo",
    "kafka": "kafka",
    "opensearch": "opensearchproject/opensearch",
}
MANAGED = "managed-database"  # a database whose engine the hunk does not show


def read_platform_spec(line: str, state: State) -> Reading | None:
    if state.section is None and state.heading:
        top = _TOP_KEY.match(state.heading)
        state.section = top.group(1) if top else None
    top = _TOP_KEY.match(line)
    if top:
        state.section = top.group(1)
        state.list_key = None
        return None
    if state.section != "databases" and "postgresMajorVersion" not in line:
        return None
    engine = _ENGINE.match(line)
    if engine:
        state.list_key = _ENGINES.get(engine.group(1).lower(), engine.group(1).lower())
        return None
    if _ITEM.match(line) and not _VERSION.match(line):
        state.list_key = None
    version = _VERSION.match(line)
    if version is None:
        return None
    name = "postgres" if "postgresMajorVersion" in line else state.list_key or MANAGED
    return name, version.group(1), False
