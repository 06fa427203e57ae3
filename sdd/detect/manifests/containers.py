"""Container manifests: the images compose files and Dockerfiles run."""

from __future__ import annotations

import re

from sdd.detect.manifests.model import Reading, State, image_parts

_COMPOSE_IMAGE = re.compile(r"""^\s*-?\s*image\s*:\s*['"]?([^'"\s#]+)""")
_DOCKER_FROM = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)", re.IGNORECASE)
DOCKER_STAGE = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*\S+\s+AS\s+(\S+)", re.IGNORECASE)


def read_compose(line: str, state: State) -> Reading | None:
    match = _COMPOSE_IMAGE.match(line)
    if match is None:
        return None
    parts = image_parts(match.group(1))
    return (parts[0], parts[1], False) if parts else None


def read_dockerfile(line: str, state: State) -> Reading | None:
    match = _DOCKER_FROM.match(line)
    if match is None:
        return None
    parts = image_parts(match.group(1))
    if parts is None or parts[0] == "scratch":
        return None
    return parts[0], parts[1], False
