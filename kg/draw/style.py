"""How each kind of node looks: shape and colour, and the legend that explains them.

Shapes with the label outside (dot, square, diamond, ...) so that ``size`` can carry the
centrality; events are coloured by the family of their type so that a page of a
thousand events still reads as "fighting here, protests there".
"""

from __future__ import annotations

__all__ = ["KIND_STYLE", "EVENT_FAMILIES", "family_of", "style_of", "legend", "EDGE_COLOURS"]

# kind -> (shape, colour, legend text)
KIND_STYLE: dict[str, tuple[str, str, str]] = {
    "person": ("dot", "#1f77b4", "person"),
    "organisation": ("square", "#2ca02c", "organisation"),
    "state": ("diamond", "#9467bd", "state (actor and place)"),
    "group": ("triangle", "#8c564b", "unnamed group"),
    "actor": ("dot", "#7f7f7f", "other actor"),
    "place": ("triangleDown", "#17becf", "place"),
    "claim": ("star", "#e6ab02", "claim (who says what)"),
}
EVENT_SHAPE = "hexagon"

# family -> (colour, legend text, member types)
EVENT_FAMILIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "violence": ("#d62728", "event: violence", (
        "armed-clash", "armed-attack", "air-strike", "shelling", "explosion", "suicide-bombing", "abduction",
        "attack-on-civilians", "mass-killing", "hostage-taking", "election-violence", "assassination",
        "physical-assault", "property-destruction", "cyber-attack")),
    "unrest": ("#ff7f0e", "event: protest and unrest", (
        "protest", "riot", "looting", "crackdown", "arrest", "strike", "hunger-strike")),
    "coercion": ("#843c39", "event: coercion and restrictions", (
        "restriction-of-freedoms", "state-of-emergency", "deportation", "property-seizure", "sanctions",
        "reduce-relations", "occupation-of-territory")),
    "military": ("#6b6ecf", "event: military and coups", (
        "coup-attempt", "foreign-military-deployment", "military-deployment", "request-military-assistance",
        "counter-terrorism-operation", "withdrawal", "military-exercise", "force-posture", "retreat")),
    "talks": ("#31a354", "event: talks, agreements and help", (
        "meeting", "ceasefire", "agreement", "peace-talks", "humanitarian-aid", "aid", "economic-aid", "military-aid",
        "intent-to-cooperate", "diplomatic-cooperation", "material-cooperation", "concession",
        "release-of-detainees")),
    "speech": ("#e377c2", "event: statements, demands and threats", (
        "statement", "accusation", "threat", "demand", "request", "rejection", "disapproval", "investigation")),
    "other": ("#969696", "event: other", ("displacement",)),
}
_FAMILY = {t: f for f, (_, _, members) in EVENT_FAMILIES.items() for t in members}

EDGE_COLOURS = {"role": "#7a7a7a", "place": "#6baed6", "claim": "#c9a23f", "part": "#a0a0a0"}


def family_of(event_type: str) -> str:
    return _FAMILY.get(event_type, "other")


def style_of(kind: str, event_type: str = "") -> tuple[str, str]:
    """(vis-network shape, colour) for a node kind; events by the family of their type."""
    if kind == "event":
        return EVENT_SHAPE, EVENT_FAMILIES[family_of(event_type)][0]
    shape, colour, _ = KIND_STYLE.get(kind, KIND_STYLE["actor"])
    return shape, colour


def legend(kinds: set[str], families: set[str]) -> list[dict[str, str]]:
    """Legend entries for what the page shows: shape, colour, text (and the event types of a family)."""
    out = [{"shape": s, "color": c, "text": t} for k, (s, c, t) in KIND_STYLE.items() if k in kinds]
    out += [{"shape": EVENT_SHAPE, "color": c, "text": t, "types": ", ".join(m)}
            for f, (c, t, m) in EVENT_FAMILIES.items() if f in families]
    return out
