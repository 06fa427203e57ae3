"""The names that make a file an artifact, testable without the project (the hook's first
filter runs before anything else is imported, so this module imports nothing).

``sdd.project.artifacts`` holds the rest of the definition: which folders of a project hold
artifacts, and the pathspecs of the hook script.
"""

from __future__ import annotations

CONFIG_FILE = "sdd.yaml"
ARTIFACT_SUFFIX = ".md"
# The ``files:`` regex of the framework's manifest (``.pre-commit-hooks.yaml``); a test ties
# the manifest to it and to ``may_be_artifact``.
FRAMEWORK_FILES_PATTERN = r"(^|/)sdd\.yaml$|\.md$"


def may_be_artifact(path: str) -> bool:
    """Whether the slash-separated ``path`` can be an artifact at all, whatever the project:
    a Markdown file or an ``sdd.yaml``."""
    return path.endswith(ARTIFACT_SUFFIX) or path == CONFIG_FILE or path.endswith("/" + CONFIG_FILE)
