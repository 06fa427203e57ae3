"""What an ADR drafted from a detection says: its evidence as Context, its paths as ``covers:``."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from sdd.adr.create import inline
from sdd.adr.new import Detected
from sdd.adr.record import TO_BE_COMPLETED
from sdd.detect.verdict import Verdict

if TYPE_CHECKING:
    from sdd.detect.source import DiffRequest
    from sdd.project.project import Project


def detect_for_adr(project: Project, request: DiffRequest, stdin: IO[bytes] | None) -> Detected:
    """Run the detection ``sdd adr new --from-detect`` drafts from."""
    from sdd.detect import runner

    verdict, pack, source = runner.run(project, request, start=project.root, stdin=stdin)
    context, covers = detection_context(verdict, source.label)
    return Detected(verdict.significant, verdict.title(pack), context, tuple(covers), source.label)


def detection_context(verdict: Verdict, source_label: str) -> tuple[str, list[str]]:
    """The Context text and ``covers:`` globs of an ADR drafted from a detection.

    The evidence of the significant categories (the suggested ones when any), at most eight
    signals each, and a glob for every path they touched.
    """
    from sdd.base.globs import escape

    chosen = verdict.suggested or tuple(c for c in verdict.categories if c.significant)
    lines = [
        f"`sdd adr detect` found an architecturally significant change in {inline(source_label)}:",
        "",
    ]
    paths: list[str] = []
    for result in chosen:
        lines.append(f"- **{result.title}** (score {result.score:g}):")
        for signal in result.signals[:8]:
            where = inline(f"{signal.path}:{signal.line}")
            lines.append(f"  - `{where}` {signal.rule}: `{inline(signal.text)}`")
        for signal in result.signals:
            if signal.path not in paths:
                paths.append(signal.path)
    lines.append("")
    lines.append(
        f"*{TO_BE_COMPLETED} why this change was needed and the constraints that shaped it.*"
    )
    return "\n".join(lines), [escape(path) for path in paths]
