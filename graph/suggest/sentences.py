"""Sentences of a source text with their exact code-point spans, split by pysbd.

pysbd returns sentences as strings; each is found again in the text from where the last one
ended, so a span always indexes the text as stored (curly quotes, dashes, CR LF and all). A
line is split on its own: headings and list items end without a full stop.

>>> text = "Ottawa said yes. It may join.\\nA heading\\n- an item"
>>> [text[start:end] for start, end in sentence_spans(text)]
['Ottawa said yes.', 'It may join.', 'A heading', '- an item']
"""

from __future__ import annotations

import re
from functools import cache

import pysbd

_LINE = re.compile(r"[^\r\n]+")


@cache
def _segmenter() -> pysbd.Segmenter:
    # clean=False: pysbd must not rewrite the text, or its sentences could not be found again.
    return pysbd.Segmenter(language="en", clean=False)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of ``text``, white space around it left out.

    >>> sentence_spans("  Hi there.  ")
    [(2, 11)]
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        cursor = line.start()
        for sentence in _segmenter().segment(line.group()):
            words = sentence.strip()
            if not words:
                continue
            start = text.find(words, cursor, line.end())
            if start == -1:  # pysbd changed the words after all: the rest of the line as one sentence
                rest = text[cursor : line.end()]
                start = cursor + len(rest) - len(rest.lstrip())
                spans.append((start, cursor + len(rest.rstrip())))
                break
            spans.append((start, start + len(words)))
            cursor = start + len(words)
    return [span for span in spans if span[1] > span[0]]
