"""Who may do what with territories: everyone reads the public pages; staff browse the geography
in the admin (read-only, it comes from the loader) and edit zones."""

import rules

from terreau.accounts.rules import is_staff

rules.add_perm("territories", is_staff)  # the app in the admin index
for model in ("region", "department", "epci", "commune"):
    rules.add_perm(f"territories.view_{model}", is_staff)
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"territories.{action}_zone", is_staff)
