"""Blind indexes: finding encrypted names without decrypting them.

Each record's names are expanded into the spellings the matching engine knows (Ukrainian,
Russian, Latin transliterations), folded, split into words, and stored only as keyed digests.
A search hashes the typed words with the same key and looks for records holding all of them.
Whole words only: a digest cannot match a prefix.
"""

from __future__ import annotations

from ridni.linkage.keys import name_variants, query_terms
from ridni.security.encryption import blind_token
from ridni.security.keys import KeyRing

CATEGORIES = ("first", "last", "patronymic")


def words(given: str | None, family: str | None, patronymic: str | None) -> set[str]:
    found: set[str] = set()
    for name, category in zip((given, family, patronymic), CATEGORIES, strict=True):
        if name and name.strip():
            for variant in name_variants(name.strip(), category):
                found.update(part for part in variant.split(" ") if part)
    return found


def record_tokens(
    ring: KeyRing, given: str | None, family: str | None, patronymic: str | None
) -> set[int]:
    return {blind_token(ring, word) for word in words(given, family, patronymic)}


def query_tokens(ring: KeyRing, query: str) -> list[int]:
    return [blind_token(ring, term) for term in dict.fromkeys(query_terms(query))]
