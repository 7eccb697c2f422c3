"""E-mail deliveries: coordinators watch them and send failed ones again."""

import rules

from core.roles import is_coordinator

rules.add_perm("mail.see_deliveries", is_coordinator)
