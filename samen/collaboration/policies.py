"""Who may answer, read and run a network's pulse (rules for ``samen.core.policy``). Per network, never per
household: nothing here is case content, and every figure is anonymous (``selectors``).

- ``collaboration.view`` on a ``Network``: the network's figures, open questions (at k = 10) and rounds: its
  facilitators, and the professionals, coordinators and client supporters of its organisations.
- ``collaboration.answer`` on a ``PulseRound``: answering an open round: a professional, coordinator or client
  supporter of one of the network's organisations (the facilitator answers only when they also work for one of
  them, through that membership).
- ``collaboration.manage`` on a ``Network``: scheduling, opening and closing rounds, the pulse's interval and
  thresholds, planning or setting aside a conversation prompt, a new version of the charter: the network's
  facilitators (and the system, for the daily job).
- ``collaboration.learn`` on a ``Network``: writing a learning entry and answering its safety check: as
  ``collaboration.view``.
"""

from __future__ import annotations

from samen.collaboration.models import PulseRound, RoundStatus
from samen.core.actor import Actor, Role
from samen.core.policy import rule
from samen.organisations.models import Network

WORK_ROLES = frozenset({Role.PROFESSIONAL, Role.COORDINATOR, Role.CLIENT_SUPPORTER})


def works_in(actor: Actor, network: Network) -> bool:
    """Whether the actor works (now, in this role) for one of the network's organisations."""
    return (
        actor.role in WORK_ROLES
        and actor.is_authenticated
        and actor.organisation_id is not None
        and network.organisations.filter(pk=actor.organisation_id).exists()
    )


def facilitates(actor: Actor, network: Network) -> bool:
    return (
        actor.role == Role.NETWORK_FACILITATOR
        and actor.is_authenticated
        and network.facilitators.filter(pk=actor.user_id).exists()
    )


@rule("collaboration.view")
def view(actor: Actor, network: Network | None) -> bool:
    if not isinstance(network, Network):
        return False
    return facilitates(actor, network) or works_in(actor, network)


@rule("collaboration.answer")
def answer(actor: Actor, pulse_round: PulseRound | None) -> bool:
    if not isinstance(pulse_round, PulseRound) or pulse_round.status != RoundStatus.OPEN:
        return False
    return works_in(actor, pulse_round.network)


@rule("collaboration.manage")
def manage(actor: Actor, network: Network | None) -> bool:
    """The network's facilitators, and the system itself (the daily job that opens and closes rounds by date)."""
    return isinstance(network, Network) and (actor.role == Role.SYSTEM or facilitates(actor, network))


@rule("collaboration.learn")
def learn(actor: Actor, network: Network | None) -> bool:
    """Writing and reading the network's learning log, and answering an entry's safety check: whoever may see the
    network's pulse (its facilitators and the professionals of its organisations)."""
    return view(actor, network)


@rule("collaboration.read_shared")
def read_shared(actor: Actor, _obj=None) -> bool:
    """The anonymised lessons that networks share upwards: for the municipality's policy advisors, and for everyone
    who facilitates a network or works for one of a network's organisations (a network learns from the others)."""
    if not actor.is_authenticated:
        return False
    if actor.role == Role.POLICY_ADVISOR:
        return True
    if actor.role == Role.NETWORK_FACILITATOR:
        return Network.objects.filter(facilitators=actor.user_id).exists()
    return (
        actor.role in WORK_ROLES
        and actor.organisation_id is not None
        and Network.objects.filter(organisations=actor.organisation_id).exists()
    )
