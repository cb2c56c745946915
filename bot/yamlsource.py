"""YAML loading that remembers where each mapping came from, so errors can name the line.

Hostile YAML is refused here, for every file the bot reads (config, lexicon, corpus): a key given
twice (YAML would silently keep the last), and aliases that expand beyond a small budget (the
"billion laughs" bomb: nine levels of ten aliases each are a billion values once expanded).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.errors import SourceError
from bot.text.excerpt import excerpt

MAX_SETTINGS_BYTES = 1_000_000  # config.yaml and lexicon.yaml: a few kilobytes in practice
# Aliases may add at most this many values in total once expanded; real settings and exports
# use a handful, a bomb needs millions.
MAX_ALIAS_EXPANSION = 10_000


class LineMap(dict[str, Any]):
    """A YAML mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A YAML sequence that knows the line of each item."""

    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """SafeLoader that counts what aliases expand to while composing, before anything is built."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._expansion = 0
        self._sizes: dict[int, int] = {}  # id(node) → values it stands for, once expanded
        self._open: list[str | None] = []  # anchors of the collections being composed

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            line = event.start_mark.line + 1
            if event.anchor in self._open:
                raise SourceError(str(self.name), line, f"alias *{event.anchor} refers to itself")
            if event.anchor in self.anchors:
                self._expansion += self._size(self.anchors[event.anchor])
                if self._expansion > MAX_ALIAS_EXPANSION:
                    raise SourceError(
                        str(self.name),
                        line,
                        f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values; "
                        "refusing (write the values out instead of nesting aliases)",
                    )
            return super().compose_node(parent, index)
        anchor = getattr(self.peek_event(), "anchor", None)
        self._open.append(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._open.pop()

    def _size(self, node: yaml.Node) -> int:
        """Values a node stands for with every alias inside it expanded, counted in linear
        time over the distinct nodes (shared nodes are counted once per use, never walked
        again)."""
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, yaml.SequenceNode):
            size = 1 + sum(self._size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            size = 1 + sum(self._size(k) + self._size(v) for k, v in node.value)
        else:
            size = 1
        self._sizes[id(node)] = size
        return size


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineMap:
    # Keys merged in with `<<: *base` may be overridden by the mapping's own keys; only a key the
    # mapping itself gives twice is a mistake.
    own = {id(key_node) for key_node, _ in node.value}
    loader.flatten_mapping(node)
    result = LineMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    own_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise SourceError(str(loader.name), line, f"expected a text key, got {excerpt(key)}")
        if id(key_node) in own:
            if key in own_lines:
                raise SourceError(
                    str(loader.name),
                    line,
                    f"key {excerpt(key)} is given twice (lines {own_lines[key]} and {line}); "
                    "expected each key once",
                )
            own_lines[key] = line
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """PyYAML raises a bare ValueError for an impossible date such as 2012-02-30."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{excerpt(node.value)} is not a real date ({exc})", node.start_mark
        ) from None


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read_settings_file(path: Path, limit: int = MAX_SETTINGS_BYTES) -> str:
    """A settings file's text, refused past `limit` bytes without reading further. OSError and
    UnicodeDecodeError pass through for the caller to word."""
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise SourceError(str(path), None, f"is over {limit:,} bytes; expected a settings file")
    return data.decode("utf-8")


def load_yaml(text: str, path: str) -> Any:
    """Parse YAML; any problem becomes a SourceError naming the file and line."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML forbids, found up front
        line = text.count("\n", 0, exc.position) + 1
        raise SourceError(path, line, f"not valid YAML: {exc.reason}") from None
    loader.name = path
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SourceError(path, line, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise SourceError(path, line, f"not valid YAML: {exc.reason}") from None
    except yaml.YAMLError as exc:
        raise SourceError(path, None, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise SourceError(path, None, "not valid YAML: nested too deeply") from None
    finally:
        loader.dispose()
