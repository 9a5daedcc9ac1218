"""Request text decoded strictly as UTF-8: bytes that are not UTF-8 are a 400 naming where they are.

Starlette replaces such bytes with U+FFFD, so a query would run on text the client never sent.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from api.errors import ApiError


def decode_fields(encoded: bytes, where: str) -> dict[str, list[str]]:
    """The fields of a URL-encoded query string or form body, decoded strictly as UTF-8."""
    fields: dict[str, list[str]] = {}
    # Latin-1 maps every byte to one character and back, so each name and value is
    # recovered as the exact bytes sent (raw or percent-encoded) before the strict decode.
    for name, value in parse_qsl(encoded.decode("latin-1"), keep_blank_values=True, encoding="latin-1"):
        key = _strict_utf8(name, f"a field name of the {where}")
        fields.setdefault(key, []).append(_strict_utf8(value, f"the {key!r} field of the {where}"))
    return fields


def _strict_utf8(text: str, what: str) -> str:
    raw = text.encode("latin-1")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(
            400,
            f"{what} is not valid UTF-8 once percent-decoded (byte {error.start}: {raw[error.start]:#04x})",
        ) from error


def decode_utf8(body: bytes) -> str:
    """A request body as text: SPARQL is always UTF-8."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(400, f"the body is not valid UTF-8 (byte {error.start})") from error
