"""Device tokens: 32 random bytes, URL-safe; stored as SHA-256, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# The clear prefix that finds the row: 8 URL-safe characters are 48 bits, so two devices of a
# province practically never share one (and a unique constraint refuses it if they do).
PREFIX_LENGTH = 8
TOKEN_BYTES = 32
# A token is 43 characters; anything much longer is not a token and is not hashed.
MAX_TOKEN_LENGTH = 100


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    # A plain SHA-256 is enough: the token is 256 random bits, not a password to be guessed.
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)
