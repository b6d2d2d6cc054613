"""A declaration's CSV rows exactly as ``csv.reader`` gives them, cheaper on plain lines.

Spreadsheets and practice systems quote a field only when it holds the separator, a quote
or a line break, so nearly every line of a declaration (interfaces.md §1a) has no ``"``
and its fields are its text split at the separator. Such a line is split by
``str.split``, at about two thirds of ``csv.reader``'s cost (#18 (b)); a line with a
quote, and the lines its quoted field spans, goes through one ``csv.reader``. The rows
and ``line_num`` are ``csv.reader``'s for every text (a property test holds them equal).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

# Where str.splitlines ends a line and csv.reader does not (both end one at \n, \r, \r\n).
_OTHER_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


class CsvRows:
    """``csv.reader(io.StringIO(text, newline=""), delimiter=separator)``: one iterator,
    so a second ``for`` goes on where the first stopped, as with ``csv.reader``."""

    def __init__(self, text: str, separator: str) -> None:
        self.line_num = 0  # physical lines read so far (a quoted field may span lines)
        self._rows = self._read(text, separator)

    def __iter__(self) -> Iterator[list[str]]:
        return self._rows

    def _read(self, text: str, separator: str) -> Iterator[list[str]]:
        lines = _physical_lines(text)
        held: list[str] = []  # the line csv.reader is to read next
        quoted = csv.reader(_held_first(held, lines), delimiter=separator)
        # A line no longer than csv's field limit cannot hold a field over it: csv.reader
        # reads a longer one, so that it raises its error for it.
        longest = csv.field_size_limit()
        for line in lines:
            if '"' in line or len(line) > longest:
                held.append(line)
                before = quoted.line_num
                row = next(quoted)
                self.line_num += quoted.line_num - before
                yield row
            else:
                self.line_num += 1
                fields = line.rstrip("\r\n")
                yield fields.split(separator) if fields else []


def _physical_lines(text: str) -> Iterator[str]:
    """The lines csv.reader reads, each with its line end."""
    if any(other in text for other in _OTHER_LINE_BREAKS):
        # newline="": a line ends at \n, \r or \r\n only, kept on the line.
        return io.StringIO(text, newline="")
    # The same lines, without StringIO's copy of the text at four bytes a character.
    return iter(text.splitlines(keepends=True))


def _held_first(held: list[str], lines: Iterator[str]) -> Iterator[str]:
    """The held line, then (inside a quoted field) the lines after it."""
    while True:
        if held:
            yield held.pop()
            continue
        line = next(lines, None)
        if line is None:
            return
        yield line
