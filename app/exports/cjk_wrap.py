"""Breaking Chinese text into lines of a width, as a typesetter would: anywhere between two Chinese characters, but
never inside a run of Latin letters and digits (YH-350206-2026-000123, GB 50016-2014) that fits a line, never a
line that starts with closing punctuation (，。）》) nor one that ends with an opening one (（《“): 避头尾.
"""

import re
from collections.abc import Callable

NO_START = frozenset("，。、；：？！）》」』】〕〉”’%‰,.;:?!)]}…·—")
NO_END = frozenset("（《「『【〔〈“‘([{")
_TOKEN = re.compile(r"[A-Za-z0-9\-_./:%()+#]+|.", re.S)


def wrap(measure: Callable[[str], float], text: str, width: float) -> list[str]:
    """The lines of `text` (its own newlines kept) no wider than `width` by `measure`; "" gives one empty line."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(measure, paragraph, width))
    return lines


def _tokens(measure, text: str, width: float) -> list[str]:
    tokens = []
    for token in _TOKEN.findall(text):
        if len(token) > 1 and measure(token) > width:
            tokens.extend(_pieces(measure, token, width))
        else:
            tokens.append(token)
    return tokens


def _pieces(measure, run: str, width: float) -> list[str]:
    """A run longer than a line, broken after its hyphens (YH-350206-2026- | 000123), a piece still too long
    wherever it must be."""
    pieces = []
    for piece in re.findall(r"[^-]*-|[^-]+", run):
        pieces.extend(piece if measure(piece) > width else [piece])
    return pieces


def _wrap_paragraph(measure, text: str, width: float) -> list[str]:
    lines, line = [], []
    used = 0.0
    for token in _tokens(measure, text, width):
        size = measure(token)
        if not line or used + size <= width:
            line.append(token)
            used += size
            continue
        carried = _carry(line, token)
        lines.append("".join(line))
        line = [*carried, token]
        used = sum(measure(t) for t in line)
        if used > width:  # the carried characters do not fit after all: give the rule up for this line
            lines[-1] += "".join(carried)
            line, used = [token], size
    lines.append("".join(line))
    return lines


def _carry(line: list[str], token: str) -> list[str]:
    """What moves from the end of a full line to the next: the character before a closing mark (so the mark
    does not start a line), an opening mark left at the end. Never the whole line."""
    carried: list[str] = []
    if token[0] in NO_START:
        while len(line) > 1:  # back to a character that may start a line (a run of marks moves together)
            carried.insert(0, line.pop())
            if carried[0][0] not in NO_START:
                break
    while len(line) > 1 and line[-1][-1] in NO_END:
        carried.insert(0, line.pop())
    return carried
