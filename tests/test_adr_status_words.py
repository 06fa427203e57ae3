"""ADRs whose status is written in another language: read when sdd knows the words, a warning
that says how to teach sdd when it does not, never ADR004's "no status" error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdd.adr.record import STATUSES, normalize_status, read_adr
from sdd.adr.status_words import STATUS_KEYS, STATUS_WORDS, is_status_key, translated_status

RUSSIAN = "# 1. Хранить сессии в Redis\n\nДата: 2026-03-02\n\nСтатус: Принято\n\n## Контекст\n"
GERMAN = "# 2. Kafka verwenden\n\n## Status\n\nAkzeptiert\n\n## Kontext\n\nText.\n"
CHINESE = "# 3. 使用 PostgreSQL\n\n状态：已接受\n\n## 背景\n\n文本。\n"
GERMAN_SUPERSEDED = "# 4. Alte Warteschlange\n\n## Status\n\nErsetzt durch [ADR 2](0002-kafka.md)\n"
SPANISH_BULLET = "# 5. Usar gRPC\n\n- **Estado:** Propuesto\n\n## Contexto\n\nTexto.\n"
# Finnish is not in the table: the record's own status line is there, in untaught words.
FINNISH = "# 6. Käytä jonoa\n\nTila: Hyväksytty\n\n## Konteksti\n\nTeksti.\n\n## Päätös\n\nJono.\n"
SWEDISH_WORD = "# 7. Use a queue\n\n## Status\n\nGodkänd\n\n## Context\n\nWhy.\n"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "status", "fmt"),
    [
        (RUSSIAN, "accepted", "spec-kit-plus"),
        (GERMAN, "accepted", "adr-tools"),
        (CHINESE, "accepted", "spec-kit-plus"),
        (GERMAN_SUPERSEDED, "superseded", "adr-tools"),
        (SPANISH_BULLET, "proposed", "spec-kit-plus"),
    ],
)
def test_a_translated_status_is_read(tmp_path: Path, text: str, status: str, fmt: str) -> None:
    record = read_adr(_write(tmp_path, "0001-x.md", text), 1)
    assert (record.status, record.format) == (status, fmt)
    assert record.status_text is not None and record.status_text in text
    assert text.splitlines()[record.status_line - 1].endswith(record.status_text)


def test_a_translated_superseded_status_keeps_its_link(tmp_path: Path) -> None:
    record = read_adr(_write(tmp_path, "0004-alt.md", GERMAN_SUPERSEDED), 4)
    assert record.superseded_by == (2,)


def _status_findings(sdd, project: Path) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    result = sdd("validate", "--json")
    assert "Traceback" not in result.output
    return [
        (str(f["path"]), str(f["code"]), str(f["severity"]))
        for f in json.loads(result.stdout)["findings"]
        if f["code"] in ("ADR004", "ADR016")
    ]


def test_validate_reads_translated_statuses_and_warns_on_untaught_ones(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    adr = project / "adr"
    _write(adr, "0001-redis.md", RUSSIAN)
    _write(adr, "0002-kafka.md", GERMAN)
    _write(adr, "0003-postgres.md", CHINESE)
    _write(adr, "0006-queue.md", FINNISH)
    _write(adr, "0007-queue.md", SWEDISH_WORD)
    assert _status_findings(sdd, project) == [
        ("adr/0006-queue.md", "ADR016", "warning"),
        ("adr/0007-queue.md", "ADR016", "warning"),
    ]
    messages = [
        str(f["message"])
        for f in json.loads(sdd("validate", "--json").stdout)["findings"]
        if f["code"] == "ADR016"
    ]
    assert all("teach sdd" in message and "status: accepted" in message for message in messages)


def test_an_english_record_without_a_status_is_still_an_error(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    text = "# 1. Use sessions\n\n## Context\n\nWhy.\n\n## Decision\n\nWhat.\n"
    _write(project / "adr", "0001-sessions.md", text)
    assert _status_findings(sdd, project) == [("adr/0001-sessions.md", "ADR004", "error")]


def test_the_table_names_each_word_for_one_status_only() -> None:
    meaning: dict[str, str] = {}
    for language, words in STATUS_WORDS.items():
        assert set(words) == set(STATUSES), language
        for status, spellings in words.items():
            for word in spellings:
                assert meaning.setdefault(word.casefold(), status) == status, (language, word)
                assert translated_status(word.capitalize()) == status
    assert all(is_status_key(key) for keys in STATUS_KEYS.values() for key in keys)
    assert not set(meaning) & set(STATUSES)  # English is read before the table


@given(st.text(max_size=40))
def test_a_status_text_normalizes_to_a_lowercase_word_or_a_known_status(text: str) -> None:
    status = normalize_status(text)
    translated = translated_status(text)
    assert translated is None or translated in STATUSES
    if status is not None and status in STATUSES:
        assert status == status.lower()
