"""`ridni keys`: the encryption key ring — create it, rotate it, retire old keys."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer

from ridni.cli.context import opened_database
from ridni.cli.errors import RidniTyper
from ridni.cli.output import out
from ridni.errors import ConfigurationError, InputError
from ridni.security import keys
from ridni.security.keys import KEY_BYTES, KeyRing

app = RidniTyper(help="Encryption keys: init, rotate, retire, reindex.", no_args_is_help=True)


@app.command("init")
def init() -> None:
    """Create a new key file (refused if one exists: it would orphan encrypted data)."""
    from ridni.settings import load_settings

    settings = load_settings()
    path = settings.resolved_key_file
    if settings.keys or path.exists():
        raise InputError(
            f"keys already exist ({'RIDNI_KEYS' if settings.keys else path})",
            "use `ridni keys rotate` to add a new key",
        )
    keys.save(KeyRing.generate(), path)
    out.print(
        f"Key file written to {path} (readable by you only). Back it up apart from the "
        "database: without it, nothing encrypted can be read."
    )


def _writable(settings_keys: str | None) -> None:
    if settings_keys:
        raise ConfigurationError(
            "keys come from RIDNI_KEYS, which Ridni cannot rewrite",
            "rotate with a key file (RIDNI_KEY_FILE), then update the secret",
        )


@app.command("rotate")
def rotate(
    blind_index: Annotated[
        bool, typer.Option("--blind-index", help="Also replace the blind-index key.")
    ] = False,
) -> None:
    """Add a new primary key and re-encrypt every value under it, in one transaction."""
    from ridni.security.keyfile import load_keys
    from ridni.security.rotation import rebuild_tokens, reencrypt

    with opened_database() as (settings, db):
        _writable(settings.keys)
        old = load_keys(settings, db)
        new = old.rotated()
        if blind_index:
            new = new.with_blind_index_key(secrets.token_bytes(KEY_BYTES))
        # The file first: if the database step fails, the file merely holds one unused key.
        keys.save(
            new if not blind_index else new.with_blind_index_key(old.blind_index_key),
            settings.resolved_key_file,
        )
        db.use_keys(new)
        with db.engine.begin() as connection:
            changed = reencrypt(connection, old, new)
            rebuilt = rebuild_tokens(connection, new) if blind_index else 0
        keys.save(new, settings.resolved_key_file)
    out.print(
        f"New primary key {new.primary}: {changed} values re-encrypted"
        + (f", blind index rebuilt for {rebuilt} records" if blind_index else "")
        + "."
    )
    out.print(
        "Older keys stay in the file for older backups; `ridni keys retire` drops "
        "those no value uses."
    )


@app.command("retire")
def retire() -> None:
    """Remove from the key file the keys no value in the database still uses."""
    from ridni.security.keyfile import load_keys
    from ridni.security.rotation import keys_in_use

    with opened_database() as (settings, db):
        _writable(settings.keys)
        ring = load_keys(settings, db)
        with db.engine.connect() as connection:
            used = keys_in_use(connection)
        if used - {ring.primary}:
            raise InputError(
                f"keys still in use: {', '.join(sorted(used))}", "run `ridni keys rotate` first"
            )
        keys.save(ring.retired(), settings.resolved_key_file)
    out.print(
        f"Kept {ring.primary}; removed {len(ring.data_keys) - 1} old key(s). Backups made "
        "before the last rotation now need the old key file."
    )


@app.command("reindex")
def reindex() -> None:
    """Recompute the blind-index tokens of every record (after restoring a key file)."""
    from ridni.security.keyfile import load_keys
    from ridni.security.rotation import rebuild_tokens

    with opened_database() as (_settings, db):
        ring = load_keys(_settings, db)
        with db.engine.begin() as connection:
            count = rebuild_tokens(connection, ring)
    out.print(f"Blind index rebuilt for {count} records.")


@app.command("show")
def show() -> None:
    """Which keys exist, which is primary, which the database uses (never the keys)."""
    from ridni.security.keyfile import load_keys
    from ridni.security.rotation import keys_in_use
    from ridni.settings import load_settings
    from ridni.storage.engine import open_database

    settings = load_settings()
    db = open_database(settings.resolved_database_url, create_dirs=settings.database_url is None)
    try:
        ring = load_keys(settings, db)
        with db.engine.connect() as connection:
            used = keys_in_use(connection)
    finally:
        db.dispose()
    for name in sorted(ring.data_keys):
        flags = [
            flag for flag, on in (("primary", name == ring.primary), ("in use", name in used)) if on
        ]
        out.print(f"{name}  {', '.join(flags) or 'unused'}")
