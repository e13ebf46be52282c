"""The labelled happening sets: load them, find their expressions in a merged timeline, score it.

A label set (`tests/merge/data/happenings_seeds.json`, `benchmarks/data/happenings_<topic>.json`;
schema and guidelines in `benchmarks/README.md`) lists every date expression of some articles with
the happening it dates (or none, with why) and each happening's gold interval. A system mention or
event source stands for a label when it is in the same article and its expression overlaps the
label's characters, so a tagger that grows "Wednesday" into "on Wednesday" still matches. A label is
found in the text the pipeline holds by its offset, its sentence, or the words around it (`locate`);
one whose text the source cleaning rightly cut (marked `removed`: page furniture, reader comments)
is left out and counted apart from the labels no longer found.

Merge quality is B-cubed (Bagga and Baldwin 1998; Amigo et al. 2009) over the labelled expressions:
each item's precision is the share of its system event's items that belong to its happening, its
recall the share of its happening's items that are in its system event; both are averaged over
items. Expressions labelled as dating no happening take part only when the system made a mention of
them, each as a happening of its own: merging one into an event is a wrong merge.

Used by `benchmarks/merge_quality.py` and `tests/merge/test_merge_quality.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from timeline.models import Article, Event, Mention

Interval = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class Happening:
    """One happening of a label set: who did what, and its gold interval (None: the text cannot date it)."""

    id: str
    description: str
    gold: Interval | None


@dataclass(frozen=True)
class Label:
    """One date expression of a labelled article and the happening it dates (None: it dates none)."""

    article_id: str
    start_char: int
    text: str
    sentence_start: int
    sentence: str
    happening: str | None
    reads: Interval | None = None
    why: str | None = None
    note: str | None = None
    removed: str | None = None  # what the source cleaning cut it as, when it did (a null label only)

    @property
    def key(self) -> tuple[str, int]:
        return (self.article_id, self.start_char)


@dataclass
class LabelSet:
    """A labelled set: where its articles are, its happenings, and its labels."""

    name: str
    source: str
    article_ids: list[str]
    happenings: dict[str, Happening]
    labels: list[Label]

    def source_path(self, root: Path) -> Path:
        """Where the articles are, from the project root."""
        return (root / self.source).resolve()


def _interval(start: str | None, end: str | None) -> Interval | None:
    if start is None or end is None:
        return None
    return (dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def load(path: Path) -> LabelSet:
    """Read a label set; raise ValueError when it contradicts itself."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    happenings = {
        h["id"]: Happening(h["id"], h["description"], _interval(h["start"], h["end"]))
        for h in doc["happenings"]
    }
    labels: list[Label] = []
    for row in doc["mentions"]:
        hid = row["happening"]
        if hid is None and not row.get("why"):
            raise ValueError(f"{path.name}: {row['article_id']}@{row['start_char']}: no happening and no why")
        if hid is not None:
            if hid not in happenings:
                raise ValueError(f"{path.name}: unknown happening {hid!r}")
            if _interval(row["start"], row["end"]) != happenings[hid].gold:
                raise ValueError(
                    f"{path.name}: {row['article_id']}@{row['start_char']}: interval is not {hid}'s"
                )
        if row.get("removed") and hid is not None:
            raise ValueError(f"{path.name}: {row['article_id']}@{row['start_char']}: cut, yet dates {hid}")
        reads = row.get("reads")
        labels.append(
            Label(
                article_id=row["article_id"],
                start_char=row["start_char"],
                text=row["text"],
                sentence_start=row["sentence_start"],
                sentence=row["sentence"],
                happening=hid,
                reads=_interval(*reads) if reads else (happenings[hid].gold if hid else None),
                why=row.get("why"),
                note=row.get("note"),
                removed=row.get("removed"),
            )
        )
    keys = Counter(label.key for label in labels)
    if max(keys.values(), default=1) > 1:
        raise ValueError(f"{path.name}: a (article_id, start_char) is labelled twice")
    name = path.stem.removeprefix("happenings_")
    return LabelSet(name, doc["source"], [a["id"] for a in doc["articles"]], happenings, labels)


CONTEXT_WORDS = (8, 4, 2)  # words of the label's sentence either side, widest first


def locate(label: Label, text: str) -> int | None:
    """Where the label's expression is in `text` now: at its offset, else through its sentence (the
    nearest copy), else through the words around it in its sentence with any whitespace between them
    (widest context first, the nearest match), so cleaning that moves text (a dropped dateline) or cuts
    part of the sentence (a page stamp glued to its first line) does not lose the label."""
    end = label.start_char + len(label.text)
    if text[label.start_char : end] == label.text:
        return label.start_char
    inside = label.start_char - label.sentence_start
    found = _nearest((m.start() for m in re.finditer(re.escape(label.sentence), text)), label.sentence_start)
    if found is not None:
        return found + inside
    before, after = label.sentence[:inside], label.sentence[inside + len(label.text) :]
    for words in CONTEXT_WORDS:
        pattern = _context(before, label.text, after, words)
        found = _nearest((m.start("x") for m in pattern.finditer(text)), label.start_char)
        if found is not None:
            return found
    return None


def _nearest(starts: Iterable[int], to: int) -> int | None:
    return min(starts, key=lambda at: abs(at - to), default=None)


def _context(before: str, expression: str, after: str, words: int) -> re.Pattern[str]:
    """The expression (group `x`) between up to `words` words of its sentence either side, any run of
    whitespace matching any other."""
    left, right = before.split()[-words:], after.split()[:words]
    space = r"\s+"

    def join(tokens: list[str]) -> str:
        return space.join(map(re.escape, tokens))

    pattern = "(?P<x>" + join(expression.split()) + ")"
    if left:
        pattern = join(left) + (space if before[-1:].isspace() else "") + pattern
    if right:
        pattern += (space if after[:1].isspace() else "") + join(right)
    return re.compile(pattern)


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


@dataclass
class Matched:
    """What the system made of each label: its mention (if any) and the event(s) holding it."""

    labels: list[Label]
    lost: list[Label] = field(default_factory=list)  # no longer found in the article's text
    removed: list[Label] = field(default_factory=list)  # not found, cut by the cleaning as marked
    mention: dict[Label, Mention] = field(default_factory=dict)
    event: dict[Label, Event] = field(default_factory=dict)
    several: list[Label] = field(default_factory=list)  # labels whose expression sits in 2+ events
    unlabelled: list[Mention] = field(default_factory=list)  # mentions of labelled articles no label covers


def match(
    labelset: LabelSet, articles: Sequence[Article], mentions: Sequence[Mention], events: Sequence[Event]
) -> Matched:
    """Pair every label with the system mention and the event source whose expression overlaps it."""
    texts = {a.id: a.text for a in articles}
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_article[m.article_id].append(m)
    sources: dict[str, list[tuple[int, int, int, Event]]] = defaultdict(list)
    for order, e in enumerate(events):
        for s in e.sources:
            if s.supporting or s.start_char is None:
                continue
            end = s.end_char if s.end_char is not None else s.start_char + len(s.expression or "")
            sources[s.article_id].append((s.start_char, max(end, s.start_char + 1), order, e))
    out = Matched(labels=list(labelset.labels))
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for label in labelset.labels:
        text = texts.get(label.article_id)
        at = None if text is None else locate(label, text)
        if at is None:
            (out.removed if label.removed else out.lost).append(label)
            continue
        end = at + len(label.text)
        spans[label.article_id].append((at, end))
        hits = [
            m
            for m in by_article.get(label.article_id, [])
            if _overlaps(at, end, m.expression.start_char, m.expression.end_char)
        ]
        if hits:
            out.mention[label] = min(hits, key=lambda m: abs(m.expression.start_char - at))
        holding = [
            (s0, s1, o, e) for s0, s1, o, e in sources.get(label.article_id, []) if _overlaps(at, end, s0, s1)
        ]
        if holding:
            # the source closest to the label speaks for it; ties go to the earlier event
            chosen = min(holding, key=lambda h: (abs(h[0] - at), h[2]))
            out.event[label] = chosen[3]
            if len({h[3].id for h in holding}) > 1:
                out.several.append(label)
    for article_id in labelset.article_ids:
        for m in by_article.get(article_id, []):
            e0, e1 = m.expression.start_char, m.expression.end_char
            if not any(_overlaps(a0, a1, e0, e1) for a0, a1 in spans[article_id]):
                out.unlabelled.append(m)
    return out


def bcubed(
    gold: Mapping[Hashable, Hashable], system: Mapping[Hashable, Hashable]
) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering `system` (item -> cluster) against `gold`,
    over the items both map; 1.0 for no items."""
    items = [i for i in gold if i in system]
    if not items:
        return 1.0, 1.0, 1.0
    by_gold: dict[Hashable, set[Hashable]] = defaultdict(set)
    by_system: dict[Hashable, set[Hashable]] = defaultdict(set)
    for i in items:
        by_gold[gold[i]].add(i)
        by_system[system[i]].add(i)
    precision = recall = 0.0
    for i in items:
        same = len(by_gold[gold[i]] & by_system[system[i]])
        precision += same / len(by_system[system[i]])
        recall += same / len(by_gold[gold[i]])
    p, r = precision / len(items), recall / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _relation(system: Interval, gold: Interval) -> str:
    if system == gold:
        return "equal"
    if system[0] <= gold[0] and gold[1] <= system[1]:
        return "contains"
    if gold[0] <= system[0] and system[1] <= gold[1]:
        return "within"
    if system[0] <= gold[1] and gold[0] <= system[1]:
        return "overlaps"
    return "disjoint"


@dataclass
class Score:
    """The figures of one label set (or the sum of several: see `combine`)."""

    name: str
    labelled: int = 0  # expressions that date a happening
    covered: int = 0  # ... of which the system made a mention
    lost: int = 0  # labels no longer found in their article's text
    removed: Counter[str] = field(default_factory=Counter)  # ... that the cleaning cut, by what as
    nulls: int = 0  # expressions labelled as dating no happening
    nulls_kept: int = 0  # ... that the system turned into mentions anyway
    several: int = 0  # labels whose expression the system put into two or more events
    unlabelled: int = 0  # system mentions in labelled articles that no label covers (labels to add?)
    # B-cubed over covered items (mentions the system has), and over all labels with missing ones as
    # singletons; the sums over items, so sets can be added before dividing
    items: int = 0
    p_sum: float = 0.0
    r_sum: float = 0.0
    items_all: int = 0
    p_all_sum: float = 0.0
    r_all_sum: float = 0.0
    # dates: per happening (the event holding most of its mentions) and per mention
    happenings: int = 0  # with a gold interval and at least one covered mention
    missing_happenings: int = 0  # with a gold interval and no covered mention
    relation: Counter[str] = field(default_factory=Counter)
    dated_mentions: int = 0
    contradicted: int = 0  # mentions in an event whose interval is disjoint from their happening's
    read_mentions: int = 0
    read_equal: int = 0  # the mention's own interval equals the label's reading
    read_disjoint: int = 0

    @staticmethod
    def _f(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def bcubed(self) -> tuple[float, float, float]:
        p, r = (self.p_sum / self.items, self.r_sum / self.items) if self.items else (1.0, 1.0)
        return p, r, self._f(p, r)

    @property
    def bcubed_all(self) -> tuple[float, float, float]:
        n = self.items_all
        p, r = (self.p_all_sum / n, self.r_all_sum / n) if n else (1.0, 1.0)
        return p, r, self._f(p, r)

    def share(self, *relations: str) -> float:
        return sum(self.relation[x] for x in relations) / self.happenings if self.happenings else 0.0


def _sums(gold: Mapping[Hashable, Hashable], system: Mapping[Hashable, Hashable]) -> tuple[int, float, float]:
    n = sum(1 for i in gold if i in system)
    p, r, _ = bcubed(gold, system)
    return n, p * n, r * n


def score(labelset: LabelSet, matched: Matched) -> Score:
    """Every figure of one label set from what `match` found."""
    s = Score(labelset.name, lost=len(matched.lost), several=len(matched.several))
    s.removed.update(label.removed for label in matched.removed if label.removed)
    s.unlabelled = len(matched.unlabelled)
    gold: dict[Hashable, Hashable] = {}
    system: dict[Hashable, Hashable] = {}
    system_all: dict[Hashable, Hashable] = {}
    for label in matched.labels:
        if label in matched.lost or label in matched.removed:
            continue
        event = matched.event.get(label)
        has_mention = label in matched.mention or event is not None
        if label.happening is None:
            s.nulls += 1
            if not has_mention:
                continue
            s.nulls_kept += 1
            gold[label] = ("null", label.key)
        else:
            s.labelled += 1
            gold[label] = label.happening
        cluster = event.id if event is not None else ("alone", label.key)
        system_all[label] = cluster
        if has_mention:
            if label.happening is not None:
                s.covered += 1
            system[label] = cluster
    s.items, s.p_sum, s.r_sum = _sums(gold, system)
    s.items_all, s.p_all_sum, s.r_all_sum = _sums(gold, system_all)
    _dates(labelset, matched, s)
    return s


def _dates(labelset: LabelSet, matched: Matched, s: Score) -> None:
    events_of: dict[str, list[Event]] = defaultdict(list)
    for label, event in matched.event.items():
        if label.happening is not None:
            events_of[label.happening].append(event)
    for hid, h in labelset.happenings.items():
        if h.gold is None:
            continue
        held = events_of.get(hid)
        if not held:
            s.missing_happenings += 1
            continue
        counts = Counter(e.id for e in held)
        # the event holding most of the happening's mentions; ties go to the one with more sources
        best = max(held, key=lambda e: (counts[e.id], len(e.sources), -e.start.toordinal(), e.id))
        s.happenings += 1
        s.relation[_relation((best.start, best.end), h.gold)] += 1
    for label, event in matched.event.items():
        gold = labelset.happenings[label.happening].gold if label.happening else None
        if gold is None:
            continue
        s.dated_mentions += 1
        s.contradicted += _relation((event.start, event.end), gold) == "disjoint"
    for label, mention in matched.mention.items():
        if label.reads is None:
            continue
        s.read_mentions += 1
        relation = _relation((mention.start, mention.end), label.reads)
        s.read_equal += relation == "equal"
        s.read_disjoint += relation == "disjoint"


def combine(name: str, scores: Iterable[Score]) -> Score:
    """The micro-average of several sets: every count and sum added."""
    total = Score(name)
    for s in scores:
        for key, value in vars(s).items():
            if key == "name":
                continue
            if isinstance(value, Counter):
                getattr(total, key).update(value)
            else:
                setattr(total, key, getattr(total, key) + value)
    return total
