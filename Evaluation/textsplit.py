"""Helpers shared by the Evaluation scripts: reading JSONL and the two reference sentence
splitters (lower-cased PTB-tokenized CNN/DM text, and ordinary cased text such as BBC)."""
from __future__ import annotations

import json
import re
from pathlib import Path


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# --------------------------------------------------------------------------------------------
# Sentence splitters
# --------------------------------------------------------------------------------------------

_PTB_END = {".", "!", "?"}
_PTB_CLOSERS = {"''", "'", "\u2019", "\u201d", ")", "-rrb-", "]"}


def split_ptb(text: str) -> list[str]:
    """Sentences of lower-cased PTB-tokenized text: cut after a '.', '!' or '?' token; closing
    quote/bracket tokens that follow the end token stay with the sentence."""
    sentences, current = [], []
    tokens = text.split()
    i = 0
    while i < len(tokens):
        current.append(tokens[i])
        if tokens[i] in _PTB_END:
            while i + 1 < len(tokens) and tokens[i + 1] in _PTB_CLOSERS:
                i += 1
                current.append(tokens[i])
            sentences.append(" ".join(current))
            current = []
        i += 1
    if current:
        sentences.append(" ".join(current))
    return sentences


_SENT_END_RE = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00a3$])")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "prof", "sr", "jr", "no", "vs", "gen", "gov",
                  "sen", "rep", "rev", "lt", "col", "capt", "sgt", "inc", "corp", "co", "ltd",
                  "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                  "dec", "u.s", "u.k", "e.g", "i.e", "etc", "approx", "fig"}


def split_regex_paragraphs(text: str) -> list[list[str]]:
    """Paragraphs (text lines) of ordinary cased text, each a list of sentences: cut after
    '.', '!' or '?' (plus closing quotes/brackets) and whitespace when the next word starts with
    a capital, a digit, a currency sign or an opening quote, unless the word before the stop is
    a known abbreviation or a single capital letter (an initial)."""
    paragraphs = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        sentences, start = [], 0
        for m in _SENT_END_RE.finditer(paragraph):
            before = paragraph[start:m.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            if paragraph[m.start()] == "." and (
                    last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())):
                continue
            sentence = paragraph[start:m.end()].strip()
            if sentence:
                sentences.append(sentence)
            start = m.end()
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
        if sentences:
            paragraphs.append(sentences)
    return paragraphs


def split_regex(text: str) -> list[str]:
    return [s for p in split_regex_paragraphs(text) for s in p]
