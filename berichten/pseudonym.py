"""Pseudonymisation of the BSN: a keyed hash (HMAC-SHA256) with one secret key per municipality.

The key file lives *outside* the store: by default next to it as ``<store>.sleutel``
(e.g. ``berichten.duckdb.sleutel``), or wherever ``key_path`` says. It is a small JSON file
``{"0384": "<64 hex characters>", ...}``, created on first use with owner-only permissions.
Whoever holds the key file can recompute a pseudonym from a BSN; the store alone cannot be
traced back to a person. Keep the key file with the municipality (not on a shared drive
with the store if the store is shared) and back it up: without it new imports produce
different pseudonyms. The store records a fingerprint of each key (an HMAC of a fixed text,
not the key), so a store refuses an import with a different key for the same municipality.

>>> keys = Keyring({"0384": bytes(32)})
>>> keys.pseudonym("0384", "999990019")
'pbc2123df1b7614d2'
>>> keys.pseudonym("0384", "999990019") == keys.pseudonym("0363", "999990019")
False
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

from calc.errors import InputError

#: Pseudonym length in hex characters after the 'p' (64 bits: no collisions at municipal scale).
PSEUDONYM_HEX = 16
_CHECK_TEXT = b"grip-sleutelcontrole"


def default_key_path(store_path: Path) -> Path:
    """``<store>.sleutel`` beside the store file."""
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + ".sleutel")


class Keyring:
    """The municipality keys; creates a key for a municipality on its first use."""

    def __init__(self, keys: dict[str, bytes] | None = None, path: Path | None = None) -> None:
        self._keys = dict(keys or {})
        self._path = path
        self._cache: dict[tuple[str, str], str] = {}

    @classmethod
    def load(cls, path: Path) -> "Keyring":
        """Read the key file (an absent file is an empty keyring that will be created)."""
        path = Path(path)
        keys = {}
        if path.exists():
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                keys = {str(k): bytes.fromhex(v) for k, v in raw.items()}
            except (ValueError, AttributeError) as exc:
                raise InputError(f"sleutelbestand {path} is onleesbaar ({type(exc).__name__})",
                                 argument="sleutel") from None
        return cls(keys, path)

    def key(self, municipality: str) -> bytes:
        """The key of a municipality, created (and saved) on first use.

        Creating is atomic across processes: under an exclusive lock on
        ``<key file>.lock`` the key file is read again, and only a municipality that is
        still absent gets a new key; the file is replaced whole (write + rename). Two
        first imports at once therefore agree on one key.
        """
        key = self._keys.get(municipality)
        if key is None:
            if self._path is None:
                key = self._keys[municipality] = secrets.token_bytes(32)
                return key
            with _exclusive(self._path):
                on_disk = Keyring.load(self._path)._keys
                key = on_disk.get(municipality)
                if key is None:
                    key = on_disk[municipality] = secrets.token_bytes(32)
                    self._keys.update(on_disk)
                    self._save()
                self._keys.update(on_disk)
        return key

    def fingerprint(self, municipality: str) -> str:
        """A public check value of the key (not the key, not reversible)."""
        return hmac.new(self.key(municipality), _CHECK_TEXT, hashlib.sha256).hexdigest()[:16]

    def pseudonym(self, municipality: str, bsn: str) -> str:
        """The pseudonym of a BSN within a municipality: 'p' + 16 hex characters."""
        ck = (municipality, bsn)
        out = self._cache.get(ck)
        if out is None:
            digest = hmac.new(self.key(municipality), bsn.encode("ascii"), hashlib.sha256)
            out = "p" + digest.hexdigest()[:PSEUDONYM_HEX]
            if len(self._cache) < 1_000_000:
                self._cache[ck] = out
        return out

    def _save(self) -> None:
        if self._path is None:
            return
        tmp = self._path.with_name(f"{self._path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({k: v.hex() for k, v in sorted(self._keys.items())}, f, indent=1)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self._path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive OS lock on ``<path>.lock`` (released by the OS if the process dies)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(path.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows only
            import msvcrt

            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
