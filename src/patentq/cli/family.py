"""``patentq family``: one family, everything about it."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from .options import StageProgress, echo_json, json_option, session_options

MEMBER_COLUMNS = ("publication_number", "country_code", "kind_code", "publication_date", "is_grant", "claims_count")


@click.command("family")
@click.argument("number", metavar="PUBLICATION_NUMBER")
@session_options
@json_option
def family_command(number, session, as_json):
    """Print the family of PUBLICATION_NUMBER: members, every indicator, its cohort, applicant groups."""
    from ..family_report import family_report

    with StageProgress(quiet=as_json) as progress:
        session.require("families", "family_indicators", "applicant_groups", progress=progress)
    report = family_report(session, number)
    if as_json:
        echo_json(report)
        return
    out = Console()
    out.print(f"[bold]family {report['family_id']}[/] ({report['members']} member{'' if report['members'] == 1 else 's'}, offices {', '.join(report['offices'])})")
    members = Table(title="members")
    for col in MEMBER_COLUMNS:
        members.add_column(col)
    for m in report["members_list"]:
        members.add_row(*["" if m[c] is None else str(m[c]) for c in MEMBER_COLUMNS])
    out.print(members)
    values = Table(title="indicators")
    values.add_column("indicator")
    values.add_column("value")
    skip = {"members_list", "applicant_groups", "attribution", "cohort"}
    for key, value in report.items():
        if key not in skip:
            values.add_row(key, "" if value is None else str(value))
    out.print(values)
    groups = ", ".join(g["group_name"] for g in report["applicant_groups"]) or "(none in the lake)"
    out.print(f"applicant groups: {groups}")
    if report["attribution"]:
        for by, rows in report["attribution"].items():
            out.print(f"attribution by {by}: {rows}")


def register(main):
    main.add_command(family_command)
