"""Result objects: a trend's points are held as columns but read like a tuple of points."""

from __future__ import annotations

import json

import pytest

from contexta_core.results import MetricTrend, TrendPoint, TrendPoints, to_jsonable
from contexta_core.synthetic import day


def points(n: int) -> tuple[TrendPoint, ...]:
    return tuple(
        TrendPoint(
            f"run:p.r{i}", f"r{i}", i / 10, day(i), "completed", "evaluate", ("prod",) if i == 1 else ()
        )
        for i in range(n)
    )


def test_trend_points_read_like_a_tuple_of_points():
    plain = points(4)
    held = TrendPoints.of(plain)
    assert len(held) == 4 and bool(held) and not TrendPoints()
    assert tuple(held) == plain and held == plain and held == list(plain) and held != plain[:3]
    assert held[1] == plain[1] and isinstance(held[1], TrendPoint) and held[-1].run_name == "r3"
    assert held[1:3] == plain[1:3] and isinstance(held[1:3], TrendPoints)
    assert held[::-1][0] == plain[-1] and list(reversed(held)) == list(reversed(plain))
    assert held.index(plain[2]) == 2 and plain[3] in held
    assert held.values == (0.0, 0.1, 0.2, 0.3) and held.run_ids[0] == "run:p.r0"
    assert held.started_at == tuple(p.started_at for p in plain) and held.run_names[-1] == "r3"
    assert hash(held) == hash(TrendPoints.of(plain)) and repr(held) == "TrendPoints(4 points)"
    with pytest.raises(IndexError):
        held[4]


def test_trend_points_refuse_ragged_columns():
    with pytest.raises(ValueError, match="7 columns of equal length"):
        TrendPoints(((1,), (2,)))
    with pytest.raises(ValueError, match="equal length"):
        TrendPoints(((1,),) * 6 + ((),))


def test_a_metric_trend_from_plain_points_and_as_json():
    trend = MetricTrend("accuracy", "p", "evaluate", "latest", list(points(3)))
    assert isinstance(trend.points, TrendPoints) and trend.values == (0.0, 0.1, 0.2)
    assert trend.first.run_name == "r0" and trend.last.run_name == "r2" and trend.change == pytest.approx(0.2)
    empty = MetricTrend("accuracy", "p", "evaluate", "latest", ())
    assert empty.first is None and empty.last is None and empty.change is None and empty.values == ()
    data = json.loads(json.dumps(to_jsonable(trend)))
    assert data["points"][1] == {
        "run_id": "run:p.r1",
        "run_name": "r1",
        "value": 0.1,
        "started_at": "2025-01-02T09:00:00Z",
        "status": "completed",
        "stage_name": "evaluate",
        "deployments": ["prod"],
    }


def test_a_trend_survives_copy_and_pickle():
    import copy
    import pickle

    trend = MetricTrend("accuracy", "p", "evaluate", "latest", points(3))
    assert copy.deepcopy(trend) == trend and pickle.loads(pickle.dumps(trend)) == trend
    assert hash(copy.copy(trend)) == hash(trend)
