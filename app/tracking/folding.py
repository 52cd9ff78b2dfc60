"""Text as search and completion compare it: lowercase, no accents, ł -> l.

Pure and shared: the CRM's record search and the mailbox's address completion fold the same way,
so a name typed in either finds the same people.
"""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent (applied after
# casefold, so lowercase is enough).
_EXTRA_FOLDS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i"})


def _fold_step(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_EXTRA_FOLDS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text: str) -> str:
    """What search compares: `Łukasz Żółć` and `lukasz zolc` fold to the same words."""
    if text.isascii():
        # Most names and nearly every address: nothing to decompose, and building the index
        # of a big CRM spends most of its time here.
        return text.lower()
    folded = _fold_step(text)
    # Decomposing can reveal letters that fold further (compatibility forms like ﬁ or Ǆ);
    # repeating until nothing changes makes the folded text fold to itself.
    for _ in range(4):
        again = _fold_step(folded)
        if again == folded:
            break
        folded = again
    return folded
