"""One moderation workflow for everything members propose (the observatory's initiatives, the
library's resources…): a proposal is drafted, submitted, then a moderator publishes it, asks
for changes (the author edits and submits again) or rejects it, with comments on the way; each
step e-mails the author (and, on submission, the moderators) through the outbox, in the
transaction that makes the step.

- `states`: the states and the actions recorded in a proposal's history.
- `models`: abstract bases for a proposal (state, dates, who decided) and its comments.
- `services.Moderation`: the transitions, given per kind of proposal what "publishable" and
  "publish" mean and where its pages are.
- `mail`: the e-mails (templates `moderation/email/<event>.txt`).
"""
