"""Decode OTLP/HTTP request bodies and encode responses (protobuf or JSON)."""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from typing import Any, TypeVar

from google.protobuf import json_format
from google.protobuf.message import DecodeError, Message

PROTOBUF = "application/x-protobuf"
JSON = "application/json"
_MEDIA_TYPES = {PROTOBUF: PROTOBUF, "application/protobuf": PROTOBUF, JSON: JSON}

# OTLP/JSON writes these ids (spans, links, exemplars) as hex, unlike protobuf's
# JSON mapping (base64).
_HEX_ID_KEYS = frozenset(
    {"traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id"}
)

M = TypeVar("M", bound=Message)


class PayloadError(ValueError):
    """The body could not be decoded; the server answers 400."""


def media_type(content_type: str | None) -> str | None:
    """Normalise a Content-Type header to PROTOBUF or JSON, or None if unsupported."""
    if not content_type:
        return None
    base = content_type.split(";", 1)[0].strip().lower()
    return _MEDIA_TYPES.get(base)


def decompress(body: bytes, content_encoding: str | None) -> bytes:
    """Undo gzip Content-Encoding; callers have already rejected other encodings."""
    if (content_encoding or "identity").strip().lower() != "gzip":
        return body
    try:
        return gzip.decompress(body)
    except (OSError, EOFError, zlib.error) as exc:
        raise PayloadError(f"invalid gzip body: {exc}") from exc


def supported_encoding(content_encoding: str | None) -> bool:
    return (content_encoding or "identity").strip().lower() in ("identity", "gzip")


def decode_request(body: bytes, kind: str, request_type: type[M]) -> M:
    """Parse an Export*ServiceRequest of any signal from a protobuf or JSON body."""
    request = request_type()
    try:
        if kind == PROTOBUF:
            request.ParseFromString(body)
        else:
            document = _hex_ids_to_base64(json.loads(body))
            # Unknown fields must be ignored by OTLP/JSON receivers (spec).
            json_format.ParseDict(document, request, ignore_unknown_fields=True)
    except (DecodeError, json_format.ParseError, ValueError, TypeError) as exc:
        raise PayloadError(
            f"cannot decode {kind} {request.DESCRIPTOR.name}: {exc}"
        ) from exc
    return request


def encode_message(message: Message, kind: str) -> bytes:
    if kind == JSON:
        return json_format.MessageToJson(message, indent=None).encode()
    return message.SerializeToString()


def _hex_ids_to_base64(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: _hex_to_base64(value)
            if key in _HEX_ID_KEYS and isinstance(value, str)
            else _hex_ids_to_base64(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_hex_ids_to_base64(item) for item in node]
    return node


def _hex_to_base64(value: str) -> str:
    try:
        return base64.b64encode(bytes.fromhex(value)).decode()
    except ValueError as exc:
        raise PayloadError(f"id {value!r} is not hex: {exc}") from exc
