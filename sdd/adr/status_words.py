"""The word "status" and the five ADR statuses in the languages teams commonly write ADRs in.

Data, not logic: a team writing ``Статус: Принято`` or a ``## Status`` section saying
``Akzeptiert`` means ``accepted``. Words compare case-folded; a language missing here is added
as one more entry (its fixture goes into ``tests/test_adr_status_words.py``).
"""

from __future__ import annotations

from functools import cache

from sdd.base.patterns import compiled

# The field or heading that holds the status, by language.
STATUS_KEYS: dict[str, tuple[str, ...]] = {
    "en": ("status",),
    "de": ("status",),
    "fr": ("statut", "état"),
    "es": ("estado",),
    "pt": ("estado", "situação"),
    "it": ("stato",),
    "nl": ("status",),
    "pl": ("status", "stan"),
    "ru": ("статус", "состояние"),
    "uk": ("статус", "стан"),
    "tr": ("durum",),
    "zh": ("状态", "狀態"),
    "ja": ("ステータス", "状態"),
    "ko": ("상태",),
}

# Status words by language, under the status sdd knows them as.
STATUS_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {
        "proposed": ("vorgeschlagen", "entwurf"),
        "accepted": ("akzeptiert", "angenommen", "beschlossen", "genehmigt"),
        "rejected": ("abgelehnt", "verworfen"),
        "deprecated": ("veraltet", "überholt"),
        "superseded": ("ersetzt", "abgelöst"),
    },
    "fr": {
        "proposed": ("proposé", "proposée", "proposition"),
        "accepted": ("accepté", "acceptée", "adopté", "adoptée"),
        "rejected": ("rejeté", "rejetée", "refusé", "refusée"),
        "deprecated": ("obsolète", "déprécié", "dépréciée"),
        "superseded": ("remplacé", "remplacée"),
    },
    "es": {
        "proposed": ("propuesto", "propuesta"),
        "accepted": ("aceptado", "aceptada", "aprobado", "aprobada"),
        "rejected": ("rechazado", "rechazada"),
        "deprecated": ("obsoleto", "obsoleta", "deprecado", "deprecada"),
        "superseded": ("reemplazado", "reemplazada", "sustituido", "sustituida"),
    },
    "pt": {
        "proposed": ("proposto", "proposta"),
        "accepted": ("aceito", "aceita", "aceite", "aprovado", "aprovada"),
        "rejected": ("rejeitado", "rejeitada"),
        "deprecated": ("obsoleto", "obsoleta", "descontinuado", "descontinuada"),
        "superseded": ("substituído", "substituída"),
    },
    "it": {
        "proposed": ("proposto", "proposta"),
        "accepted": ("accettato", "accettata", "approvato", "approvata"),
        "rejected": ("rifiutato", "rifiutata", "respinto", "respinta"),
        "deprecated": ("deprecato", "deprecata", "obsoleto", "obsoleta"),
        "superseded": ("sostituito", "sostituita"),
    },
    "nl": {
        "proposed": ("voorgesteld",),
        "accepted": ("geaccepteerd", "aanvaard", "goedgekeurd"),
        "rejected": ("afgewezen", "verworpen"),
        "deprecated": ("verouderd",),
        "superseded": ("vervangen",),
    },
    "pl": {
        "proposed": ("zaproponowany", "zaproponowana", "proponowany", "propozycja"),
        "accepted": ("zaakceptowany", "zaakceptowana", "przyjęty", "przyjęta"),
        "rejected": ("odrzucony", "odrzucona"),
        "deprecated": ("przestarzały", "przestarzała", "wycofany", "wycofana"),
        "superseded": ("zastąpiony", "zastąpiona"),
    },
    "ru": {
        "proposed": ("предложено", "предложен", "предложена", "предложение"),
        "accepted": ("принято", "принят", "принята", "утверждено", "утверждён", "утвержден"),
        "rejected": ("отклонено", "отклонён", "отклонен", "отклонена"),
        "deprecated": ("устарело", "устарел", "устарела", "устаревшее"),
        "superseded": ("заменено", "заменён", "заменен", "заменена"),
    },
    "uk": {
        "proposed": ("запропоновано", "запропонований", "запропонована"),
        "accepted": ("прийнято", "прийнятий", "прийнята", "затверджено"),
        "rejected": ("відхилено", "відхилений", "відхилена"),
        "deprecated": ("застаріло", "застарілий", "застаріла"),
        "superseded": ("замінено", "замінений", "замінена"),
    },
    "tr": {
        "proposed": ("önerildi", "önerilen", "teklif"),
        "accepted": ("kabul", "kabul edildi", "onaylandı"),
        "rejected": ("reddedildi",),
        "deprecated": ("kullanımdan kaldırıldı", "eskimiş"),
        "superseded": ("yerini aldı", "değiştirildi"),
    },
    "zh": {
        "proposed": ("提议", "已提议", "提案", "建议", "草案"),
        "accepted": ("已接受", "接受", "已采纳", "采纳", "已批准", "通过", "已通过"),
        "rejected": ("已拒绝", "拒绝", "已否决", "否决"),
        "deprecated": ("已弃用", "弃用", "已废弃", "废弃", "已棄用"),
        "superseded": ("已取代", "已替代", "被取代", "已被取代", "已被替代"),
    },
    "ja": {
        "proposed": ("提案", "提案中", "提案済み"),
        "accepted": ("承認", "承認済み", "採用", "採択", "受理"),
        "rejected": ("却下", "不採用"),
        "deprecated": ("非推奨", "廃止"),
        "superseded": ("置換", "置き換え済み", "置き換え", "代替"),
    },
    "ko": {
        "proposed": ("제안됨", "제안"),
        "accepted": ("승인됨", "수락됨", "채택됨", "승인", "채택"),
        "rejected": ("거부됨", "거절됨", "기각"),
        "deprecated": ("폐기됨", "사용 중단"),
        "superseded": ("대체됨",),
    },
}


_LEADING_MARKS = r"^[\W_]+"  # "✅ ", "**"


@cache
def _status_by_word() -> dict[str, str]:
    return {
        word.casefold(): status
        for words in STATUS_WORDS.values()
        for status, spellings in words.items()
        for word in spellings
    }


@cache
def _status_keys() -> frozenset[str]:
    return frozenset(key.casefold() for keys in STATUS_KEYS.values() for key in keys)


def is_status_key(word: str) -> bool:
    """Whether a field name or heading means "status" in one of the known languages."""
    return word.strip().casefold() in _status_keys()


def translated_status(text: str) -> str | None:
    """The status a translated status text names (``Принято``, ``已接受``), None when unknown.

    The whole text is tried first (``kabul edildi``), then its first word (``Ersetzt durch 7``).
    """
    folded = compiled(_LEADING_MARKS).sub("", text).strip().strip("*_`.").strip().casefold()
    words = _status_by_word()
    if folded in words:
        return words[folded]
    first = folded.split(maxsplit=1)
    return words.get(first[0].strip(",;:.")) if first else None
