"""Alerts: tell a channel when a project's history changes (a new best, a deployment, a failure,
a regression), once per change, soon after it commits.

* ``watches``: which channel (of which team) watches which project, for which kinds;
* the outbox (``store/outbox.py``): the repositories write an event in the transaction of each
  change (a run ending, a deployment going live); bulk imports write none;
* ``dispatch``: route events to watches, gather bursts into one message, claim due messages once
  across processes (a unique row per (watch, event), leases, an advisory lock on PostgreSQL);
* ``summary``: what a message tells, judged by the project's primary metric;
* ``posting``: the dispatcher's pass, posting through the loop digests share (``contexta_core.delivery``).

Callers go through ``Contexta.alerts`` (``Alerts``). Nothing here knows about Slack.
"""

from .dispatch import AlertClaim, AlertPass, AlertTiming
from .facade import Alerts
from .posting import AlertOutcome, AlertPoster, AlertReport, deliver_due_alerts, delivery_key
from .summary import AlertDeployment, AlertFailure, AlertRun, AlertSummary, NewBest
from .watches import DEFAULT_KINDS, KINDS, Watch

__all__ = [
    "DEFAULT_KINDS",
    "KINDS",
    "AlertClaim",
    "AlertDeployment",
    "AlertFailure",
    "AlertOutcome",
    "AlertPass",
    "AlertPoster",
    "AlertReport",
    "AlertRun",
    "AlertSummary",
    "AlertTiming",
    "Alerts",
    "NewBest",
    "Watch",
    "deliver_due_alerts",
    "delivery_key",
]
