"""Who may do what with the site's shared pieces (django-rules)."""

import rules

from terreau.accounts.rules import is_staff

rules.add_perm("core.manage_outbox", is_staff)
