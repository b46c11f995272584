"""``demine user``: accounts for the web application, and API tokens for scripts."""

from __future__ import annotations

from typing import Annotated

import typer

from demine.cli.context import CliState, console, opened_store
from demine.errors import InvalidRequestError
from demine.i18n import LANGUAGE_NAMES, _

# The store is imported inside each command, so that ``demine --help`` starts at once.

app = typer.Typer(help="Web user accounts and API tokens.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[
        str,
        typer.Option(help="administrator, information_manager, data_entry or viewer."),
    ],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="At least 10 characters (asked for when not given).",
        ),
    ],
    organisation: Annotated[str | None, typer.Option(help="Organisation code.")] = None,
    name: Annotated[str | None, typer.Option(help="Full name.")] = None,
    victim_data: Annotated[
        bool, typer.Option(help="Grant access to victims' personal data (logged).")
    ] = False,
) -> None:
    """Create a user account."""
    from demine.store.users import add_user

    state: CliState = ctx.obj
    with opened_store(state) as store, store.write() as connection:
        user = add_user(
            connection, username, password, role,
            display_name=name, organisation=organisation, victim_data=victim_data,
        )  # fmt: skip
    console.print(
        _("User {user} ({role}) created.").format(user=user.username, role=user.role.value),
        highlight=False,
    )


@app.command("list")
def list_command(ctx: typer.Context) -> None:
    """List user accounts."""
    from demine.store.users import list_users

    state: CliState = ctx.obj
    with opened_store(state) as store, store.read() as connection:
        users = list_users(connection)
    for user in users:
        flags = [user.role.value]
        if user.victim_data:
            flags.append("victim_data")
        if user.organisation:
            flags.append(user.organisation)
        if user.disabled:
            flags.append(_("disabled"))
        if user.language:
            flags.append(f"lang={user.language}")
        typer.echo(f"{user.username}\t{', '.join(flags)}")


@app.command("disable")
def disable(ctx: typer.Context, username: Annotated[str, typer.Argument()]) -> None:
    """Disable an account: its sessions end and its API tokens are revoked, for good."""
    from demine.store.users import set_disabled

    state: CliState = ctx.obj
    with opened_store(state) as store, store.write() as connection:
        set_disabled(connection, username, True)
    console.print(_("User {user} disabled.").format(user=username), highlight=False)


@app.command("enable")
def enable(ctx: typer.Context, username: Annotated[str, typer.Argument()]) -> None:
    """Enable a disabled account again (it logs in anew; old sessions and tokens stay dead)."""
    from demine.store.users import set_disabled

    state: CliState = ctx.obj
    with opened_store(state) as store, store.write() as connection:
        set_disabled(connection, username, False)
    console.print(_("User {user} enabled.").format(user=username), highlight=False)


@app.command("password")
def password(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument()],
    new_password: Annotated[
        str,
        typer.Option(
            "--password",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="At least 10 characters (asked for when not given).",
        ),
    ],
) -> None:
    """Change an account's password: every web session of the account ends."""
    from demine.store.users import set_password

    state: CliState = ctx.obj
    with opened_store(state) as store, store.write() as connection:
        set_password(connection, username, new_password)
    console.print(
        _("Password of {user} changed; its web sessions have ended.").format(user=username),
        highlight=False,
    )


@app.command("language")
def language(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument()],
    chosen: Annotated[
        str | None,
        typer.Argument(
            metavar="[LANG]",
            help="en, az or ru: the language the web pages speak to this user (not given: "
            "show the one kept).",
        ),
    ] = None,
    browser: Annotated[
        bool,
        typer.Option(
            "--browser", help="Forget the language kept: the user's browser chooses again."
        ),
    ] = False,
) -> None:
    """Show or set the language a user reads the web pages in (the page switcher sets it
    too)."""
    from demine.settings import chosen_language
    from demine.store.users import get_user, set_language

    state: CliState = ctx.obj
    if chosen is not None and browser:
        raise InvalidRequestError(_("give either a language or --browser, not both"))
    if chosen is None and not browser:
        with opened_store(state) as store, store.read() as connection:
            kept = get_user(connection, username).language
        typer.echo(kept or _("none kept (the browser's language)"))
        return
    language = chosen_language(chosen, "LANG") if chosen is not None else None
    with opened_store(state) as store, store.write() as connection:
        set_language(connection, username, language)
    if language is None:
        message = _("{user} reads the web pages in their browser's language.")
    else:
        message = _("Language of the web pages for {user}: {language}.")
    console.print(
        message.format(user=username, language=LANGUAGE_NAMES.get(language or "", "")),
        highlight=False,
    )


@app.command("token")
def token(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "script",
) -> None:
    """Create an API token for a user (printed once; only its hash is stored)."""
    from demine.store.users import create_token

    state: CliState = ctx.obj
    with opened_store(state) as store, store.write() as connection:
        value = create_token(connection, username, name)
    typer.echo(value)


@app.command("tokens")
def tokens(ctx: typer.Context, username: Annotated[str, typer.Argument()]) -> None:
    """List a user's API tokens: id, name, created, last used, revoked (never the token)."""
    from demine.store.users import list_tokens

    state: CliState = ctx.obj
    with opened_store(state) as store, store.read() as connection:
        found = list_tokens(connection, username)
    if not found:
        console.print(_("{user} has no API tokens.").format(user=username), highlight=False)
        return
    typer.echo("\t".join(("id", "name", "created", "last_used", "revoked")))
    for item in found:
        used = item.last_used_at.isoformat(timespec="seconds") if item.last_used_at else "-"
        typer.echo(
            "\t".join(
                (
                    str(item.id),
                    item.name,
                    item.created_at.isoformat(timespec="seconds"),
                    used,
                    "yes" if item.revoked else "no",
                )
            )
        )


@app.command("revoke-token")
def revoke_token_command(
    ctx: typer.Context,
    token_id: Annotated[int, typer.Argument(help="The token's id (see demine user tokens).")],
) -> None:
    """Revoke an API token for good: requests with it are refused from now on."""
    from demine.store.users import revoke_token

    state: CliState = ctx.obj
    with opened_store(state) as store, store.write() as connection:
        revoked = revoke_token(connection, token_id)
    console.print(
        _("API token {id} ({name}) of {user} revoked.").format(
            id=revoked.id, name=revoked.name, user=revoked.username
        ),
        highlight=False,
    )
