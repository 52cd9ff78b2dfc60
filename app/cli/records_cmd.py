"""`liaison crm add|edit|delete|show TYPE ...` and `liaison crm qualify|disqualify lead ID`:
accounts, contacts, leads and opportunities kept by hand, with JSON in and out."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.cli import activity_cmd
from app.cli.errors import CommandError
from app.cli.output import print_json, print_table
from app.crm.duplicate_rules import DuplicateMatch, DuplicateRule
from app.crm.editing import HistoryEntry, to_json
from app.crm.fields import DISQUALIFY_REASONS, RECORD_FIELDS, FieldKind, FieldSpec
from app.crm.qualification import NEW, Pick, QualifyChoice
from app.crm.search import RecordSummary
from app.services.record_forms import RecordForm
from app.services.records import RecordService
from app.tracking.model import RecordType
from app.workspace import Workspace

TYPES = [record_type.value for record_type in RECORD_FIELDS]
# Keys `show --json` prints that are not fields: an edit given them back ignores them.
READ_ONLY_KEYS = frozenset({"type", "id", "display_name", "active", "owner", "history"})


def add_parsers(
    crm_commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    add_types: argparse._SubParsersAction,  # type: ignore[type-arg]
    edit_types: argparse._SubParsersAction,  # type: ignore[type-arg]
) -> None:
    """`crm delete|show|qualify|disqualify`, and the record types under `crm add` and `crm edit`
    (whose other types, appointment and task, are app.cli.schedule_cmd's)."""
    for record_type in RECORD_FIELDS:
        _add_add_parser(add_types, record_type)
        _add_edit_parser(edit_types, record_type)
    _add_delete_parser(crm_commands)
    _add_show_parser(crm_commands)
    _add_qualify_parsers(crm_commands)


def _field_flags(parser: argparse.ArgumentParser, record_type: RecordType) -> None:
    """One flag per field of the record type. Other types' fields are taken too, unlisted, so
    that `--website` on a contact is refused in words ("a contact has no field 'website'")."""
    fields = parser.add_argument_group("fields")
    own = {spec.name for spec in RECORD_FIELDS[record_type]}
    specs = {spec.name: spec for type_specs in RECORD_FIELDS.values() for spec in type_specs}
    for name, spec in specs.items():
        shown = name in own
        if spec.kind is FieldKind.EMAILS:
            fields.add_argument(
                "--email",
                dest="field_emails",
                action="append",
                metavar="ADDRESS",
                help="an address (repeat for several, the first is the primary one; editing, "
                "the given addresses replace the record's)"
                if shown
                else argparse.SUPPRESS,
            )
            continue
        fields.add_argument(
            "--" + name.replace("_", "-"),
            dest="field_" + name,
            metavar=_metavar(spec),
            help=_field_help(spec) if shown else argparse.SUPPRESS,
        )


def _metavar(spec: FieldSpec) -> str:
    if spec.is_reference:
        return "ID|ADDRESS|NAME"
    if spec.choices:
        return "|".join(spec.choices) if len(spec.choices) <= 6 else spec.name.upper()
    return {
        FieldKind.MONEY: "AMOUNT",
        FieldKind.DATE: "YYYY-MM-DD",
        FieldKind.PERCENT: "0-100",
        FieldKind.CURRENCY: "CODE",
    }.get(spec.kind, spec.name.upper().replace("_", "-"))


def _field_help(spec: FieldSpec) -> str:
    what = spec.name.replace("_", " ")
    if spec.choices and len(spec.choices) > 6:
        what += ": " + ", ".join(spec.choices)
    if spec.is_reference:
        what += (
            f", an {spec.kind.value} by id, address or name"
            if spec.kind is (FieldKind.ACCOUNT)
            else f", a {spec.kind.value} by id or address"
        )
    return what + (", required" if spec.required else "")


def _json_flags(parser: argparse.ArgumentParser, reading: bool) -> None:
    if reading:
        parser.add_argument(
            "--from-json",
            metavar="FILE",
            type=Path,
            help="read the fields from a JSON object in FILE (- for standard input); flags "
            "given too win",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="save even when the record duplicates another (same address or name)",
        )
    parser.add_argument("--json", action="store_true", help="print the record as JSON")


def _add_add_parser(
    add_types: argparse._SubParsersAction,  # type: ignore[type-arg]
    record_type: RecordType,
) -> None:
    adder: argparse.ArgumentParser = add_types.add_parser(
        record_type.value,
        help=f"create {_a(record_type)}",
        description=f"Creates {_a(record_type)} from flags, or a JSON object (--from-json). A "
        "record that has another's address or name is not created unless --force is given, as "
        "duplicate detection in the window asks first.",
    )
    _field_flags(adder, record_type)
    _json_flags(adder, reading=True)
    adder.set_defaults(handler=run_add, type=record_type.value)


def _add_edit_parser(
    edit_types: argparse._SubParsersAction,  # type: ignore[type-arg]
    record_type: RecordType,
) -> None:
    editor: argparse.ArgumentParser = edit_types.add_parser(
        record_type.value,
        help=f"change fields of {_a(record_type)}",
        description="Changes only the fields given; the record's history keeps who changed "
        "what. In a team CRM the change reaches everyone at the next sync, merged field by field.",
    )
    editor.add_argument("id", metavar="ID", help="the record's id, or an address it has")
    _field_flags(editor, record_type)
    _json_flags(editor, reading=True)
    editor.set_defaults(handler=run_edit, type=record_type.value)


def _a(record_type: RecordType) -> str:
    return ("an " if record_type.value[0] in "aeiou" else "a ") + record_type.value


def _add_delete_parser(crm_commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    deleter: argparse.ArgumentParser = crm_commands.add_parser(
        "delete",
        help="delete a record, or an appointment or task, saying first what becomes of the rest",
        description="A record (account, contact, lead, opportunity): says what becomes of the "
        "linked activities (they stay in the CRM, regarding nothing) and deletes the record when "
        "--yes is given or the answer is yes. An appointment or task (ids from `liaison crm list "
        "activities`): deletes it from the CRM, and its Exchange item too or not, as you choose; "
        "the change reaches Exchange at the next sync, once.",
    )
    deleter.add_argument("type", choices=[*TYPES, *activity_cmd.DELETABLE])
    deleter.add_argument("id", metavar="ID", help="the id, or for a record an address it has")
    deleter.add_argument("--yes", action="store_true", help="records: delete without asking")
    activity_cmd.add_exchange_choice(deleter)
    deleter.add_argument(
        "--json", action="store_true", help="appointments and tasks: print what was done as JSON"
    )
    deleter.set_defaults(handler=run_delete)


def _add_show_parser(crm_commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    shower = crm_commands.add_parser("show", help="show one record's fields and history")
    shower.add_argument("type", choices=TYPES)
    shower.add_argument("id", metavar="ID", help="the record's id, or an address it has")
    shower.add_argument(
        "--history",
        action="store_true",
        help="also who changed what, and values a team merge kept aside",
    )
    shower.add_argument("--json", action="store_true", help="print JSON for scripts")
    shower.set_defaults(handler=run_show)


def _add_qualify_parsers(crm_commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    qualifier = crm_commands.add_parser(
        "qualify",
        help="qualify a lead: an account, contact and opportunity from it",
        description="Creates (or links to existing) an account from the lead's company, a "
        "contact from its person and an opportunity from its topic, marks the lead qualified "
        "and moves its activities to the opportunity (to the contact without one).",
    )
    qualifier.add_argument("type", choices=["lead"])
    qualifier.add_argument("id", metavar="ID", help="the lead's id, or an address it has")
    for kind in ("account", "contact"):
        qualifier.add_argument(
            f"--{kind}",
            default=NEW,
            metavar="ID|new|none",
            help=f"link an existing {kind}, create one (new, the default), or none",
        )
    qualifier.add_argument("--no-opportunity", action="store_true", help="make no opportunity")
    qualifier.add_argument(
        "--force",
        action="store_true",
        help="create a new account or contact even when existing ones match the lead",
    )
    qualifier.add_argument("--json", action="store_true", help="print JSON for scripts")
    qualifier.set_defaults(handler=run_qualify)

    disqualifier = crm_commands.add_parser("disqualify", help="disqualify a lead with a reason")
    disqualifier.add_argument("type", choices=["lead"])
    disqualifier.add_argument("id", metavar="ID", help="the lead's id, or an address it has")
    disqualifier.add_argument("--reason", required=True, choices=DISQUALIFY_REASONS)
    disqualifier.set_defaults(handler=run_disqualify)


# Running


def run_add(args: argparse.Namespace) -> int:
    record_type = RecordType(args.type)
    with Workspace.open() as workspace:
        records = RecordService(workspace)
        values = _given_values(records, record_type, args)
        _refuse_duplicates(records.check_record(record_type, values), args.force)
        summary = records.save_record(record_type, values)
        form = records.record_form(summary.key)
    _print_saved("Created", summary, form, args.json)
    return 0


def run_edit(args: argparse.Namespace) -> int:
    record_type = RecordType(args.type)
    with Workspace.open() as workspace:
        records = RecordService(workspace)
        key = records.find_record(record_type, args.id).key
        values = _given_values(records, record_type, args)
        if not values:
            raise CommandError("Nothing to change: give a field flag or --from-json")
        _refuse_duplicates(records.check_record(record_type, values, key), args.force)
        summary = records.save_record(record_type, values, key)
        form = records.record_form(summary.key)
    _print_saved("Saved", summary, form, args.json)
    return 0


def run_delete(args: argparse.Namespace) -> int:
    if args.type in activity_cmd.DELETABLE:
        return activity_cmd.run_delete(args)
    if args.remove_from_exchange is not None:
        raise CommandError(
            "--keep-exchange-item and --delete-exchange-item are for appointments and tasks"
        )
    record_type = RecordType(args.type)
    with Workspace.open() as workspace:
        records = RecordService(workspace)
        summary = records.find_record(record_type, args.id)
        impact = records.deletion_impact(summary.key)
        for sentence in impact.sentences():
            print(f"{sentence}.")
        if not args.yes and not _confirmed(f"Delete {record_type.value} {summary.name}?"):
            raise CommandError(
                f"Not deleted; add --yes to delete {record_type.value} {summary.key.id}"
            )
        records.delete_record(summary.key)
    print(f"Deleted {record_type.value} {summary.key.id}: {summary.name}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    record_type = RecordType(args.type)
    with Workspace.open() as workspace:
        records = RecordService(workspace)
        summary = records.find_record(record_type, args.id)
        form = records.record_form(summary.key)
        details = records.record(summary.key)
        history = records.record_history(summary.key) if args.history else None
    shown = record_json(summary, form)
    if details is not None:
        shown["active"] = details.active
        shown["owner"] = details.owner
    if history is not None:
        shown["history"] = [_history_json(entry) for entry in history]
    if args.json:
        print_json(shown)
        return 0
    print(f"{record_type.value} {summary.key.id}: {summary.name}")
    rows = [[name, _text(value)] for name, value in shown.items() if name not in READ_ONLY_KEYS]
    print_table(["field", "value"], rows)
    if history is not None:
        print()
        print_table(
            ["when", "who", "what", "field", "from", "to"],
            [
                [
                    entry.at.isoformat(timespec="seconds") if entry.at else "",
                    entry.who or "",
                    entry.action,
                    entry.field or "",
                    _text(entry.old),
                    _text(entry.new),
                ]
                for entry in history
            ],
        )
    return 0


def run_qualify(args: argparse.Namespace) -> int:
    choice = QualifyChoice(_pick(args.account), _pick(args.contact), not args.no_opportunity)
    with Workspace.open() as workspace:
        records = RecordService(workspace)
        lead = records.find_record(RecordType.LEAD, args.id)
        matches = records.qualify_matches(lead.key)
        if not args.force:
            for kind, pick, found in (
                ("account", choice.account, matches.accounts),
                ("contact", choice.contact, matches.contacts),
            ):
                if pick == NEW and found:
                    listed = "; ".join(f"{c.id} {c.name}" for c in found)
                    raise CommandError(
                        f"Existing {kind}s may be this lead's: {listed}. Link one with "
                        f"--{kind} ID, or create a new one anyway with --force"
                    )
        outcome = records.qualify_lead(lead.key, choice)
    if args.json:
        print_json(
            {
                "lead": _key_json(lead),
                "made": [_key_json(summary) for summary in outcome.made],
                "regarding": _key_json(outcome.regarding) if outcome.regarding else None,
                "moved_activities": outcome.moved,
            }
        )
        return 0
    made = ", ".join(f"{s.key.type.value} {s.key.id} {s.name}" for s in outcome.made) or "nothing"
    print(f"Qualified lead {lead.key.id}: {made}.")
    if outcome.regarding is not None and outcome.moved:
        print(
            f"{outcome.moved} activity(ies) now regarding {outcome.regarding.key.type.value} "
            f"{outcome.regarding.name}."
        )
    return 0


def run_disqualify(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        records = RecordService(workspace)
        lead = records.find_record(RecordType.LEAD, args.id)
        records.disqualify_lead(lead.key, args.reason)
    print(f"Disqualified lead {lead.key.id} {lead.name}: {args.reason}.")
    return 0


# Helpers


def _given_values(
    records: RecordService, record_type: RecordType, args: argparse.Namespace
) -> dict[str, object]:
    values: dict[str, object] = {}
    if args.from_json is not None:
        values.update(_read_json(args.from_json))
    for name, value in vars(args).items():
        if name.startswith("field_") and value is not None:
            values[name.removeprefix("field_")] = value
    specs = {spec.name: spec for spec in RECORD_FIELDS[record_type]}
    for name, value in list(values.items()):
        spec = specs.get(name)
        if spec is not None and spec.is_reference and isinstance(value, str) and value.strip():
            values[name] = records.find_record(RecordType(spec.kind.value), value).key.id
    return values


def _read_json(path: Path) -> dict[str, object]:
    text = sys.stdin.read() if str(path) == "-" else _read_text(path)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(value, dict):
        raise CommandError(f'{path}: a JSON object of fields is needed, like {{"phone": "…"}}')
    return {key: item for key, item in value.items() if key not in READ_ONLY_KEYS}


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None


def _refuse_duplicates(matches: list[DuplicateMatch], force: bool) -> None:
    for match in matches:
        if match.is_warning_only:
            print(f"Warning: {match_words(match)}", file=sys.stderr)
    duplicates = [match for match in matches if not match.is_warning_only]
    if duplicates and not force:
        said = "; ".join(match_words(match) for match in duplicates)
        raise CommandError(f"Possible duplicate: {said}. Save anyway with --force")


def match_words(match: DuplicateMatch) -> str:
    other = match.record
    who = f"{other.type.value} {other.id} {other.name}" + (
        f" ({other.detail})" if other.detail else ""
    )
    if match.rule is DuplicateRule.CONTACTS_ADDRESS:
        return f"{match.value} is the address of {who}; a lead with it is a customer already"
    if match.rule is DuplicateRule.SAME_EMAIL:
        return f"{who} has the address {match.value}"
    return f"{who} has the same name"


def _confirmed(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes", "t", "tak")


def _pick(text: str) -> Pick:
    if text == NEW:
        return NEW
    if text == "none":
        return None
    if not text.isdigit():
        raise CommandError(f"{text!r}: give an id, new or none")
    return int(text)


def record_json(summary: RecordSummary, form: RecordForm) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "type": summary.key.type.value,
        "id": summary.key.id,
        "display_name": summary.name,
    }
    for spec in RECORD_FIELDS[form.type]:
        value = form.values.get(spec.name)
        if spec.is_reference and value is not None:
            shown[spec.name] = {"id": value, "name": form.references.get(spec.name, "")}
        else:
            shown[spec.name] = to_json(value)
    return shown


def _print_saved(verb: str, summary: RecordSummary, form: RecordForm, as_json: bool) -> None:
    if as_json:
        print_json(record_json(summary, form))
    else:
        print(f"{verb} {summary.key.type.value} {summary.key.id}: {summary.name}")


def _key_json(summary: RecordSummary) -> dict[str, Any]:
    return {"type": summary.key.type.value, "id": summary.key.id, "name": summary.name}


def _history_json(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat() if entry.at else None,
        "who": entry.who,
        "action": entry.action,
        "field": entry.field,
        "old": entry.old,
        "new": entry.new,
    }


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, Mapping):
        if "name" in value and "id" in value:
            return str(value["name"])
        return "; ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value)
