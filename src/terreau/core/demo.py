"""Demo data shared by every app: the demo accounts and the theme taxonomy."""

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from .models import Theme

DEMO_STAFF_EMAIL = "admin@terreau.localhost"
DEMO_MODERATOR_EMAIL = "moderation@terreau.localhost"
DEMO_MEMBER_EMAIL = "membre@terreau.localhost"
DEMO_PASSWORD = "terreau-demo-2026"

# Two-level taxonomy drawn from the seed documents' themes (French first, English name second).
THEMES = [
    (
        "Participation citoyenne",
        "Citizen participation",
        [
            ("Conseils de quartier", "Neighbourhood councils"),
            ("Concertation", "Public consultation"),
            ("Garants et chartes de la participation", "Guarantors and participation charters"),
            ("Évaluation de la participation", "Evaluating participation"),
        ],
    ),
    (
        "Politique de la ville",
        "Urban policy",
        [
            ("Contrats de ville", "City contracts"),
            ("Quartiers prioritaires", "Priority neighbourhoods"),
        ],
    ),
    ("Conseils citoyens", "Citizens' councils", []),
    (
        "Pouvoir d'agir",
        "Empowerment",
        [
            ("Initiatives citoyennes", "Citizen initiatives"),
            ("Centres sociaux", "Social centres"),
        ],
    ),
    (
        "Transition écologique",
        "Ecological transition",
        [
            ("Plan climat", "Climate plan"),
            ("Communs", "Commons"),
        ],
    ),
    (
        "Budget participatif",
        "Participatory budgeting",
        [
            ("Finances locales", "Local finance"),
        ],
    ),
    (
        "Numérique",
        "Digital",
        [
            ("Plateformes participatives", "Participation platforms"),
        ],
    ),
    ("Jeunesse", "Youth", [("Conseils de jeunes", "Youth councils")]),
    (
        "Urbanisme et projet urbain",
        "Urban planning and urban projects",
        [
            ("Friches", "Brownfield sites"),
        ],
    ),
    ("Éducation populaire", "Popular education", []),
    (
        "Développement local",
        "Local development",
        [
            ("Tiers-lieux", "Third places"),
            ("Économie sociale et solidaire", "Social and solidarity economy"),
        ],
    ),
    (
        "Culture professionnelle de la participation",
        "Professional culture of participation",
        [
            ("Formation", "Training"),
            ("Ressources humaines", "Human resources"),
        ],
    ),
]


def demo_is_loaded() -> bool:
    return get_user_model().objects.filter(email=DEMO_STAFF_EMAIL).exists()


def load_themes() -> dict[str, Theme]:
    themes: dict[str, Theme] = {}
    for position, (name, name_en, children) in enumerate(THEMES):
        parent, _ = Theme.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "name_en": name_en, "position": position}
        )
        themes[name] = parent
        for child_position, (child, child_en) in enumerate(children):
            themes[child], _ = Theme.objects.update_or_create(
                slug=slugify(child),
                defaults={
                    "name": child,
                    "name_en": child_en,
                    "parent": parent,
                    "position": child_position,
                },
            )
    return themes


def load(stdout=None) -> None:
    load_themes()
