"""Delegates: added, updated and removed, listed with their permissions, and the per-delegate
errors Exchange answers. exchangelib only models GetDelegate; AddDelegate, UpdateDelegate and
RemoveDelegate are built here from its service and element classes, as messages.xsd has them."""

from __future__ import annotations

from typing import Any

import pytest
from exchangelib import Account
from exchangelib.errors import (
    ErrorDelegateAlreadyExists,
    ErrorDelegateCannotAddOwner,
    ErrorDelegateNoUser,
    ErrorNotDelegate,
    ResponseMessageError,
)
from exchangelib.properties import DelegatePermissions, DelegateUser, DLMailbox, UserId
from exchangelib.services import GetDelegate
from exchangelib.services.common import EWSAccountService
from exchangelib.util import MNS, TNS, add_xml_child, create_element, set_xml_value

from tests.support.sandbox import Sandbox


class _DelegateUserType(DelegateUser):
    """types.xsd DelegateUserType, as requests carry it (in the types namespace)."""

    NAMESPACE = TNS


class _DelegateService(EWSAccountService):
    ERRORS_TO_CATCH_IN_RESPONSE = ResponseMessageError
    returns_elements = True

    def _elem_to_obj(self, elem: Any) -> DelegateUser:
        return DelegateUser.from_xml(elem=elem, account=self.account)

    @classmethod
    def _get_elements_in_container(cls, container: Any) -> list[Any]:
        return container.findall(DelegateUser.response_tag()) or [container]

    @classmethod
    def _response_message_tag(cls) -> str:
        return f"{{{MNS}}}DelegateUserResponseMessageType"

    def _payload(self) -> Any:
        payload = create_element(f"m:{self.SERVICE_NAME}")
        owner = DLMailbox(email_address=self.account.primary_smtp_address)
        return set_xml_value(payload, owner, version=self.account.version)

    def _delegates_payload(self, users: list[DelegateUser], deliver: str | None) -> Any:
        payload = self._payload()
        users_elem = create_element("m:DelegateUsers")
        for user in users:
            set_xml_value(users_elem, user, version=self.account.version)
        payload.append(users_elem)
        if deliver:
            add_xml_child(payload, "m:DeliverMeetingRequests", deliver)
        return payload


class AddDelegate(_DelegateService):
    SERVICE_NAME = "AddDelegate"

    def call(self, users: list[DelegateUser], deliver: str | None = None) -> list[Any]:
        return list(
            self._elems_to_objs(self._get_elements(self._delegates_payload(users, deliver)))
        )


class UpdateDelegate(_DelegateService):
    SERVICE_NAME = "UpdateDelegate"

    def call(self, users: list[DelegateUser], deliver: str | None = None) -> list[Any]:
        return list(
            self._elems_to_objs(self._get_elements(self._delegates_payload(users, deliver)))
        )


class RemoveDelegate(_DelegateService):
    SERVICE_NAME = "RemoveDelegate"

    def call(self, addresses: list[str]) -> list[Any]:
        payload = self._payload()
        ids = create_element("m:UserIds")
        for address in addresses:
            set_xml_value(ids, UserId(primary_smtp_address=address), version=self.account.version)
        payload.append(ids)
        return list(self._elems_to_objs(self._get_elements(payload)))


def _delegate(address: str, calendar: str = "Editor", inbox: str = "None") -> _DelegateUserType:
    return _DelegateUserType(
        user_id=UserId(primary_smtp_address=address),
        delegate_permissions=DelegatePermissions(
            calendar_folder_permission_level=calendar,
            inbox_folder_permission_level=inbox,
        ),
        receive_copies_of_meeting_messages=True,
        view_private_items=False,
    )


def test_an_added_delegate_is_listed_with_permissions_and_options(
    sandbox: Sandbox, account: Account
) -> None:
    assistant = sandbox.new_user("Marta Lewandowska")

    AddDelegate(account=account).call([_delegate(assistant.address)])

    (delegate,) = account.delegates
    permissions = delegate.delegate_permissions
    assert delegate.user_id.primary_smtp_address == assistant.address
    assert delegate.user_id.display_name == "Marta Lewandowska"
    assert delegate.user_id.sid.startswith("S-1-5-21-")
    assert (
        permissions.calendar_folder_permission_level,
        permissions.tasks_folder_permission_level,
    ) == (
        "Editor",
        "None",
    )
    assert (delegate.receive_copies_of_meeting_messages, delegate.view_private_items) == (
        True,
        False,
    )


def test_a_delegates_permissions_can_be_changed(sandbox: Sandbox, account: Account) -> None:
    assistant = sandbox.new_user("Marta Lewandowska")
    AddDelegate(account=account).call([_delegate(assistant.address)])

    UpdateDelegate(account=account).call(
        [_delegate(assistant.address, calendar="Reviewer", inbox="Author")]
    )

    permissions = account.delegates[0].delegate_permissions
    assert (
        permissions.calendar_folder_permission_level,
        permissions.inbox_folder_permission_level,
    ) == (
        "Reviewer",
        "Author",
    )


def test_a_removed_delegate_is_no_longer_listed(sandbox: Sandbox, account: Account) -> None:
    assistant = sandbox.new_user("Marta Lewandowska")
    AddDelegate(account=account).call([_delegate(assistant.address)])

    RemoveDelegate(account=account).call([assistant.address])

    assert account.delegates == []


def test_each_delegate_of_a_request_gets_its_own_answer(sandbox: Sandbox, account: Account) -> None:
    assistant = sandbox.new_user("Marta Lewandowska")
    AddDelegate(account=account).call([_delegate(assistant.address)])

    results = AddDelegate(account=account).call(
        [
            _delegate(assistant.address),
            _delegate(account.primary_smtp_address),
            _delegate("nikt@gdzie-indziej.example"),
        ]
    )

    assert [type(r) for r in results] == [
        ErrorDelegateAlreadyExists,
        ErrorDelegateCannotAddOwner,
        ErrorDelegateNoUser,
    ]
    assert [d.user_id.primary_smtp_address for d in account.delegates] == [assistant.address]


def test_removing_someone_who_is_no_delegate_is_refused(sandbox: Sandbox, account: Account) -> None:
    stranger = sandbox.new_user("Jan Nowak")

    (result,) = RemoveDelegate(account=account).call([stranger.address])

    assert isinstance(result, ErrorNotDelegate)


def test_asking_for_someone_who_is_no_delegate_is_refused(
    sandbox: Sandbox, account: Account
) -> None:
    stranger = sandbox.new_user("Jan Nowak")

    with pytest.raises(ErrorNotDelegate):
        list(
            GetDelegate(account=account).call(
                user_ids=[stranger.address], include_permissions=False
            )
        )
