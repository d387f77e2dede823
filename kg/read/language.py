"""Which language an article is in, when the input does not say."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["identify"]

# Malay and Indonesian share most of their vocabulary and langid confuses them;
# news this tool reads is far more often Indonesian, so a near tie goes to "id".
_NEAR_TIE = 0.25


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def identify(text: str) -> str:
    """BCP-47 code of the text's language (``"und"`` when there is too little text)."""
    sample = text[:4000]
    if sum(ch.isalpha() for ch in sample) < 20:
        return "und"
    ranked = _identifier().rank(sample)[:2]
    best, p_best = ranked[0]
    if best == "ms":
        probs = dict(_identifier().rank(sample))
        if probs.get("id", 0.0) >= p_best - _NEAR_TIE:
            return "id"
    return str(best)
