"""The ordered support-level scale from the annotation guide (../shared/ANNOTATION.md)."""

from __future__ import annotations

LABELS: tuple[str, ...] = ("opposed", "neutral", "diplomatic", "non_lethal", "lethal")
"""Labels in scale order, lowest first; a label's index is its level."""

LEVELS: dict[str, int] = {label: level for level, label in enumerate(LABELS)}

DESCRIPTIONS: dict[str, str] = {
    "opposed": "Works against the recipient or against supporting it: blocks or vetoes aid, "
    "condemns others' deliveries, backs the other side politically.",
    "neutral": "Commits to nothing new: keeps its position, declares neutrality, refuses a "
    "request, calls both sides to talk, only considers or studies a step.",
    "diplomatic": "Supports in words or by political and economic pressure without material aid: "
    "condemns the aggression, backs sovereignty, votes for a resolution, imposes sanctions.",
    "non_lethal": "Gives or pledges material aid that is not weapons: humanitarian, medical, "
    "financial or budget support, reconstruction, energy, non-lethal military equipment.",
    "lethal": "Gives, pledges, sells or finances weapons: arms, ammunition, missiles, air "
    "defence, tanks, combat drones, jets, or training troops for combat.",
}
