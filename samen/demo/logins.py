"""The demo logins: one per role, all with the same password. Synthetic; never used in production.

``manage.py demo_municipality`` creates these accounts; ``manage.py demo_logins`` prints them;
the browser tests log in with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from samen.core.actor import Role

DEMO_PASSWORD = "samen-demo-2026"  # noqa: S105 - a published demo password for synthetic accounts
DEMO_EMAIL_DOMAIN = "demo.samen.test"


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    description: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(Role.CITIZEN, f"inwoner@{DEMO_EMAIL_DOMAIN}", "citizen (a parent in a household with a team)"),
    DemoLogin(Role.COORDINATOR, f"regisseur@{DEMO_EMAIL_DOMAIN}", "coordinator (neighbourhood team)"),
    DemoLogin(
        Role.PROFESSIONAL,
        f"professional@{DEMO_EMAIL_DOMAIN}",
        "professional of another organisation (debt counselling)",
    ),
    DemoLogin(Role.CLIENT_SUPPORTER, f"clientondersteuner@{DEMO_EMAIL_DOMAIN}", "independent client supporter"),
    DemoLogin(Role.NETWORK_FACILITATOR, f"netwerkcoordinator@{DEMO_EMAIL_DOMAIN}", "network facilitator"),
    DemoLogin(Role.POLICY_ADVISOR, f"beleidsadviseur@{DEMO_EMAIL_DOMAIN}", "policy advisor (municipality)"),
    DemoLogin(Role.FUNCTIONAL_ADMIN, f"beheerder@{DEMO_EMAIL_DOMAIN}", "functional administrator"),
)
