"""An article body split into chunks, of which the generic pass kept the first.

Some CMSs print a long body as a run of containers of one tag and class with only an ad slot
between them (an empty block, or a label such as "Advertisement"). trafilatura takes the first
element its body expressions match, so it keeps the first chunk and loses the rest of the
story. The later chunks are found by structure alone: the container holding most of the kept
paragraphs (at least two of them) has a class; elements of the same tag and class that follow
it under a common ancestor a few levels up, separated from it and from each other by no link
and a few words at most, whose text reads as prose (most of it paragraphs of a dozen words that
end like sentences), are the rest of the body. Their paragraphs are put back after the last line
of the kept chunk; widgets ending the last chunk are then trimmed like any other furniture.
"""
from __future__ import annotations

from lxml import etree

from crawler.extract.quotes import PROSE_WORDS, Blocks
from crawler.extract.text import SENTENCE_ENDS, BodyKeys, block_lines, ends_as_sentence, line_key

_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")
# Blocks under one of these are a caption, a pull quote or a widget; a chunk under one of them
# is the page's frame (a footer's container of the same class).
_NOT_BODY = frozenset(("aside", "nav", "footer", "form", "figure", "header"))
_SKIP = frozenset(("script", "style", "noscript", "template"))
LEVELS = 4  # how far up the chunks' common ancestor may be (grid rows of wrapped cells: 4)
MIN_KEPT = 2  # kept paragraphs in the container: one is a paragraph's own wrapper
MAX_CHUNKS = 30
GAP_WORDS = 6  # "Advertisement", "Story continues below advertisement"
PROSE_SHARE = 0.6  # of a chunk's new words, in prose paragraphs
_ENDS = (*SENTENCE_ENDS, ":")  # a chunk's paragraph may open a list


def restore_chunks(lines: list[str], blocks: Blocks) -> list[str]:
    """`lines` with the paragraphs of the chunks that follow the last kept one put back after
    its last line (`blocks`: `quotes.page_blocks` of the page)."""
    if len(lines) < MIN_KEPT:
        return lines
    body = BodyKeys(line_key(line) for line in lines)
    found = _main_container(blocks, body)
    if found is None:
        return lines
    main, top, last = found
    if not any(el.get("class") == main.get("class") for el in top.iter(main.tag)
               if el is not main):
        return lines  # no other chunk (most pages): no walk
    run = _run(main, top)
    # The chunks up to the one holding the last kept paragraph are trafilatura's own choice
    # (what it left out of them it left out on purpose); only those after it were never read.
    owner = next((c for c in (main, *run) if c is last or _inside(last, c)), None)
    if owner is None:
        return lines  # it kept text after the chunks: they were read
    run = run[run.index(owner) + 1:] if owner is not main else run
    added: list[str] = []
    for chunk in run:
        new = _chunk_lines(chunk, body)
        # Prose paragraphs right under the chunk, as the kept ones are right under `main`
        # (a comment list's paragraphs sit in its items).
        words = [len(line.split()) for _, line in new]
        prose = sum(w for w, (el, line) in zip(words, new, strict=True)
                    if el.tag == "p" and el.getparent() is chunk and _prose(line, w))
        if not new or prose < PROSE_SHARE * sum(words):
            break  # a widget of the same class: the story has ended
        added.extend(line for _, line in new)
        body.extend(line_key(line) for _, line in new)
    if not added:
        return lines
    owner_key = " " + line_key(" ".join(block_lines(owner))) + " "
    anchor = next((i for i in range(len(lines) - 1, -1, -1)
                   if f" {line_key(lines[i])} " in owner_key), len(lines) - 1)
    return lines[:anchor + 1] + added + lines[anchor + 1:]


def _inside(el: etree._Element, ancestor: etree._Element) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _main_container(blocks: Blocks, body: BodyKeys) \
        -> tuple[etree._Element, etree._Element, etree._Element] | None:
    """The parent of most kept paragraphs' words, its ancestor `LEVELS` up, and the last kept
    paragraph (pull quotes and captions, which repeat the story's sentences, do not count)."""
    kept: dict[etree._Element, list[int]] = {}  # container -> [words, paragraphs]
    paragraphs = []
    for p, key in blocks:
        if p.tag == "p" and key in body and (parent := p.getparent()) is not None:
            count = kept.setdefault(parent, [0, 0])
            count[0] += len(key.split())
            count[1] += 1
            paragraphs.append(p)
    last = next((p for p in reversed(paragraphs)
                 if not any(a.tag in _NOT_BODY for a in p.iterancestors())), None)
    if last is None:
        return None
    main = max(kept, key=lambda el: kept[el][0])
    cls = main.get("class") or ""
    if kept[main][1] < MIN_KEPT or not cls.strip():
        return None
    top = main
    for _ in range(LEVELS):
        if (parent := top.getparent()) is None:
            break
        top = parent
    return main, top, last


def _run(main: etree._Element, top: etree._Element) -> list[etree._Element]:
    """The elements of `main`'s tag and class that follow it under `top`, each separated from
    the one before by an ad slot at most (no link, at most GAP_WORDS words): one walk."""
    cls = main.get("class")
    run: list[etree._Element] = []
    gap: list[str] | None = None  # text since the end of the last chunk (None: before `main`)
    linked = False
    walker = etree.iterwalk(top, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if el is main or gap is not None and tag == main.tag and el.get("class") == cls:
                if el is not main:
                    if linked or len(" ".join(gap or ()).split()) > GAP_WORDS \
                            or any(a.tag in _NOT_BODY for a in el.iterancestors()):
                        break
                    run.append(el)
                    if len(run) >= MAX_CHUNKS:
                        break
                walker.skip_subtree()
                continue
            if not isinstance(tag, str) or tag in _SKIP:
                walker.skip_subtree()
                continue
            if gap is not None:
                linked = linked or tag == "a" and bool("".join(el.itertext()).strip())
                gap.append(el.text or "")
            continue
        if el is main or el in run:
            gap, linked = [el.tail or ""], False
        elif gap is not None:
            gap.append(el.tail or "")
    return run


def _chunk_lines(chunk: etree._Element, body: BodyKeys) -> list[tuple[etree._Element, str]]:
    """The chunk's paragraphs (outermost blocks, outside captions and widgets) not yet in the
    body, one line each."""
    out: list[tuple[etree._Element, str]] = []
    taken: set[etree._Element] = set()
    for el in chunk.iter(_BLOCKS):
        if taken and any(a in taken for a in el.iterancestors()):
            continue
        taken.add(el)
        if any(a.tag in _NOT_BODY for a in _up_to(el, chunk)):
            continue
        for line in block_lines(el):
            key = line_key(line)
            if key and key not in body:
                out.append((el, f"- {line}" if el.tag == "li" else line))  # as trafilatura prints
    return out


def _up_to(el: etree._Element, stop: etree._Element) -> list[etree._Element]:
    out = []
    for a in el.iterancestors():
        if a is stop:
            break
        out.append(a)
    return out


def _prose(line: str, words: int) -> bool:
    return words >= PROSE_WORDS and ends_as_sentence(line, _ENDS)
