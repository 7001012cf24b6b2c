"""Names of the groups that carry the roles of DESIGN.md; created by a data migration. A
member's role is their Membership of an organisation, not a group."""

COORDINATORS = "Coordinators"
# Wagtail's own initial migration creates the "Editors" group with page permissions.
EDITORS = "Editors"
# ... and the "Moderators" group, whose members review pages submitted to its moderation workflow.
MODERATORS = "Moderators"
