"""Which language an article is in, when the input does not say."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["identify"]

# Malay and Indonesian share most of their vocabulary and langid confuses them.
# Spellings and words that differ between the two standards decide.
_ID_WORDS = frozenset("bisa karena pemerintah polisi kantor uang sekarang desember agustus juni juli "
                      "kerja sama tetapi dengan kepada mengatakan kata jakarta presiden aparat warga".split())
_MS_WORDS = frozenset("boleh kerana kerajaan polis pejabat wang disember ogos jun julai tetapi "
                      "bahawa daripada iaitu sahaja".split())


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def identify(text: str) -> str:
    """BCP-47 code of the text's language (``"und"`` when there is too little text)."""
    sample = text[:4000]
    if sum(ch.isalpha() for ch in sample) < 20:
        return "und"
    best = _identifier().rank(sample)[0][0]
    if best in ("ms", "id"):
        words = sample.lower().split()
        id_votes = sum(w.strip(".,;:!?\"'()") in _ID_WORDS for w in words)
        ms_votes = sum(w.strip(".,;:!?\"'()") in _MS_WORDS for w in words)
        return "ms" if ms_votes > id_votes else "id"
    return str(best)
