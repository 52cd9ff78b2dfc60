"""Managing folders through exchangelib as Exchange answers it: moving, deleting and emptying,
counts after changes, navigation (`/`, `//`, glob, walk), folder types from container classes,
names without regard to case, extended properties on folders, user configuration objects and
the public folders root of an organisation that has none."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from exchangelib import Account, ExtendedProperty, Message
from exchangelib.errors import (
    ErrorDeleteDistinguishedFolder,
    ErrorFolderExists,
    ErrorFolderNotFound,
    ErrorItemNotFound,
    ErrorItemSave,
    ErrorMoveCopyFailed,
    ErrorMoveDistinguishedFolder,
    ErrorNoPublicFolderReplicaAvailable,
)
from exchangelib.folders import Calendar, Contacts, Folder, Tasks
from exchangelib.items import HARD_DELETE, MOVE_TO_DELETED_ITEMS

from tests.support.sandbox import Sandbox, SandboxUser


def _folder(parent: Folder, name: str, folder_class: str | None = None) -> Folder:
    folder = Folder(parent=parent, name=name, folder_class=folder_class)
    folder.save()
    return folder


def _inquiry(account: Account, folder: Folder, subject: str) -> Message:
    message = Message(account=account, folder=folder, subject=subject, body="Bitte um Angebot.")
    message.save()
    return message


def _again(parent: Folder, name: str) -> Folder:
    """The folder as the server now describes it."""
    return parent // name


# --- moving, deleting, emptying -------------------------------------------------------------


def test_a_moved_folder_keeps_its_id_and_hangs_under_its_new_parent(account: Account) -> None:
    customers = _folder(account.inbox, "Kunden")
    archive = _folder(account.msg_folder_root, "Archiv 2025")
    folder_id = customers.id

    customers.move(archive)

    moved = account.msg_folder_root // "Archiv 2025" // "Kunden"
    assert moved.id == folder_id
    assert moved.parent_folder_id.id == archive.id
    assert _again(account.msg_folder_root, "Archiv 2025").child_folder_count == 1
    assert [f.name for f in account.inbox.children] == []


def test_a_moved_folder_takes_its_messages_along(account: Account) -> None:
    offers = _folder(account.inbox, "Angebote")
    _inquiry(account, offers, "Anfrage Palettenregale")
    archive = _folder(account.msg_folder_root, "Ablage")

    offers.move(archive)

    assert [m.subject for m in (account.msg_folder_root // "Ablage" // "Angebote").all()] == [
        "Anfrage Palettenregale"
    ]


def test_a_folder_cannot_move_into_its_own_subfolder(account: Account) -> None:
    projects = _folder(account.inbox, "Projekte")
    running = _folder(projects, "Laufend")

    with pytest.raises(ErrorMoveCopyFailed):
        projects.move(running)


def test_a_distinguished_folder_cannot_be_moved(account: Account) -> None:
    archive = _folder(account.msg_folder_root, "Archiv")

    with pytest.raises(ErrorMoveDistinguishedFolder):
        account.inbox.move(archive)


def test_a_move_onto_a_name_that_differs_only_in_case_is_refused(account: Account) -> None:
    _folder(account.msg_folder_root, "Rechnungen")
    invoices = _folder(account.inbox, "RECHNUNGEN")

    with pytest.raises(ErrorFolderExists):
        invoices.move(account.msg_folder_root)


def test_a_folder_deleted_to_deleted_items_keeps_its_mail(account: Account) -> None:
    old = _folder(account.inbox, "Messe Hannover 2024")
    _inquiry(account, old, "Standplan Halle 27")

    old.delete(delete_type=MOVE_TO_DELETED_ITEMS)

    in_trash = account.trash // "Messe Hannover 2024"
    assert [m.subject for m in in_trash.all()] == ["Standplan Halle 27"]


def test_a_hard_deleted_folder_is_gone_with_its_subfolders(account: Account) -> None:
    old = _folder(account.inbox, "Alt")
    _folder(old, "Noch älter")

    old.delete(delete_type=HARD_DELETE)

    names = {f.name for f in account.msg_folder_root.walk()}
    assert "Alt" not in names and "Noch älter" not in names


def test_a_distinguished_folder_cannot_be_deleted(account: Account) -> None:
    with pytest.raises(ErrorDeleteDistinguishedFolder):
        account.drafts.delete()


def test_emptying_a_folder_to_deleted_items_moves_its_mail_there(account: Account) -> None:
    newsletters = _folder(account.inbox, "Newsletter")
    _inquiry(account, newsletters, "Logistik Heute 10/2026")
    _inquiry(account, newsletters, "DVZ Wochenausgabe")

    newsletters.empty(delete_type=MOVE_TO_DELETED_ITEMS)

    assert _again(account.inbox, "Newsletter").total_count == 0
    assert sorted(m.subject for m in account.trash.all()) == [
        "DVZ Wochenausgabe",
        "Logistik Heute 10/2026",
    ]


def test_emptying_with_subfolders_removes_them_too(account: Account) -> None:
    team = _folder(account.inbox, "Team")
    _folder(team, "Urlaub")
    _inquiry(account, team, "Dienstplan Dezember")

    team.empty(delete_type=HARD_DELETE, delete_sub_folders=True)

    refreshed = _again(account.inbox, "Team")
    assert (refreshed.total_count, refreshed.child_folder_count) == (0, 0)
    assert list(account.trash.all()) == []


# --- counts ---------------------------------------------------------------------------------


def test_folder_counts_follow_delivered_read_and_deleted_mail(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    for subject in ("Lieferavis 4711", "Lieferavis 4712", "Lieferavis 4713"):
        sandbox.server.deliver(
            user.address,
            f"From: Disposition <dispo@hansa-frachten.example>\r\nTo: {user.address}\r\n"
            f"Subject: {subject}\r\n\r\nAnbei das Avis.\r\n".encode(),
        )
    first, second, _ = account.inbox.all().order_by("subject")

    first.is_read = True
    first.save(update_fields=["is_read"])
    second.delete()

    account.inbox.refresh()
    inbox = account.inbox
    assert (inbox.total_count, inbox.unread_count) == (2, 1)


def test_child_folder_count_follows_created_and_deleted_subfolders(account: Account) -> None:
    north = _folder(account.inbox, "Nord")
    _folder(account.inbox, "Süd")

    north.delete()

    account.inbox.refresh()
    assert account.inbox.child_folder_count == 1


# --- navigation -----------------------------------------------------------------------------


@pytest.fixture
def customer_tree(account: Account) -> Folder:
    customers = _folder(account.inbox, "Kunden")
    north = _folder(customers, "Nord")
    _folder(north, "Hamburg")
    _folder(north, "Bremen")
    south = _folder(customers, "Süd")
    _folder(south, "München")
    return customers


def test_slash_navigation_walks_the_tree_from_the_root(
    account: Account, customer_tree: Folder
) -> None:
    account.root.refresh()

    hamburg = account.root / "Top of Information Store" / "Inbox" / "Kunden" / "Nord" / "Hamburg"

    assert hamburg.name == "Hamburg"


def test_double_slash_asks_the_server_and_ignores_case(
    account: Account, customer_tree: Folder
) -> None:
    found = account.inbox // "kunden" // "NORD" // "hamburg"

    assert found.name == "Hamburg"


def test_glob_matches_names_at_one_level_and_at_any_depth(
    account: Account, customer_tree: Folder
) -> None:
    account.root.refresh()

    one_level = sorted(f.name for f in account.inbox.glob("Kunden/*"))
    any_depth = sorted(f.name for f in account.inbox.glob("**/m*"))

    assert one_level == ["Nord", "Süd"]
    assert any_depth == ["München"]


def test_walk_yields_every_folder_below(account: Account, customer_tree: Folder) -> None:
    account.root.refresh()

    names = sorted(f.name for f in customer_tree.walk())

    assert names == ["Bremen", "Hamburg", "München", "Nord", "Süd"]


# --- folder classes and names ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("container_class", "folder_type"),
    [
        ("IPF.Appointment", Calendar),
        ("IPF.Contact", Contacts),
        ("IPF.Task", Tasks),
    ],
)
def test_a_generic_folder_takes_the_type_of_its_container_class(
    account: Account, container_class: str, folder_type: type[Folder]
) -> None:
    _folder(account.msg_folder_root, "Vertrieb Nord", container_class)

    found = account.msg_folder_root // "Vertrieb Nord"

    assert isinstance(found, folder_type)
    assert found.folder_class == container_class


def test_a_rename_that_changes_only_case_is_allowed(account: Account) -> None:
    folder = _folder(account.inbox, "projekte")

    folder.name = "Projekte"
    folder.save(update_fields=["name"])

    assert (account.inbox // "projekte").name == "Projekte"


def test_a_rename_onto_a_sibling_name_in_other_case_is_refused(account: Account) -> None:
    _folder(account.inbox, "Angebote")
    folder = _folder(account.inbox, "Anfragen")

    folder.name = "ANGEBOTE"
    with pytest.raises(ErrorFolderExists):
        folder.save(update_fields=["name"])


# --- extended properties --------------------------------------------------------------------


class CrmTerritory(ExtendedProperty):
    property_set_id = "3b8f5a1e-6c2d-4e7f-9a41-5d0c7e2b8f63"
    property_name = "CrmTerritory"
    property_type = "String"


@pytest.fixture
def territory_on_folders() -> Iterator[None]:
    Folder.register("crm_territory", CrmTerritory)
    try:
        yield
    finally:
        Folder.deregister("crm_territory")


def test_an_extended_property_set_on_a_new_folder_comes_back(
    account: Account, territory_on_folders: None
) -> None:
    folder = Folder(parent=account.inbox, name="Gebiet Pommern", crm_territory="PL-Nord")
    folder.save()

    assert (account.inbox // "Gebiet Pommern").crm_territory == "PL-Nord"


def test_an_extended_property_on_a_folder_can_be_changed_and_removed(
    account: Account, territory_on_folders: None
) -> None:
    folder = Folder(parent=account.inbox, name="Gebiet Sachsen", crm_territory="DE-Ost")
    folder.save()

    folder.crm_territory = "DE-Mitte"
    folder.save(update_fields=["crm_territory"])
    changed = (account.inbox // "Gebiet Sachsen").crm_territory
    folder.crm_territory = None
    folder.save(update_fields=["crm_territory"])

    assert changed == "DE-Mitte"
    assert (account.inbox // "Gebiet Sachsen").crm_territory is None


# --- user configuration ---------------------------------------------------------------------


def test_a_user_configuration_round_trips_its_dictionary_xml_and_binary_data(
    account: Account,
) -> None:
    account.calendar.create_user_configuration(
        name="Liaison.Calendar",
        dictionary={"ShowWeekNumbers": True, "WorkdayStart": 480, "Region": "Pomorze"},
        xml_data=b"<settings><view>week</view></settings>",
        binary_data=b"\x00\x01\x02\xff",
    )

    stored = account.calendar.get_user_configuration(name="Liaison.Calendar")

    assert stored.dictionary == {"ShowWeekNumbers": True, "WorkdayStart": 480, "Region": "Pomorze"}
    assert stored.xml_data == b"<settings><view>week</view></settings>"
    assert stored.binary_data == b"\x00\x01\x02\xff"
    assert stored.id is not None


def test_updating_a_user_configuration_replaces_the_parts_given(account: Account) -> None:
    account.inbox.create_user_configuration(
        name="Liaison.Tracking", dictionary={"Mode": "manual"}, binary_data=b"\x01"
    )

    account.inbox.update_user_configuration(name="liaison.tracking", dictionary={"Mode": "auto"})

    stored = account.inbox.get_user_configuration(name="Liaison.Tracking")
    assert (stored.dictionary, stored.binary_data) == ({"Mode": "auto"}, b"\x01")


def test_a_second_user_configuration_of_the_same_name_is_refused(account: Account) -> None:
    account.inbox.create_user_configuration(name="Liaison.Tracking", dictionary={"Mode": "x"})

    with pytest.raises(ErrorItemSave):
        account.inbox.create_user_configuration(name="LIAISON.TRACKING", dictionary={"Mode": "y"})


def test_a_deleted_user_configuration_is_not_found(account: Account) -> None:
    account.drafts.create_user_configuration(name="Liaison.Drafts", xml_data=b"<a/>")

    account.drafts.delete_user_configuration(name="Liaison.Drafts")

    with pytest.raises(ErrorItemNotFound):
        account.drafts.get_user_configuration(name="Liaison.Drafts")


# --- public folders -------------------------------------------------------------------------


def test_the_public_folders_root_of_an_organisation_without_public_folders(
    account: Account,
) -> None:
    with pytest.raises(ErrorFolderNotFound) as missing:
        account.public_folders_root  # noqa: B018 - the property access is the request

    assert isinstance(missing.value.__context__, ErrorNoPublicFolderReplicaAvailable)


def test_hierarchy_sync_reports_a_moved_folder_as_an_update_with_its_new_parent(
    account: Account,
) -> None:
    folder = _folder(account.inbox, "Spedition")
    archive = _folder(account.msg_folder_root, "Erledigt")
    root = account.msg_folder_root
    list(root.sync_hierarchy())
    state = root.folder_sync_state

    folder.move(archive)
    changes = list(root.sync_hierarchy(sync_state=state))

    updated = [f for change, f in changes if change == "update" and f.name == "Spedition"]
    assert [f.parent_folder_id.id for f in updated] == [archive.id]
