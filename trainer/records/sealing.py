"""The LRS secret, sealed: it has to be sent to the store, so it cannot be hashed; it is
encrypted (Fernet: AES-128-CBC with an HMAC-SHA256 tag, from `cryptography`) under a key
derived from SECRET_KEY, so a copy of the database alone does not give it away.

Rotating SECRET_KEY with the old key kept in SECRET_KEY_FALLBACKS keeps sealed secrets
readable; without it, an administrator types the secret again.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PURPOSE = b"saq.records.lrs-secret"


class SecretUnreadable(Exception):
    """Sealed under a key the site no longer has."""


def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys() -> MultiFernet:
    return MultiFernet(
        [_fernet(key) for key in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]
    )


def secret_seal(secret: str) -> str:
    return _keys().encrypt(secret.encode()).decode()


def secret_open(sealed: str) -> str:
    try:
        return _keys().decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable from None
