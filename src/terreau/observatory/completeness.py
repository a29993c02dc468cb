"""How complete an initiative's description is (pure: no Django), on Participedia's scale."""

# The fields a practitioner needs to learn from a case, beyond its title and summary.
CORE_FIELDS = (
    "description",
    "problems_purpose",
    "process",
    "outcomes",
    "lessons",
    "participation_level",
    "facilitation_formats",
    "target_publics",
    "themes",
    "lead_organisations",
    "start_date",
    "commune_or_department",
)


def _filled(data: dict, name: str) -> bool:
    if name == "commune_or_department":
        return bool(data.get("commune") or data.get("department"))
    value = data.get(name)
    return value not in (None, "", [], ())


def completeness_of(data: dict) -> str:
    """'complete' when every core field is filled, 'partial' from half of them, else 'stub'."""
    filled = sum(_filled(data, name) for name in CORE_FIELDS)
    if filled == len(CORE_FIELDS):
        return "complete"
    if filled * 2 >= len(CORE_FIELDS):
        return "partial"
    return "stub"
