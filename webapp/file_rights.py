"""The rights of the folders and files the app makes for itself: its own account's alone.

The data folder, the database and the backup folder may be IT's choice: those are named on the
admin screen, never changed (laptop_health.open_to_others). What is the app's own (the exports
folder, the server's lock file, a folder made for a file it writes) is made private, and one an
older version left open to other accounts is made private when the app writes there again.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

# A folder the app makes for patient data (the data folder, backups) and a file of it that holds
# a secret (a backup, the session key): the account the app runs as alone.
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600

_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def make_private_folders(folder: Path) -> None:
    """Make folder and its missing parents, each one made the app's account's alone.

    Path.mkdir(parents=True) gives the parents the umask's rights (0755); a folder that is
    already there keeps its own.
    """
    missing: list[Path] = []
    for path in (folder, *folder.parents):
        if path.exists():
            break
        missing.append(path)
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            # Made meanwhile by another thread or process: its rights are whoever made it.
            continue
        # A umask may take rights from the mode, never add to it: 0700 at most, as asked.
        path.chmod(PRIVATE_FOLDER)
    if not folder.is_dir():
        # A file in the folder's place: said as mkdir would say it.
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(folder))


def tighten(path: Path) -> bool:
    """Take other accounts' rights from the app's own folder or file; True when it had some.

    Said in the log when it happens, which is once: the rights stay taken. Windows keeps rights
    in ACLs the mode bits do not show: nothing is changed there.
    """
    if os.name == "nt":
        return False
    mode = stat.S_IMODE(path.stat().st_mode)
    if not mode & _OTHERS:
        return False
    path.chmod(mode & ~_OTHERS)
    log.warning(
        "Andra konton på datorn kunde läsa eller ändra %s (rättigheter %04o); nu %04o.",
        path,
        mode,
        mode & ~_OTHERS,
    )
    return True
