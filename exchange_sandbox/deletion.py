"""Where deleted items and folders go, by DeleteType, as Exchange sends them: HardDelete purges,
SoftDelete moves to the dumpster (Recoverable Items), MoveToDeletedItems to Deleted Items, and a
second delete from there goes one step further."""

from __future__ import annotations

from .model import Folder, Item, Mailbox
from .store import Store

DELETE_TYPES = ("HardDelete", "SoftDelete", "MoveToDeletedItems")


def delete_item(store: Store, mailbox: Mailbox, item: Item, delete_type: str) -> None:
    folder = mailbox.folders[item.folder]
    dumpster = mailbox.distinguished["recoverableitemsdeletions"]
    trash = mailbox.distinguished["deleteditems"]
    if delete_type == "HardDelete" or folder is dumpster:
        store.remove_item(mailbox, item)
    elif delete_type == "MoveToDeletedItems" and folder is not trash:
        store.move_item(mailbox, item, trash)
    else:
        origin = item.folder
        moved = store.move_item(mailbox, item, dumpster)
        moved.soft_deleted_from = origin


def delete_folder(store: Store, mailbox: Mailbox, folder: Folder, delete_type: str) -> None:
    """A folder moved to Deleted Items keeps its contents; the dumpster is not browsable, so a
    soft-deleted folder is gone from the hierarchy as a hard-deleted one is."""
    trash = mailbox.distinguished["deleteditems"]
    in_trash = folder.parent == trash.uuid or mailbox.is_under(folder, trash)
    if delete_type == "MoveToDeletedItems" and not in_trash:
        store.move_folder(mailbox, folder, trash)
    else:
        store.delete_folder(mailbox, folder)
