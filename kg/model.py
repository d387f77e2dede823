"""The typed records that pass between the pipeline stages.

Readers make :class:`Article`; extractors turn one into an :class:`Extraction`
(entities, events, claims, each tied to :class:`Span` offsets in ``Article.text``);
the RDF stage turns that into quads. Records are plain data: no stage reaches
back into an earlier one, and everything here pickles, so extraction can run in
worker processes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Article", "Span", "Entity", "TimeSpec", "Count", "Role", "Event", "Claim",
    "Extraction", "EntityKind",
]

EntityKind = Literal["person", "organization", "country", "region", "place", "group"]


@dataclass(slots=True)
class Article:
    """One article as extraction sees it: the body text, with metadata kept apart."""

    key: str
    text: str
    source: str
    headline: str | None = None
    language: str | None = None
    published: dt.datetime | None = None
    modified: dt.datetime | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    url: str | None = None
    identifier: str | None = None
    keywords: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def date(self) -> dt.datetime | None:
        """The date relative expressions count from: the latest known version."""
        return self.modified or self.published

    @property
    def version(self) -> str:
        """Orders versions of one article: later modification wins."""
        d = self.date
        return d.astimezone(dt.timezone.utc).isoformat() if d and d.tzinfo else (d.isoformat() if d else "")


@dataclass(frozen=True, slots=True)
class Span:
    """Code-point offsets into ``Article.text``; ``text`` is exactly that slice."""

    begin: int
    end: int
    text: str


@dataclass(slots=True)
class Entity:
    """An actor or place the article names, with identity where it is known."""

    key: str  # unique within the extraction; gazetteer entities use their gazetteer key
    kind: EntityKind
    name: str
    mentions: list[Span] = field(default_factory=list)
    names_seen: set[str] = field(default_factory=set)
    known: bool = False  # from the gazetteer: the same IRI in every article
    wikidata: str | None = None
    geonames: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 of the containing country
    country_name: str | None = None
    job_title: str | None = None
    affiliation: str | None = None  # key of another entity
    is_place: bool = False
    is_actor: bool = True


@dataclass(frozen=True, slots=True)
class TimeSpec:
    """When an event happened, as precisely as the text says."""

    precision: Literal["minute", "day", "week", "month", "year"]
    stamp: dt.date | dt.datetime | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None


@dataclass(slots=True)
class Count:
    """A number of people the text reports, with its kind and qualifier."""

    kind: str  # a count-kind concept local name (killed, arrested, troops, …)
    mention: Span
    value: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    qualifier: str = "exact"
    group: str | None = None  # counted-group concept local name
    attributed_to: str | None = None  # entity key of whoever gives the figure


@dataclass(frozen=True, slots=True)
class Role:
    entity: str  # entity key
    role: str  # role-type concept local name


@dataclass(slots=True)
class Event:
    type: str  # event-type slug
    status: str  # occurred | ongoing | announced
    mentions: list[Span] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    time: TimeSpec | None = None
    counts: list[Count] = field(default_factory=list)
    parent: int | None = None  # index of the event this is part of
    label: str = ""


@dataclass(slots=True)
class Claim:
    """Who said what; never merged into what the article asserts."""

    speaker: str  # entity key
    text: str
    language: str
    mention: Span
    about_events: list[int] = field(default_factory=list)
    about_entities: list[str] = field(default_factory=list)
    event_types: list[str] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)


@dataclass(slots=True)
class Extraction:
    """Everything one extractor read from one article."""

    article: Article
    extractor: str
    sentences: list[Span] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
