"""Kept for branches written before the merge: the factories live in `tests.observatory.factories`
(one module per app); import them from there."""

from tests.observatory.factories import (  # noqa: F401
    FacilitationFormatFactory,
    ProposalFactory,
    PublishedInitiativeFactory,
    PublishedMethodFactory,
)
