"""/me: the signed-in user as Graph's user resource."""

from __future__ import annotations

from .routes import route
from .wire import GraphRequest, GraphResponse, json_response


@route("GET", "/me")
def get_me(request: GraphRequest) -> GraphResponse:
    mailbox = request.mailbox
    return json_response(
        {
            "@odata.context": f"{request.base_url}/$metadata#users/$entity",
            "id": mailbox.guid.hex(),
            "displayName": mailbox.display_name,
            "mail": mailbox.address,
            "userPrincipalName": mailbox.address,
        }
    )
