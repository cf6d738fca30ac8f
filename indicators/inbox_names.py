"""Which names in the inbox are files at all: operating-system and editor litter is left
alone, every other file is handed to the validator.

A statistics office answers for every file a partner hands in, so the inbox scan skips only
what no partner ever meant to send: folder metadata (``.DS_Store``, ``Thumbs.db``,
``desktop.ini``, macOS ``._*`` resource forks), the lock, swap and temporary files of office
suites and editors while a file is open (``~$returns.xlsx``, ``.~lock.returns.csv#``,
``.returns.csv.swp``, ``.#returns.csv``, ``~WRL0001.tmp``) and unfinished copies (``*.part``,
which the dashboard's uploads also use until they are complete; WinSCP's ``*.filepart``;
rsync's ``.returns.csv.Ab12Cd``: the name between a dot and six random letters or digits).
Any other name starting with a dot, such as ``.returns.csv``, is a hidden file a partner may
well have sent: the validator rejects it with a rule that says why (:data:`HIDDEN_RULE`), so
it lands in quarantine with a report instead of being ignored in silence. Folders whose
names start with a dot (``.Trash-1000``, ``.snapshot``) belong to the system and are not
searched.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import PurePath

_SIX = "[a-z0-9]" * 6
LITTER: tuple[str, ...] = (  # compared with the lower-cased name
    ".ds_store", "._*", "thumbs.db", "ehthumbs.db", "desktop.ini", ".directory",
    "~$*", ".~lock.*#", ".*.sw[a-p]", ".#*", "~*.tmp", "*.part", "*.filepart", f".*.{_SIX}",
)
HIDDEN_RULE = "hidden_file"


def is_litter(name: str) -> bool:
    """Whether ``name`` is OS or editor litter (compared without regard to case)."""
    lowered = name.lower()
    return any(fnmatchcase(lowered, pattern) for pattern in LITTER)


def is_hidden(name: str) -> bool:
    """Whether ``name`` starts with a dot (hidden on most systems)."""
    return name.startswith(".")


def in_hidden_folder(relative: PurePath) -> bool:
    """Whether a path relative to a searched folder passes through a hidden folder."""
    return any(is_hidden(part) for part in relative.parts[:-1])
