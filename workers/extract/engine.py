"""Quote extraction and attribution over one article: marks, cues, speakers, resolved names."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from .attribution import (
    UNKNOWN_VERB_CONFIDENCE,
    Attribution,
    RulePath,
    attribute_left,
    attribute_right,
)
from .cues import PLATFORM_CUES, PLATFORMS
from .indirect import find_reported
from .kinds import Organisations, classify
from .marks import Segment, scan_quotes
from .model import ExtractedQuote, ExtractInputError, QuoteKind, SpeakerType
from .ranker import Candidate, QuoteContext, candidates, choose, load_weights
from .roles import affiliation_of, role_holder, role_of, title_in_text
from .speakers import (
    Mention,
    Registry,
    build_registry,
    clause_subject,
    resolve_name,
)
from .tokens import Token, sentence_end, sentence_start, tokenize, words

MAX_TEXT_CHARS = 2 * 1024 * 1024
MAX_QUOTES = 1000
CONTEXT_CHARS = 400
MAX_TITLE_WORDS = 5
MAX_UNCUED_SHORT_WORDS = 2
MAX_TAG_TOKENS = 6
SAME_PARAGRAPH_CONFIDENCE = 0.85
NEXT_PARAGRAPH_CONFIDENCE = 0.7
PREVIOUS_SENTENCE_CONFIDENCE = 0.6
SUBJECT_CONFIDENCE = 0.4
LAST_SPEAKER_CONFIDENCE = 0.3
UNATTRIBUTED_CONFIDENCE = 0.3
INDIRECT_CONFIDENCE = 0.5
MAX_BYLINE_CHARS = 60
MAX_CLOSE_CHARS = 4
_CLOSING = "\"'\u201d\u2019 "
MAX_NICKNAME_WORDS = 3
MAX_NICKNAMES = 2  # nicknames a tag may run past
MAX_NAME_WORD_CHARS = 30
# A capitalised name word and one space right before a quote mark ('Juan "Chico" Manriquez').
_NAME_WORD_BEFORE = re.compile(r"(?:^|[\s(])[A-Z][\w.'\u2019-]* $")
BYLINE_CONFIDENCE = 0.7
MAX_INITIAL_CHARS = 3  # a name word ending in a period that is part of it: "J.", "Jr."
_BYLINE = re.compile(r"[-\u2013\u2014]\s*([A-Z][\w.'\u2019 -]{0,40}?)\.?[ \t]*(?:\n|$)")
# Spaces within a line, the no-break space of web pages included.
_SP = "[ \\t\u00a0]"
# A byline on the quote's own line: '” ― Sonya Herridge', '" - Name, title',
# '— Name (@handle) date'. The quotation dash (U+2015) may follow the mark with no space
# ('”―\u00a0Name'); other dashes need one ('."--Kim Hjelmgaard.' signs a reporter's item).
_SAME_LINE_BYLINE = re.compile(
    rf"(?:{_SP}*\u2015|{_SP}+[-\u2013\u2014\u2015]{{1,2}}){_SP}*"
    rf"(?P<name>[A-Z][\w.'\u2019-]*(?:{_SP}+(?:de{_SP}+|van{_SP}+)?[A-Z][\w.'\u2019-]*){{0,4}})"
    rf"(?:,{_SP}*(?P<role>[^\n,()]{{1,80}}))?(?:{_SP}*\(@\w{{1,30}}\)[^\n]{{0,40}})?[ \t\u00a0.]*"
    r"(?:\n|$)"
)
# A transcript label opening a paragraph ('PENCE: ...', 'Jake Tapper: ...'); not 'Q:' or 'A:'.
_LABEL = re.compile(
    rf"(?P<name>[A-Z][A-Za-z.'\u2019-]+(?:{_SP}[A-Z][A-Za-z.'\u2019-]+){{0,3}}):{_SP}"
)
_NOT_LABELS = words(
    "q a update note watch read breaking photos photo video name age city job pay source credit "
    "title date location where when why what who how"
)
# Interview layout: an answer paragraph ('A: ...') after a question one ('Q: ...').
_ANSWER = re.compile(r"A:[ \t]")
_QUESTION = re.compile(r"^Q:[ \t]", re.MULTILINE)
_PLATFORM = re.compile(
    r"\b(?:on|via|his|her|their|its)\s+(X|Twitter|Facebook|LinkedIn|Instagram|Threads|Bluesky|"
    r"Truth Social|Weibo|WeChat|YouTube|TikTok|Reddit|Mastodon)\b"
)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Paragraph geometry of an article (newline offsets), for context windows."""

    text: str
    newlines: list[int]
    first_question: int  # start of the first 'Q: ' paragraph (-1 when the article has none)

    def paragraph(self, pos: int) -> tuple[int, int]:
        """Return (start, end) of the paragraph holding pos."""
        i = bisect.bisect_right(self.newlines, pos)
        start = self.newlines[i - 1] + 1 if i else 0
        return start, (self.newlines[i] if i < len(self.newlines) else len(self.text))

    def content_end_before(self, pos: int, floor: int = 0) -> int:
        """Offset just after the last non-space character before pos (not below floor)."""
        end = pos
        while end > floor and self.text[end - 1].isspace():
            end -= 1
        return end

    def previous_paragraph(self, para_start: int) -> int:
        """Start of the closest non-blank paragraph before para_start (-1 when none)."""
        end = self.content_end_before(para_start)
        return self.paragraph(end - 1)[0] if end > 0 else -1

    def previous_sentence(self, start: int, floor: int) -> tuple[int, int] | None:
        """The unquoted sentence just before start, not reaching back past floor."""
        end = self.content_end_before(start)
        if end <= max(floor, 0):
            return None
        lo = max(self.paragraph(end - 1)[0], floor, end - CONTEXT_CHARS)
        begin = sentence_start(self.text, lo, pos=end - 1)
        if any(ch in self.text[begin:end] for ch in '"\u201c\u201d'):
            return None
        return begin, end

    def byline(self, para_end: int) -> Mention | None:
        """The name of a next paragraph that only reads '- Smith.' (a quote's byline)."""
        start = para_end
        while (
            start < len(self.text)
            and start - para_end < CONTEXT_CHARS
            and self.text[start].isspace()
        ):
            start += 1
        m = _BYLINE.match(self.text, start, min(len(self.text), start + MAX_BYLINE_CHARS))
        if m is None:
            return None
        name = m.group(1)
        return Mention(m.start(1), m.end(1), name, name, None)

    def same_line_byline(self, close_end: int) -> Mention | None:
        """The name of a dash byline that ends the quote's line ('” ― Sonya Herridge')."""
        m = _SAME_LINE_BYLINE.match(self.text, close_end, close_end + 2 * MAX_BYLINE_CHARS)
        if m is None:
            return None
        end = m.end("name")
        written = self.text[m.start("name") : end]
        if written.endswith(".") and len(written.split()[-1]) > MAX_INITIAL_CHARS:
            end -= 1  # a sentence's period, not an initial ('― Luca Ferrante.'; 'Ed Ross Jr.')
            written = written[:-1]
        return Mention(m.start("name"), end, written, " ".join(written.split()), m["role"])

    def label(self, para_start: int) -> Mention | None:
        """The speaker label a transcript paragraph opens with ('PENCE: ...'), if any."""
        m = _LABEL.match(self.text, para_start, para_start + MAX_BYLINE_CHARS)
        if m is None or m["name"].split()[0].lower() in _NOT_LABELS:
            return None
        name = m["name"].title() if m["name"].isupper() else m["name"]
        return Mention(m.start("name"), m.end("name"), m["name"], name, None)

    def answer(self, para_start: int, registry: Registry) -> Mention | None:
        """An interview answer ('A: ...'): the interviewee, the first person the article names
        before its first question ('Q&A with Joe Biden. Vice President Joe Biden spent ...')."""
        if not 0 <= self.first_question < para_start or not _ANSWER.match(self.text, para_start):
            return None
        first = registry.persons[0] if registry.persons else None
        name = first[1] if first is not None and first[0] < self.first_question else None
        return Mention(para_start, para_start + 1, "A", name, None) if name else None

    def colon_context(self, para_start: int) -> tuple[int, int] | None:
        """When the previous paragraph ends with a colon, return its last sentence."""
        end = self.content_end_before(para_start)
        if end <= 0 or self.text[end - 1] != ":":
            return None
        start = max(self.paragraph(end - 1)[0], end - CONTEXT_CHARS)
        return sentence_start(self.text, start, pos=end), end


def _looks_like_title(quote: str) -> bool:
    """True for short Title Case quotes ("The Art of the Deal"), usually works or names."""
    words = [w for w in quote.split() if w[:1].isalpha()]
    return len(words) <= MAX_TITLE_WORDS and all(w[0].isupper() for w in words)


def _is_nickname(text: str, seg: Segment) -> bool:
    """True for a short Title Case quote between two name words: 'Juan "Chico" Manriquez'."""
    if seg.close_end is None or seg.close_end + 1 >= len(text) or seg.open_mark < 2:
        return False
    if text[seg.close_end] != " " or not text[seg.close_end + 1].isupper():
        return False  # the cheap test first: most quotes are followed by a comma or a cue
    quote = text[seg.start : seg.end]
    before = text[max(0, seg.open_mark - MAX_NAME_WORD_CHARS) : seg.open_mark]
    return (
        len(quote.split()) <= MAX_NICKNAME_WORDS
        and _looks_like_title(quote)
        and _NAME_WORD_BEFORE.search(before) is not None
    )


def _right_tokens(layout: _Layout, segments: list[Segment], i: int) -> list[Token]:
    """Tokens after the closing mark of quote i up to its sentence end (none if left open)."""
    text, seg = layout.text, segments[i]
    if seg.close_end is None:
        return []
    hi = min(layout.paragraph(seg.open_mark)[1], seg.close_end + CONTEXT_CHARS)
    j = i + 1
    while j < len(segments) and j - i <= MAX_NICKNAMES and _is_nickname(text, segments[j]):
        j += 1  # a tag runs on past a nickname ('," Kevin "The Hammer" Doyle said')
    if j < len(segments):
        hi = min(hi, segments[j].open_mark)
    return tokenize(text, seg.close_end, end=sentence_end(text, seg.close_end, hi=hi))


def _explicit(
    layout: _Layout, seg: Segment, left: list[Token], right: list[Token]
) -> Attribution | None:
    """A cue next to the quote: after it, before it, or ending the previous paragraph (colon)."""
    text = layout.text
    para_start, _ = layout.paragraph(seg.open_mark)
    quote_first = text[seg.end - 1] in ",?!\u2014-"
    after = None
    new_sentence = text[seg.end - 1] == "." and right and right[0].is_capitalised
    short_tag = 0 < len(right) <= MAX_TAG_TOKENS and right[-1].text == "."
    if right and (short_tag or not new_sentence):
        after = attribute_right(text, right, bare_subject_allowed=quote_first)
    if after is not None and quote_first:
        return after
    found = attribute_left(text, left)
    # A partial quote ('he was "on the fence" until Lind said') keeps a speaker cued before it.
    if after is not None and (found is None or found.mention is None):
        return after
    if found is None and layout.content_end_before(seg.open_mark, para_start) <= para_start:
        colon = layout.colon_context(para_start)
        if colon is not None:
            found = attribute_left(text, tokenize(text, colon[0], end=colon[1]))
    return found


def _cue_before(layout: _Layout, seg: Segment, lo: int, left_start: int) -> Attribution | None:
    """A quote opening a sentence: the cue and speaker of the sentence just before it."""
    text = layout.text
    if layout.content_end_before(seg.open_mark, left_start) > left_start:
        return None
    para_start, _ = layout.paragraph(seg.open_mark)
    before = layout.previous_sentence(left_start, lo if lo > para_start else -1)
    if before is None:
        return None
    found = attribute_left(text, tokenize(text, before[0], end=before[1]))
    if found is None or found.mention is None:
        return None
    return Attribution(
        found.cue,
        found.lemma,
        found.mention,
        PREVIOUS_SENTENCE_CONFIDENCE,
        False,
        RulePath.PREVIOUS_SENTENCE,
    )


def _named_again(
    layout: _Layout,
    seg: Segment,
    bounds: tuple[int, int],
    mention: Mention | None,
    registry: Registry,
) -> Mention | None:
    """A continued speaker named again by a cue in the sentence before the quote: that mention.

    When the quote before (closing at the floor) leaves its sentence open, the cue must lie past
    that sentence: a quote's own tag ('"A," Smith said after she left.') names no one again.
    """
    before = _cue_before(layout, seg, *bounds)
    if mention is None or before is None or before.mention is None or before.cue is None:
        return mention
    text, lo = layout.text, bounds[0]
    closed = text[max(0, lo - MAX_CLOSE_CHARS) : lo].rstrip(_CLOSING)  # the quote before, unmarked
    ended = not closed or closed[-1] in ".!?\n"
    if not ended and before.cue[0] < sentence_end(text, lo, hi=seg.open_mark):
        return mention
    name = resolve_name(mention, registry)
    same = name is not None and resolve_name(before.mention, registry) == name
    return before.mention if same else mention


def _layout_speaker(
    layout: _Layout, seg: Segment, *, para_start: int, registry: Registry
) -> Attribution | None:
    """A speaker the layout names: a dash byline on the quote's line, a transcript label (also
    inside a quote that opens the paragraph: '"PENCE: ...'), the interviewee of an answer."""
    found = layout.same_line_byline(seg.close_end) if seg.close_end is not None else None
    if found is None and layout.content_end_before(seg.open_mark, para_start) <= para_start:
        found = layout.label(seg.start)
    if found is None:
        found = layout.label(para_start) or layout.answer(para_start, registry)
    if found is None:
        return None
    return Attribution(None, None, found, BYLINE_CONFIDENCE, False, RulePath.LAYOUT)


def _sentence_subject(text: str, left: list[Token]) -> Attribution | None:
    """With no cue at all: the subject of the sentence the quote sits in."""
    subject = clause_subject(text, left, lo=0, cue=len(left)) if left else None
    if subject is None:
        return None
    return Attribution(None, None, subject, SUBJECT_CONFIDENCE, False, RulePath.SENTENCE_SUBJECT)


def _attribute_all(
    layout: _Layout, segments: list[Segment], registry: Registry
) -> tuple[list[Attribution | None], list[QuoteContext]]:
    """Rule attribution of every top-level segment (None: not a reported quote), with contexts."""
    text = layout.text
    result: list[Attribution | None] = []
    last: tuple[Attribution, int] | None = None  # last attribution with a speaker, paragraph
    previous_of: dict[int, int] = {}  # paragraph start -> previous paragraph start
    context_of: list[tuple[list[Token], list[Token], tuple[Attribution, int] | None]] = []
    for i, seg in enumerate(segments):
        para_start, _ = layout.paragraph(seg.open_mark)
        lo = para_start
        prev = segments[i - 1] if i else None
        dropped = i > 0 and result[i - 1] is None  # a title or scare quote does not bound
        if prev is not None and prev.close_end is not None and prev.close_end > para_start:
            lo = para_start if dropped else prev.close_end
        lo = max(lo, seg.open_mark - CONTEXT_CHARS)
        left_start = sentence_start(text, lo, pos=seg.open_mark)
        left = tokenize(text, left_start, end=seg.open_mark)
        right = _right_tokens(layout, segments, i)
        context_of.append((left, right, last))
        if _is_nickname(text, seg):  # part of a name, not a quote
            result.append(None)
            continue
        attribution = _explicit(layout, seg, left, right)
        if attribution is None:
            attribution = _layout_speaker(layout, seg, para_start=para_start, registry=registry)
        if attribution is None:
            byline = layout.byline(layout.paragraph(seg.open_mark)[1])
            if byline is not None:
                attribution = Attribution(
                    None, None, byline, BYLINE_CONFIDENCE, False, RulePath.LAYOUT
                )
        opens_paragraph = layout.content_end_before(seg.open_mark, para_start) <= para_start
        if para_start not in previous_of:
            previous_of[para_start] = layout.previous_paragraph(para_start)
        previous = previous_of[para_start]
        if (
            (attribution is None or attribution.mention is None)
            and last is not None
            and (last[1] == para_start or (opens_paragraph and last[1] == previous))
        ):
            same = last[1] == para_start
            attribution = Attribution(
                attribution.cue if attribution else last[0].cue,
                attribution.lemma if attribution else last[0].lemma,
                _named_again(layout, seg, (lo, left_start), last[0].mention, registry),
                min(
                    last[0].confidence,
                    SAME_PARAGRAPH_CONFIDENCE if same else NEXT_PARAGRAPH_CONFIDENCE,
                ),
                last[0].adjacent,
                _continuation(last[0].path, same_paragraph=same),
            )
        quote = text[seg.start : seg.end]
        if attribution is None and _looks_like_title(quote):
            result.append(None)
            continue
        if attribution is None:
            attribution = _cue_before(layout, seg, lo, left_start)
        if attribution is None and len(quote.split()) <= MAX_UNCUED_SHORT_WORDS:
            result.append(None)
            continue
        if attribution is None:
            attribution = _sentence_subject(text, left)
        if attribution is None and last is not None and last[1] in (para_start, previous):
            attribution = Attribution(
                None, None, last[0].mention, LAST_SPEAKER_CONFIDENCE, False, RulePath.LAST_SPEAKER
            )
        if attribution is None:
            attribution = Attribution(
                None, None, None, UNATTRIBUTED_CONFIDENCE, False, RulePath.UNATTRIBUTED
            )
        elif attribution.mention is not None:
            last = (attribution, para_start)
        result.append(attribution)
    result = _share_sentence_tags(layout, segments, _carry_back(layout, segments, result))
    contexts = [
        _context(layout, registry, segments[i], result[i], left, right, last)
        for i, (left, right, last) in enumerate(context_of)
    ]
    return result, contexts


def _context(
    layout: _Layout,
    registry: Registry,
    seg: Segment,
    rule: Attribution | None,
    left: list[Token],
    right: list[Token],
    last: tuple[Attribution, int] | None,
) -> QuoteContext:
    """The ranker's view of a quote: its sentence, and where the one before ends if it opens one."""
    opens_sentence = not any(t.is_word for t in left)
    start = left[0].start if left else seg.open_mark
    return QuoteContext(
        left=left,
        right=right,
        before_end=layout.content_end_before(start) if opens_sentence else 0,
        rule=rule,
        previous=last[0].mention if last else None,
        same_paragraph=last is not None and last[1] == layout.paragraph(seg.open_mark)[0],
        registry=registry,
        quote_start=seg.open_mark,
    )


def _ranked(
    text: str,
    result: list[Attribution | None],
    contexts: list[QuoteContext],
    weights: dict[str, float],
) -> list[Attribution | None]:
    """Replace each rule speaker by the model's best candidate (rules alone without weights).

    A same-paragraph continuation is not ranked: it follows the speaker chosen for the quote it
    continues, so a corrected speaker carries over. A cue right before the quote is kept too.
    """
    if not weights:
        return result
    ranked: list[Attribution | None] = []
    replaced: dict[Mention, Mention | None] = {}  # rule mention -> the model's choice
    for rule, context in zip(result, contexts, strict=True):
        if rule is None or _is_kept(rule):
            if rule is not None and rule.mention in replaced:
                rule = replace(rule, mention=replaced[rule.mention])
            ranked.append(rule)
            continue
        best, probability = choose(candidates(text, context), weights)
        if best.mention == rule.mention:
            ranked.append(rule)
            continue
        if rule.mention is not None:
            replaced[rule.mention] = best.mention
        confidence = round(probability, 2)
        ranked.append(
            Attribution(
                best.cue, best.lemma, best.mention, confidence, rule.adjacent, RulePath.RANKED
            )
        )
    return ranked


# Paths the model does not beat on train: a cue right before the quote ('Smith said: "') and a
# same-paragraph continuation of a firm attribution (or of a tag its sentence shares).
_KEPT_PATHS = frozenset({RulePath.CUE_BEFORE, RulePath.CONTINUATION, RulePath.SHARED_TAG})
# The paths a same-paragraph continuation follows firmly (their speaker is rarely wrong on train).
_FIRM_PATHS = frozenset({RulePath.TAG_AFTER, RulePath.CUE_BEFORE, RulePath.CONTINUATION})


def _is_kept(rule: Attribution) -> bool:
    """True when the rule's speaker stands without ranking (see _KEPT_PATHS)."""
    return rule.path in _KEPT_PATHS


def _continuation(followed: RulePath, *, same_paragraph: bool) -> RulePath:
    """The path of a quote continuing the speaker of an earlier one found by followed."""
    if not same_paragraph:
        return RulePath.NEXT_PARAGRAPH
    return RulePath.CONTINUATION if followed in _FIRM_PATHS else RulePath.WEAK_CONTINUATION


def speaker_candidates(
    text: str, *, title: str | None = None
) -> list[tuple[tuple[int, int], list[Candidate]]]:
    """Every reported quote span with its speaker candidates (the ranker's training input)."""
    layout, segments = _prepare(text)
    result, contexts = _attribute_all(layout, segments, build_registry(text, title))
    return [
        (_quote_span(text, seg), candidates(text, context))
        for seg, rule, context in zip(segments, result, contexts, strict=True)
        if rule is not None and not _is_kept(rule)
    ]


def _carry_back(
    layout: _Layout, segments: list[Segment], result: list[Attribution | None]
) -> list[Attribution | None]:
    """A quote left open at a paragraph end takes the speaker of its continuation."""
    for i in range(len(segments) - 2, -1, -1):
        seg, nxt, found = segments[i], segments[i + 1], result[i + 1]
        current = result[i]
        weak = current is None or current.confidence <= SUBJECT_CONFIDENCE
        if seg.close_end is None and weak and found is not None and found.mention is not None:
            para_start, _ = layout.paragraph(nxt.open_mark)
            if layout.previous_paragraph(para_start) == layout.paragraph(seg.open_mark)[0]:
                result[i] = Attribution(
                    found.cue,
                    found.lemma,
                    found.mention,
                    NEXT_PARAGRAPH_CONFIDENCE,
                    False,
                    RulePath.NEXT_PARAGRAPH,
                )
    return result


def _share_sentence_tags(
    layout: _Layout, segments: list[Segment], result: list[Attribution | None]
) -> list[Attribution | None]:
    """Quotes of one sentence share a tag that ends it: '"A" and "B," Smith said.'"""
    text = layout.text
    for i in range(len(segments) - 2, -1, -1):
        seg, nxt, current, found = segments[i], segments[i + 1], result[i], result[i + 1]
        if found is None or found.mention is None or found.confidence < UNKNOWN_VERB_CONFIDENCE:
            continue
        if current is not None and current.confidence > SUBJECT_CONFIDENCE:
            continue
        if current is None and _looks_like_title(text[seg.start : seg.end]):
            continue
        if seg.close_end is None or found.cue is None or found.cue[0] < nxt.end:
            continue
        gap_end = sentence_end(text, seg.close_end, hi=nxt.open_mark)
        if gap_end < nxt.open_mark and text[gap_end - 1] in ".!?":
            continue
        if layout.paragraph(seg.open_mark) != layout.paragraph(nxt.open_mark):
            continue
        result[i] = Attribution(
            found.cue,
            found.lemma,
            found.mention,
            SAME_PARAGRAPH_CONFIDENCE,
            False,
            RulePath.SHARED_TAG,
        )
    return result


def _platform(text: str, start: int, end: int, lemma: str | None) -> str | None:
    """The platform named near the cue ("on X", "his LinkedIn profile"), if any."""
    m = _PLATFORM.search(text, max(0, start), end)
    if m:
        return PLATFORMS.get(m.group(1).lower(), m.group(1))
    return PLATFORM_CUES.get(lemma or "")


@dataclass(slots=True)
class _Speakers:
    """The speakers of one article: names, kinds and roles, each person's first role carried on.

    A mention's name, kind and written role, and a name's title before its first mention, are
    worked out once per article (continuations and reported speech repeat mentions and names).
    """

    text: str
    organisations: Organisations
    roles: dict[str, str] = field(default_factory=dict)  # name -> first role written
    _seen: dict[Mention, tuple[str | None, SpeakerType | None, str | None]] = field(
        default_factory=dict
    )
    _titles: dict[str, str | None] = field(default_factory=dict)

    def resolve(self, mention: Mention) -> tuple[str | None, SpeakerType | None, str | None]:
        """Resolve a local mention to (canonical name, type, role)."""
        seen = self._seen.get(mention)
        if seen is None:
            name, kind = classify(
                mention,
                resolve_name(mention, self.organisations.registry),
                text=self.text,
                organisations=self.organisations,
            )
            seen = self._seen[mention] = (name, kind, role_of(self.text, mention))
        name, kind, written = seen
        roles = self.roles
        holder = role_holder(mention.text, roles) if kind == "description" else None
        if holder is not None:  # "the commissioner" after "Omar Haddad, the transport commissioner"
            return holder, "person", roles[holder]
        if name and kind == "person" and not written and name not in roles:
            written = self._title(name)  # "Retired teacher Helen Park spoke first."
        role = written or (roles.get(name) if name else None)
        if name and written and name not in roles:
            roles[name] = written
        return name, kind, role

    def _title(self, name: str) -> str | None:
        """The title before the first mention of name in the article (title_in_text), once."""
        if name not in self._titles:
            self._titles[name] = title_in_text(self.text, name)
        return self._titles[name]


def _kind(text: str, seg: Segment, attribution: Attribution) -> QuoteKind:
    """Direct when the quote is a whole utterance next to its cue, else partial."""
    first = text[seg.start]
    whole = first.isupper() or not first.isalpha()
    if attribution.adjacent and whole:
        return "direct"
    return "partial" if first.islower() else "direct"


def _quote_span(text: str, seg: Segment) -> tuple[int, int]:
    """The quote span without trailing commas inside the marks ('"A loss," she said': A loss)."""
    end = seg.end
    while end > seg.start + 1 and text[end - 1] in ", \t":
        end -= 1
    return seg.start, end


def _build(seg: Segment, attribution: Attribution, *, speakers: _Speakers) -> ExtractedQuote:
    """Assemble the public record of one quote."""
    text = speakers.text
    mention = attribution.mention
    name: str | None = None
    kind_of_speaker: SpeakerType | None = None
    role: str | None = None
    if mention is not None:
        name, kind_of_speaker, role = speakers.resolve(mention)
    platform = None
    if attribution.cue is not None:
        start, end = attribution.cue
        lo = sentence_start(text, max(0, start - CONTEXT_CHARS), pos=start)
        platform = _platform(
            text, lo, sentence_end(text, end, hi=end + CONTEXT_CHARS), attribution.lemma
        )
    start, end = _quote_span(text, seg)
    return ExtractedQuote(
        quote=(start, end),
        text=text[start:end],
        kind=_kind(text, seg, attribution),
        cue=attribution.cue,
        cue_lemma=attribution.lemma,
        speaker=(mention.start, mention.end) if mention else None,
        speaker_name=name,
        speaker_type=kind_of_speaker,
        role=role,
        affiliation=affiliation_of(role),
        platform=platform,
        confidence=attribution.confidence,
    )


def _prepare(text: str) -> tuple[_Layout, list[Segment]]:
    """Check the size of an article; return its layout and top-level quoted segments."""
    if len(text) > MAX_TEXT_CHARS:
        raise ExtractInputError(f"text has {len(text)} characters, more than {MAX_TEXT_CHARS}")
    question = _QUESTION.search(text)
    layout = _Layout(
        text, [m.start() for m in re.finditer("\n", text)], question.start() if question else -1
    )
    segments = [s for s in scan_quotes(text, limit=MAX_QUOTES) if s.depth == 0][:MAX_QUOTES]
    return layout, segments


def _mention_start(mention: Mention) -> int:
    """Sort key: where a mention starts."""
    return mention.start


def extract_reactions(
    text: str, *, title: str | None = None, weights: dict[str, float] | None = None
) -> list[ExtractedQuote]:
    """Return every reaction of an article (quoted and reported), with speaker and confidence.

    weights replaces the shipped ranker weights (cross-validation scores a model per fold).
    """
    layout, segments = _prepare(text)
    registry = build_registry(text, title)
    speakers = _Speakers(text, Organisations(text, title or "", registry))
    out: list[ExtractedQuote] = []
    result, contexts = _attribute_all(layout, segments, registry)
    ranked = _ranked(text, result, contexts, load_weights() if weights is None else weights)
    quoted = [(seg, a) for seg, a in zip(segments, ranked, strict=True) if a is not None]
    reported = find_reported(text, limit=MAX_QUOTES)
    mentions = [a.mention for _, a in quoted if a.mention is not None]
    for mention in sorted(mentions + [item.mention for item in reported], key=_mention_start):
        speakers.resolve(mention)  # each person's first role in text order, for all reactions
    for seg, attribution in quoted:
        out.append(_build(seg, attribution, speakers=speakers))
    for item in reported:
        name, kind_of_speaker, role = speakers.resolve(item.mention)
        out.append(
            ExtractedQuote(
                quote=item.content,
                text=text[item.content[0] : item.content[1]],
                kind="indirect",
                cue=item.cue,
                cue_lemma=item.lemma,
                speaker=(item.mention.start, item.mention.end),
                speaker_name=name,
                speaker_type=kind_of_speaker,
                role=role,
                affiliation=affiliation_of(role),
                platform=_platform(text, item.cue[0], item.content[1], item.lemma),
                confidence=INDIRECT_CONFIDENCE,
            )
        )
    out.sort(key=lambda q: q.quote)
    return out
