"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106's recommendations)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ridni.errors import InputError

MIN_PASSWORD_LENGTH = 10
_HASHER = PasswordHasher()
# Verifying against this when the user does not exist keeps the timing of a failed login the
# same whether or not the username is known.
_DUMMY_HASH = _HASHER.hash("not-a-real-password-0")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"the password is too short ({len(password)} characters)",
            f"use at least {MIN_PASSWORD_LENGTH}; a passphrase of several words is best",
        )
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
