"""Role addresses: mailboxes of a company or a function (info@, sales@, noreply@, biuro@), not
of a person. No contact or lead is ever named after one ("Info", "Noreply"); such an address
belongs on an account, or nowhere.
"""

from __future__ import annotations

import re

from app.tracking.addresses import normalise_email

# Local parts in many languages, without separators (no-reply and no_reply are noreply).
ROLE_LOCAL_PARTS = frozenset(
    str.split(
        """
    info information informacion informacao informazioni infos inform
    sales sale verkauf vertrieb ventas vendas ventes vendite sprzedaz handel
    noreply donotreply noanswer nepasrepondre nichtantworten bounce bounces mailerdaemon
    postmaster hostmaster webmaster abuse root daemon
    office biuro buero bureau ufficio oficina escritorio kancelaria sekretariat secretariat
    secretaria sekretariaat recepcja reception rezeption recepcion
    kontakt contact contacto contato contatti contacts contactus
    support supporto soporte suporte wsparcie pomoc hilfe help helpdesk servicedesk service
    serwis kundenservice customerservice customercare care
    admin administrator administracja hello hallo hola ciao witam team mail email post
    enquiries enquiry inquiries inquiry anfrage anfragen zapytania zapytanie
    billing invoice invoices faktury faktura rechnung rechnungen facturas factura
    fatture accounting buchhaltung ksiegowosc accounts payables receivables
    orders order zamowienia bestellung bestellungen pedidos commandes ordini
    newsletter news marketing press presse prasa media pr social
    hr jobs careers karriere kariera rekrutacja recruiting recruitment praca
    notifications notification notify alerts alert updates reply
    team feedback legal compliance privacy security dpo iod rodo datenschutz
    purchasing einkauf zakupy procurement logistics logistyka logistik
    shop sklep store
    """
    )
)
_SEPARATORS = re.compile(r"[-_.]+")
# "sales2@", "info-pl@", "support.de@": a role with a number or a country code after it.
_QUALIFIER = re.compile(r"(?:\d+|[a-z]{2})$")


def role_of(email: str) -> str | None:
    """The role an address stands for (`No-Reply@acme.pl` -> `noreply`), None for a person's."""
    local, at, _ = normalise_email(email).partition("@")
    if not at or not local:
        return None
    local = local.split("+", 1)[0]
    joined = _SEPARATORS.sub("", local)
    if joined in ROLE_LOCAL_PARTS:
        return joined
    parts = [part for part in _SEPARATORS.split(local) if part]
    qualified = "".join(parts[:-1])
    if len(parts) >= 2 and _QUALIFIER.fullmatch(parts[-1]) and qualified in ROLE_LOCAL_PARTS:
        return qualified
    trimmed = re.sub(r"\d+$", "", joined)
    return trimmed if trimmed != joined and trimmed in ROLE_LOCAL_PARTS else None


def is_role_address(email: str) -> bool:
    return role_of(email) is not None
