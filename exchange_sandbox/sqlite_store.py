"""Persistence for the store in one SQLite file, so a demo mailbox survives restarts.

The store stays in memory; every operation's changes are written here in one transaction when
it ends, and everything is read back at start. Another process may write the same file
(`liaison sandbox deliver --data`); a running server notices at its next request and reloads.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from . import extended, serial
from .extended import ExtendedKey
from .model import (
    ChangeIndex,
    Delegate,
    Folder,
    Item,
    Mailbox,
    MailboxSettings,
    Tombstone,
    UserConfiguration,
)
from .store import PendingChanges, Store

SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS mailboxes (
    guid BLOB PRIMARY KEY, address TEXT NOT NULL, display_name TEXT NOT NULL,
    password TEXT, tokens TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS folders (
    mailbox BLOB NOT NULL, uuid BLOB NOT NULL, data TEXT NOT NULL, PRIMARY KEY (mailbox, uuid));
CREATE TABLE IF NOT EXISTS items (
    mailbox BLOB NOT NULL, uuid BLOB NOT NULL, data TEXT NOT NULL, PRIMARY KEY (mailbox, uuid));
CREATE TABLE IF NOT EXISTS settings (mailbox BLOB PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tombstones (
    mailbox BLOB NOT NULL, folder BLOB NOT NULL, uuid BLOB NOT NULL,
    removed INTEGER NOT NULL, arrived INTEGER NOT NULL, PRIMARY KEY (mailbox, folder, uuid));
"""
_NO_FOLDER = b""  # the folder column of a tombstone for a deleted folder


class StoreFileError(Exception):
    """The data file cannot be opened or is not a sandbox store."""


def _key_text(key: object) -> str:
    if isinstance(key, ExtendedKey):
        return "x:" + json.dumps([key.property_set, key.name, key.number, key.tag])
    return f"p:{key}"


def _key_value(text: str) -> object:
    if text.startswith("x:"):
        return ExtendedKey(*json.loads(text[2:]))
    return text[2:]


def dump_item(item: Item) -> str:
    return json.dumps(
        {
            **serial.content_of(item),
            "folder": item.folder.hex(),
            "change_number": item.change_number,
            "versions": {_key_text(k): v for k, v in item.versions.items()},
            "arrived": item.arrived,
            "content_changed": item.content_changed,
            "read_changed": item.read_changed,
            "exception_changes": {
                str(start): e.change_number for start, e in item.exceptions.items()
            },
            "soft_deleted_from": item.soft_deleted_from.hex() if item.soft_deleted_from else None,
        },
        ensure_ascii=False,
    )


def load_item(uuid: bytes, text: str) -> Item:
    data = json.loads(text)
    item = serial.item_from_content(uuid, data)
    item.folder = bytes.fromhex(data["folder"])
    item.change_number = data["change_number"]
    item.versions = {_key_value(k): v for k, v in data["versions"].items()}
    item.arrived = data["arrived"]
    item.content_changed = data["content_changed"]
    item.read_changed = data["read_changed"]
    changes = data.get("exception_changes") or {
        start: stored[1] for start, stored in data["exceptions"].items() if isinstance(stored, list)
    }
    for start, number in changes.items():
        item.exceptions[int(start)].change_number = number
    if data["soft_deleted_from"]:
        item.soft_deleted_from = bytes.fromhex(data["soft_deleted_from"])
    return item


def _dump_folder(folder: Folder) -> str:
    return json.dumps(
        {
            "parent": folder.parent.hex() if folder.parent else None,
            "name": folder.name,
            "folder_class": folder.folder_class,
            "element": folder.element,
            "distinguished": folder.distinguished,
            "change_number": folder.change_number,
            "arrived": folder.arrived,
            "extended": [extended.dump(v) for v in folder.extended.values()],
            "configurations": [_dump_configuration(c) for c in folder.configurations.values()],
        },
        ensure_ascii=False,
    )


def _dump_configuration(configuration: UserConfiguration) -> dict[str, Any]:
    return {
        "name": configuration.name,
        "uuid": configuration.uuid.hex(),
        "change_number": configuration.change_number,
        "dictionary": configuration.dictionary,
        "xml_data": _b64_or_none(configuration.xml_data),
        "binary_data": _b64_or_none(configuration.binary_data),
    }


def _load_configuration(data: dict[str, Any]) -> UserConfiguration:
    return UserConfiguration(
        name=data["name"],
        uuid=bytes.fromhex(data["uuid"]),
        change_number=data["change_number"],
        dictionary=data["dictionary"],
        xml_data=_bytes_or_none(data["xml_data"]),
        binary_data=_bytes_or_none(data["binary_data"]),
    )


def _b64_or_none(data: bytes | None) -> str | None:
    return serial.b64(data) if data is not None else None


def _bytes_or_none(text: str | None) -> bytes | None:
    return base64.b64decode(text) if text is not None else None


def _load_folder(uuid: bytes, text: str) -> Folder:
    data = json.loads(text)
    values = [extended.load(v) for v in data.get("extended", [])]
    configurations = [_load_configuration(c) for c in data.get("configurations", [])]
    return Folder(
        uuid=uuid,
        parent=bytes.fromhex(data["parent"]) if data["parent"] else None,
        name=data["name"],
        folder_class=data["folder_class"],
        element=data["element"],
        distinguished=data["distinguished"],
        change_number=data["change_number"],
        arrived=data["arrived"],
        extended={v.field.key: v for v in values},
        configurations={c.name.casefold(): c for c in configurations},
    )


def _dump_settings(settings: MailboxSettings) -> str:
    return json.dumps(
        {
            "blocked_senders": sorted(settings.blocked_senders),
            "trusted_senders": sorted(settings.trusted_senders),
            "rules": settings.rules,
            "delegates": [dataclasses.asdict(d) for d in settings.delegates],
            "deliver_meeting_requests": settings.deliver_meeting_requests,
            "max_send_size": settings.max_send_size,
        },
        ensure_ascii=False,
    )


def _load_settings(text: str) -> MailboxSettings:
    data = json.loads(text)
    return MailboxSettings(
        blocked_senders=set(data["blocked_senders"]),
        trusted_senders=set(data["trusted_senders"]),
        rules=list(data["rules"]),
        delegates=[Delegate(**d) for d in data["delegates"]],
        deliver_meeting_requests=data["deliver_meeting_requests"],
        max_send_size=data.get("max_send_size", MailboxSettings.max_send_size),
    )


def _rebuild(index: ChangeIndex, entries: list[tuple[int, bytes]]) -> None:
    for number, key in sorted(entries):
        index.touch(key, number)


class SqlitePersistence:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise StoreFileError(f"Cannot open the sandbox store {path}: {error}") from error
        self._lock = threading.Lock()
        self._seen_version = self._data_version()

    def _data_version(self) -> int:
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def changed_elsewhere(self) -> bool:
        with self._lock:
            version = self._data_version()
            changed, self._seen_version = version != self._seen_version, version
            return changed

    def close(self) -> None:
        self._db.close()

    def load(self, store: Store) -> None:
        with self._lock:
            try:
                self._load(store)
            except (sqlite3.Error, ValueError, KeyError, TypeError) as error:
                raise StoreFileError(
                    f"{self.path} is not a readable sandbox store: {error}"
                ) from error
            self._seen_version = self._data_version()

    def _load(self, store: Store) -> None:
        meta = dict(self._db.execute("SELECT key, value FROM meta"))
        if meta:
            if meta.get("schema") != SCHEMA_VERSION.encode():
                raise ValueError("unknown schema version")
            store.epoch, store.secret = meta["epoch"], meta["secret"]
        else:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [
                        ("schema", SCHEMA_VERSION.encode()),
                        ("epoch", store.epoch),
                        ("secret", store.secret),
                    ],
                )
        for guid, address, name, password, tokens, seq in self._db.execute(
            "SELECT guid, address, display_name, password, tokens, seq FROM mailboxes"
        ):
            mailbox = Mailbox(address, name, guid, password, set(json.loads(tokens)), seq=seq)
            mailbox.settings = self._load_settings(guid)
            self._load_mailbox(mailbox)
            store.attach_mailbox(mailbox)

    def _load_settings(self, guid: bytes) -> MailboxSettings:
        row = self._db.execute("SELECT data FROM settings WHERE mailbox = ?", (guid,)).fetchone()
        return _load_settings(row[0]) if row else MailboxSettings()

    def _load_mailbox(self, mailbox: Mailbox) -> None:
        guid = mailbox.guid
        for uuid, data in self._db.execute(
            "SELECT uuid, data FROM folders WHERE mailbox = ?", (guid,)
        ):
            folder = _load_folder(uuid, data)
            mailbox.folders[uuid] = folder
            if folder.distinguished:
                mailbox.distinguished[folder.distinguished] = folder
        entries: dict[bytes, list[tuple[int, bytes]]] = {uuid: [] for uuid in mailbox.folders}
        for uuid, data in self._db.execute(
            "SELECT uuid, data FROM items WHERE mailbox = ?", (guid,)
        ):
            item = load_item(uuid, data)
            folder = mailbox.folders[item.folder]
            folder.items[uuid] = item
            mailbox.items[uuid] = item
            entries[folder.uuid].append((item.last_change, uuid))
        hierarchy = [(f.change_number, f.uuid) for f in mailbox.folders.values()]
        for folder_uuid, uuid, removed, arrived in self._db.execute(
            "SELECT folder, uuid, removed, arrived FROM tombstones WHERE mailbox = ?", (guid,)
        ):
            tombstone = Tombstone(removed, arrived)
            if folder_uuid == _NO_FOLDER:
                mailbox.folder_tombstones[uuid] = tombstone
                hierarchy.append((removed, uuid))
            elif folder_uuid in mailbox.folders:
                mailbox.folders[folder_uuid].tombstones[uuid] = tombstone
                entries[folder_uuid].append((removed, uuid))
        for folder_uuid, folder_entries in entries.items():
            _rebuild(mailbox.folders[folder_uuid].changes, folder_entries)
        _rebuild(mailbox.hierarchy, hierarchy)

    def flush(self, changes: PendingChanges) -> None:
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO mailboxes VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        m.guid,
                        m.address,
                        m.display_name,
                        m.password,
                        json.dumps(sorted(m.tokens)),
                        m.seq,
                    )
                    for m in changes.mailboxes.values()
                ],
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO settings VALUES (?, ?)",
                [(m.guid, _dump_settings(m.settings)) for m in changes.mailboxes.values()],
            )
            for (guid, uuid), (_, folder) in changes.folders.items():
                if folder is None:
                    self._db.execute(
                        "DELETE FROM folders WHERE mailbox = ? AND uuid = ?", (guid, uuid)
                    )
                else:
                    self._db.execute(
                        "INSERT OR REPLACE INTO folders VALUES (?, ?, ?)",
                        (guid, uuid, _dump_folder(folder)),
                    )
            for (guid, uuid), (_, item) in changes.items.items():
                if item is None:
                    self._db.execute(
                        "DELETE FROM items WHERE mailbox = ? AND uuid = ?", (guid, uuid)
                    )
                else:
                    self._db.execute(
                        "INSERT OR REPLACE INTO items VALUES (?, ?, ?)",
                        (guid, uuid, dump_item(item)),
                    )
            self._db.executemany(
                "INSERT OR REPLACE INTO tombstones VALUES (?, ?, ?, ?, ?)",
                [
                    (mailbox.guid, folder or _NO_FOLDER, uuid, t.removed, t.arrived)
                    for mailbox, folder, uuid, t in changes.tombstones
                ],
            )
            self._seen_version = self._data_version()


def open_store(data_dir: Path) -> Store:
    """A store kept in DATA_DIR/sandbox.sqlite3 (created when missing)."""
    return Store(SqlitePersistence(data_dir / "sandbox.sqlite3"))
