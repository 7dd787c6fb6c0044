"""Project access in the core, on both databases: the rules, the audit trail, what a viewer may see
(listings, vocabulary, names, runs, typo suggestions) and the digest subscriptions that follow."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from contexta_core import Contexta
from contexta_core.access import ACCESS_PAUSE_REASON, CHANNEL, OWNER_PAUSE_REASON, USERGROUP, Target, Viewer
from contexta_core.digests.posting import ChannelPacer, deliver_due
from contexta_core.errors import QueryError, UnknownProjectError, UnknownRunError
from contexta_core.synthetic import seed_demo
from contexta_core.tenancy import Tenant

SECRET = "acquisition-target-x"
TEAM, OTHER_TEAM = Tenant("T1"), Tenant("T2")
SECRET_CHANNEL = Target(CHANNEL, "C0SECRET", "ml-secret")
LEADS = Target(USERGROUP, "S0LEADS", "ml-leads")


@dataclass
class Members:
    """Membership facts as a surface would supply them."""

    channels: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    asked: list[str] = field(default_factory=list)

    def in_channel(self, channel_id: str) -> bool:
        self.asked.append(channel_id)
        return channel_id in self.channels

    def in_usergroup(self, usergroup_id: str) -> bool:
        self.asked.append(usergroup_id)
        return usergroup_id in self.groups


@pytest.fixture
def two(demo_ctx: Contexta) -> Contexta:
    seed_demo(demo_ctx, project=SECRET)
    return demo_ctx


def _error(call, *args) -> Exception:
    with pytest.raises(Exception) as info:
        call(*args)
    return info.value


def test_open_by_default_and_restricted_only_in_its_channels(two: Contexta) -> None:
    general = Viewer.in_channel("C0GENERAL")
    assert two.as_seen_by(TEAM, general).list_projects() == ("acquisition-target-x", "churn-prediction")
    change = two.access.restrict(TEAM, SECRET, [SECRET_CHANNEL], actor="U9", surface="slack")
    assert change.changed and not change.before.restricted and change.after.channels == (SECRET_CHANNEL,)
    assert two.as_seen_by(TEAM, general).list_projects() == ("churn-prediction",)
    assert two.as_seen_by(TEAM, Viewer.in_channel("C0SECRET")).list_projects() == (SECRET, "churn-prediction")
    assert two.as_seen_by(TEAM, Viewer.OPERATOR).list_projects() == (SECRET, "churn-prediction")
    # the rules are the team's: another Slack workspace on the same database is not affected
    assert SECRET in two.as_seen_by(OTHER_TEAM, general).list_projects()
    assert two.access.visible_projects(TEAM, general) == ("churn-prediction",)
    assert two.access.may_see(TEAM, Viewer.in_channel("C0SECRET"), SECRET)
    assert not two.access.may_see(TEAM, general, SECRET) and not two.access.may_see(TEAM, general, "nope")


def test_in_private_membership_of_a_channel_or_user_group_decides(two: Contexta) -> None:
    two.access.restrict(TEAM, SECRET, [SECRET_CHANNEL], [LEADS], actor="U9", surface="slack")
    outsider, member, lead = Members(), Members(channels={"C0SECRET"}), Members(groups={"S0LEADS"})
    assert SECRET not in two.as_seen_by(TEAM, Viewer.in_private("U2", outsider)).list_projects()
    assert SECRET in two.as_seen_by(TEAM, Viewer.in_private("U1", member)).list_projects()
    assert SECRET in two.as_seen_by(TEAM, Viewer.in_private("U3", lead)).list_projects()
    # a member asking in a shared channel that is not the project's still sees nothing there
    assert SECRET not in two.as_seen_by(TEAM, Viewer.in_channel("C0GENERAL", "U1")).list_projects()
    # open projects never cost a membership question
    two.access.open(TEAM, SECRET, actor="U9", surface="slack")
    quiet = Members()
    assert (
        SECRET in two.as_seen_by(TEAM, Viewer.in_private("U2", quiet)).list_projects() and quiet.asked == []
    )


def test_a_hidden_project_reads_exactly_as_one_that_does_not_exist(two: Contexta, tmp_path) -> None:
    two.access.restrict(TEAM, SECRET, [SECRET_CHANNEL], actor="U9", surface="slack")
    seen = two.as_seen_by(TEAM, Viewer.in_channel("C0GENERAL"))
    with Contexta(workspace=tmp_path / "alone", database_url=f"sqlite:///{tmp_path / 'alone.db'}") as alone:
        seed_demo(alone)  # the same workspace where the project was never recorded
        for typed in (
            SECRET,
            "ACQUISITION-TARGET-X",
            "acquisition-target",
            "acquisiton-target-x",
            "project:" + SECRET,
        ):
            hidden, missing = (
                _error(seen.resolve_project_name, typed),
                _error(alone.resolve_project_name, typed),
            )
            assert type(hidden) is type(missing) is UnknownProjectError
            assert (hidden.message, hidden.details) == (missing.message, missing.details), typed
        for call in (
            lambda c: c.count_runs(SECRET),
            lambda c: c.list_deployments(SECRET),
            lambda c: c.resolve_scope(SECRET, "accuracy"),
            lambda c: c.onboarding_summary(SECRET),
            lambda c: c.best_run(SECRET, "accuracy"),
            lambda c: c.digests.subscribe(tenant=TEAM, target="C0GENERAL", project=SECRET),
        ):
            hidden, missing = _error(call, seen), _error(call, alone)
            assert (hidden.message, hidden.details) == (missing.message, missing.details)
        # its runs too: full refs are unknown, bare ids are no longer ambiguous, suggestions stay visible
        ref = f"run:{SECRET}.churn-v1-jan"
        hidden, missing = (
            _error(lambda: seen.get_run_snapshot(ref)),
            _error(lambda: alone.get_run_snapshot(ref)),
        )
        assert isinstance(hidden, UnknownRunError) and (hidden.message, hidden.details) == (
            missing.message,
            missing.details,
        )
        assert SECRET not in str(_error(lambda: seen.compare_runs("churn-v1-jn", "churn-v2-feb")).details)
        assert "ambiguous" in _error(lambda: two.compare_runs("churn-v1-jan", "churn-v2-feb")).message
        compared = seen.compare_runs("churn-v1-jan", "churn-v2-feb")
        assert compared == alone.compare_runs("churn-v1-jan", "churn-v2-feb")
        # the vocabulary questions are read with has no trace of it (not even making words shared)
        assert seen.vocabulary().projects == alone.vocabulary().projects
        assert seen.vocabulary().match_project("acquisition") is None
        assert two.vocabulary().match_project("acquisition").name == SECRET


def test_every_change_is_recorded_with_who_when_and_before_after(two: Contexta) -> None:
    other = Target(CHANNEL, "C0OTHER", "ml-other")
    two.access.restrict(TEAM, SECRET, [SECRET_CHANNEL], actor="U9", surface="slack")
    same = two.access.restrict(TEAM, SECRET, [SECRET_CHANNEL, SECRET_CHANNEL], actor="U9", surface="slack")
    assert not same.changed  # nothing to record
    two.access.restrict(TEAM, SECRET, [SECRET_CHANNEL, other], [LEADS], actor="U8", surface="slack")
    two.access.open(TEAM, SECRET, actor="cli:ops", surface="cli")
    history = two.access.history(TEAM, SECRET)
    assert [(c.action, c.actor, c.surface) for c in history] == [
        ("open", "cli:ops", "cli"),
        ("restrict", "U8", "slack"),
        ("restrict", "U9", "slack"),
    ]
    assert history[1].before.channels == (SECRET_CHANNEL,)
    assert history[1].after.channels == (SECRET_CHANNEL, other) and history[1].after.usergroups == (LEADS,)
    assert history[0].after.restricted is False and history[0].changed_at >= history[1].changed_at
    assert two.access.history(OTHER_TEAM, SECRET) == () and two.access.tenants() == (TEAM,)
    assert not two.access.of(TEAM, SECRET).restricted


def test_restricting_needs_a_channel_and_usable_targets(two: Contexta) -> None:
    with pytest.raises(QueryError) as info:
        two.access.restrict(TEAM, SECRET, [], [LEADS], actor="U9", surface="slack")
    assert info.value.code == "access_no_channels"
    with pytest.raises(QueryError) as info:
        two.access.restrict(TEAM, SECRET, [Target(CHANNEL, "")], actor="U9", surface="slack")
    assert info.value.code == "access_bad_target"
    with pytest.raises(UnknownProjectError):
        two.access.restrict(TEAM, "nope", [SECRET_CHANNEL], actor="U9", surface="slack")
    assert two.access.history(TEAM, SECRET) == ()  # nothing half-written


def test_subscriptions_that_lose_access_pause_and_resume_when_it_comes_back(two: Contexta) -> None:
    digests = two.digests
    general, _ = digests.subscribe(tenant=TEAM, target="C0GENERAL", project=SECRET)
    inside, _ = digests.subscribe(tenant=TEAM, target="C0SECRET", project=SECRET)
    dm, _ = digests.subscribe(tenant=TEAM, target="D0DM", project=SECRET, created_by="U1")
    other, _ = digests.subscribe(tenant=TEAM, target="C0GENERAL", project="churn-prediction")
    member = Members(channels={"C0SECRET"})

    def reader(target: str, by: str | None) -> Viewer:  # the surface: a DM is its subscriber's
        return Viewer.in_private(by, member) if target.startswith("D") else Viewer.in_channel(target)

    change = two.access.restrict(
        TEAM, SECRET, [SECRET_CHANNEL], actor="U9", surface="slack", subscriber=reader
    )
    assert change.paused == ("C0GENERAL",)
    state = {s.id: s for s in digests.subscriptions(tenant=TEAM)}
    assert state[general.id].status == "paused" and state[general.id].paused_reason == ACCESS_PAUSE_REASON
    assert all(state[s.id].is_active for s in (inside, dm, other))
    # the channel that lost access still sees its own paused subscription (and why); others do not
    here = two.as_seen_by(TEAM, Viewer.in_channel("C0GENERAL")).digests
    assert [s.project_name for s in here.subscriptions(tenant=TEAM, target="C0GENERAL")] == [
        SECRET,
        "churn-prediction",
    ]
    elsewhere = two.as_seen_by(TEAM, Viewer.in_channel("C0RANDOM")).digests
    assert [s.project_name for s in elsewhere.subscriptions(tenant=TEAM)] == ["churn-prediction"]
    assert [s.subscription.project_name for s in elsewhere.statuses(tenant=TEAM)] == ["churn-prediction"]
    # a subscription paused for another reason stays paused when access comes back
    digests.pause(dm.id, "the channel is archived (`is_archived`)")
    change = two.access.open(TEAM, SECRET, actor="U9", surface="slack", subscriber=reader)
    assert change.resumed == ("C0GENERAL",)
    state = {s.id: s for s in digests.subscriptions(tenant=TEAM)}
    assert state[general.id].is_active and state[general.id].paused_reason is None
    assert state[general.id].schedule_from == change.changed_at  # no back-posting of missed weeks
    assert state[dm.id].status == "paused"


@dataclass
class Poster:
    """A surface's digest poster, Slack-free: it records posts, and says who reads a target (``reader``,
    as the bot's does from Slack's facts)."""

    member: Members | None = None
    posted: list[str] = field(default_factory=list)

    def post(self, subscription, summary, *, plain: bool = False) -> str:
        self.posted.append(subscription.target)
        return f"{len(self.posted)}.0"


class ReadingPoster(Poster):
    def reader(self, tenant: Tenant):
        def read(target: str, by: str | None) -> Viewer:
            return Viewer.in_private(by, self.member) if target.startswith("D") else Viewer.in_channel(target)

        return read


def test_a_dm_digest_asks_at_posting_time_whether_its_person_may_still_see_the_project(two: Contexta) -> None:
    monday = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)  # 09:00 in Seoul
    two.access.restrict(TEAM, SECRET, [SECRET_CHANNEL], actor="U9", surface="slack")
    two.digests.subscribe(
        tenant=TEAM, target="D0DM", project=SECRET, created_by="U1", now=monday - timedelta(days=2)
    )
    poster = ReadingPoster(Members(channels={"C0SECRET"}))

    def run(now: datetime, with_poster=poster):
        report = deliver_due(two, with_poster, now, tenant=TEAM, pacer=ChannelPacer(0), holder="test")
        return [o.status for o in report.outcomes]

    assert run(monday) == ["delivered"] and poster.posted == ["D0DM"]
    poster.member.channels.clear()  # left the channel: no rule changed
    assert run(monday + timedelta(days=7)) == ["paused"] and poster.posted == ["D0DM"]
    (paused,) = two.digests.subscriptions(tenant=TEAM)
    assert paused.paused_reason == OWNER_PAUSE_REASON
    assert (
        run(monday + timedelta(days=7, minutes=1)) == []
        and not two.digests.subscriptions(tenant=TEAM)[0].is_active
    )
    poster.member.groups.add("S0LEADS")  # not a group of the project: still out
    assert (
        run(monday + timedelta(days=7, minutes=2)) == []
        and not two.digests.subscriptions(tenant=TEAM)[0].is_active
    )
    poster.member.channels.add("C0SECRET")  # back: resumed from now on, posted the next week
    assert run(monday + timedelta(days=7, minutes=3)) == []
    assert two.digests.subscriptions(tenant=TEAM)[0].is_active
    assert run(monday + timedelta(days=14)) == ["delivered"] and poster.posted == ["D0DM", "D0DM"]
    # a poster that cannot say who reads a DM fails closed: the target counts as a shared channel
    blind = Poster()
    assert run(monday + timedelta(days=21), blind) == ["paused"] and blind.posted == []
    assert two.digests.subscriptions(tenant=TEAM)[0].paused_reason == ACCESS_PAUSE_REASON
    # an open project is posted without asking who reads it (opening it resumed the subscription)
    two.access.open(TEAM, SECRET, actor="U9", surface="slack", now=monday + timedelta(days=22))
    asked = len(poster.member.asked)
    assert run(monday + timedelta(days=28)) == ["delivered"] and len(poster.member.asked) == asked
