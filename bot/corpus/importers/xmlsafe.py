"""XML from an export, parsed so that it cannot expand entities, resolve external ones or fetch
a DTD (defusedxml over expat): any of those, or XML that is not well-formed, is refused with the
file and line."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from bot.corpus.importers import model as m
from bot.corpus.importers.model import ImportFailed


def parse_xml(data: bytes, path: str) -> Element:
    try:
        return SafeElementTree.fromstring(data, forbid_dtd=True)
    except ParseError as exc:
        line, column = exc.position
        reason = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise ImportFailed(
            path, line, f"not well-formed XML (column {column + 1}): {reason}"
        ) from None
    except LookupError as exc:  # an encoding Python does not know, named in the declaration
        raise ImportFailed(path, 1, f"not readable XML: {m.short(str(exc), 80)}") from None
    except DefusedXmlException as exc:
        what = {
            "DTDForbidden": "a DTD (<!DOCTYPE …>)",
            "EntitiesForbidden": "an entity declaration (<!ENTITY …>)",
            "ExternalReferenceForbidden": "a reference to an external file or URL",
        }.get(type(exc).__name__, "an unsafe XML construct")
        raise ImportFailed(
            path,
            _line_of(data, b"<!DOCTYPE") or _line_of(data, b"<!ENTITY"),
            f"refused {what}: exports need none, and they can expand without limit, read "
            "local files or fetch URLs",
        ) from None


def _line_of(data: bytes, marker: bytes) -> int | None:
    at = data.find(marker)
    return data.count(b"\n", 0, at) + 1 if at >= 0 else None


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1 : tag.index("}")] if tag.startswith("{") else ""


def child(element: Element, name: str, ns: str | None = None) -> Element | None:
    """The first child called `name` (in namespace `ns` when given, else in any)."""
    found = children(element, name, ns)
    return found[0] if found else None


def children(element: Element, name: str, ns: str | None = None) -> list[Element]:
    return [
        item
        for item in element
        if isinstance(item.tag, str)
        and local(item.tag) == name
        and (ns is None or namespace(item.tag) == ns)
    ]


def text_of(element: Element, name: str, ns: str | None = None) -> str:
    found = child(element, name, ns)
    return (found.text or "").strip() if found is not None else ""


def texts(element: Element, ns: str) -> dict[str, str]:
    """The text of each child in namespace `ns`, by local name (the first of each name)."""
    found: dict[str, str] = {}
    prefix = "{" + ns + "}"
    for item in element:
        if isinstance(item.tag, str) and item.tag.startswith(prefix):
            found.setdefault(item.tag[len(prefix) :], (item.text or "").strip())
    return found
