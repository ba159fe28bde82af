"""The published algorithm of a draw: anyone can recompute it from public data.

Inputs, all shown on /plates/verify/ once the day's seed is revealed:

* ``seed``: the day's 32 random bytes; SHA-256(seed) was published before the day started.
* ``draw_id``: the draw's public identifier (ASCII), e.g. ``20250301-7f3a9c2e41d0b865``.
* ``snapshot``: the free numbers of the plate type at the draw moment, sorted by Unicode code
  point, joined with ``\\n`` and encoded in UTF-8; its SHA-256 is stored with the draw.

Algorithm:

1. ``key = HMAC-SHA256(seed, draw_id)``.
2. For every number ``n`` of the snapshot, ``score(n) = HMAC-SHA256(key, n as UTF-8)``.
3. Sort the numbers by ``(score, n)`` ascending (scores compared as bytes) and take the first
   ``k`` (the office's "numbers offered per draw", 50 by default; all if fewer are free).
   The candidates are shown in that order.

In Python: ``sorted(numbers, key=lambda n: (hmac.new(key, n.encode(), "sha256").digest(), n))[:k]``.
The result depends only on these inputs, so the office cannot steer a draw once the seed is
committed, and nobody can foresee one before the seed is revealed.
"""

from __future__ import annotations

import hashlib
import hmac
import zlib
from collections.abc import Sequence


def seed_commitment(seed: bytes) -> str:
    return hashlib.sha256(seed).hexdigest()


def snapshot_bytes(numbers: Sequence[str]) -> bytes:
    return "\n".join(numbers).encode("utf-8")


def snapshot_hash(numbers: Sequence[str]) -> str:
    return hashlib.sha256(snapshot_bytes(numbers)).hexdigest()


def snapshot_pack(numbers: Sequence[str]) -> bytes:
    return zlib.compress(snapshot_bytes(numbers), 9)


def draw_key(seed: bytes, draw_id: str) -> bytes:
    return hmac.new(seed, draw_id.encode("ascii"), hashlib.sha256).digest()


def candidates_for(*, seed: bytes, draw_id: str, numbers: Sequence[str], count: int) -> list[str]:
    key = draw_key(seed, draw_id)
    scored = sorted(
        numbers, key=lambda n: (hmac.new(key, n.encode("utf-8"), hashlib.sha256).digest(), n)
    )
    return scored[:count]
