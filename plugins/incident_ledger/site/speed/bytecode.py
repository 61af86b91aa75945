"""Compiled theme templates kept across `mkdocs serve` rebuilds.

MkDocs makes a new Jinja environment for every build, so under `serve` Material's ~50
templates are parsed and compiled again after each save: about a third of a second on a
small ledger, spent on templates nobody edited. Jinja asks a bytecode cache before it
compiles; this one keeps the compiled code in memory, keyed by template and by the
environment settings that shape the code, and checked against the template's source, so
an edited template or a changed theme configuration is compiled afresh.
"""

from __future__ import annotations

from types import CodeType

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache


def signature(env: Environment) -> tuple[object, ...]:
    """The environment settings compiled code depends on: syntax, whitespace handling, extensions, escaping."""
    return (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        repr(env.autoescape),
        tuple(sorted(env.extensions)),
    )


class CompiledTemplates(BytecodeCache):
    """In-memory bytecode cache; one instance lives as long as the serve process."""

    def __init__(self) -> None:
        self.code: dict[tuple[object, ...], tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        kept = self.code.get((signature(bucket.environment), bucket.key))
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.code[(signature(bucket.environment), bucket.key)] = (bucket.checksum, bucket.code)
