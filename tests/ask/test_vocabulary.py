"""The workspace's own names, found in what people type (both databases)."""

from __future__ import annotations

import pytest

from contexta_core.ask.vocabulary import EXACT, Vocabulary, text_words
from contexta_core.queries.names import MetricUsage, ProjectNames, WorkspaceNames


def build(ctx, project: str, stage: str, runs: dict[str, dict[str, float]]) -> None:
    for name, metrics in runs.items():
        with ctx.run(name, project=project) as run, run.stage(stage) as s:
            for key, value in metrics.items():
                s.log_metric(key, value)


@pytest.fixture
def workspace(demo_ctx):
    build(
        demo_ctx,
        "pedestrian-detector",
        "validate",
        {
            "ped-yolo-01": {"map50": 0.6, "map50_95": 0.4, "latency_ms": 12.0},
            "ped-yolo-02": {"map50": 0.7, "map50_95": 0.45, "latency_ms": 14.0},
        },
    )
    demo_ctx.record_deployment("edge-rollout-1", "run:pedestrian-detector.ped-yolo-02")
    return demo_ctx


def projects(vocabulary: Vocabulary, text: str) -> list[str]:
    return [m.name for m in vocabulary.find_projects(text)]


def test_names_come_from_the_store_and_are_cached_per_data_version(workspace):
    vocabulary = workspace.vocabulary()
    assert vocabulary.projects == ("churn-prediction", "pedestrian-detector")
    assert {m.key for m in vocabulary.metrics_of("pedestrian-detector")} == {
        "map50",
        "map50_95",
        "latency_ms",
    }
    assert {m.stage for m in vocabulary.metrics_of("churn-prediction")} == {"evaluate"}
    assert workspace.vocabulary() is vocabulary  # same data, same object
    build(workspace, "speech-ko", "eval", {"asr-1": {"wer": 0.2}})
    fresh = workspace.vocabulary()
    assert fresh is not vocabulary and "speech-ko" in fresh.projects
    assert projects(fresh, "how is speech ko doing") == ["speech-ko"]


@pytest.mark.parametrize(
    "text",
    [
        "churn-prediction",
        "Churn_Prediction",
        "churn prediction",
        "CHURN.PREDICTION",
        "churn-predction",  # typo
        "chrun-prediction",  # swapped letters
        "the churn project",  # distinctive word
        "chrun 프로젝트",  # typo of the distinctive word, Korean around it
        "churn-prediction에서",  # particle glued on
        "churn이랑 비교",
        "이탈 예측 모델",  # Korean words of the name
    ],
)
def test_a_project_is_found_however_it_is_written(workspace, text):
    assert projects(workspace.vocabulary(), text) == ["churn-prediction"]


@pytest.mark.parametrize(
    "text",
    ["ped detector", "the detector", "보행자 검출기 성능", "pedestrain-detector", "Pedestrian Detector"],
)
def test_abbreviations_and_words_of_a_project(workspace, text):
    assert projects(workspace.vocabulary(), text) == ["pedestrian-detector"]


@pytest.mark.parametrize(
    "text", ["how are you", "what's the weather", "predict the lunch menu", "안녕하세요", "call me later"]
)
def test_ordinary_words_are_no_project(workspace, text):
    assert projects(workspace.vocabulary(), text) == []


def test_a_word_several_projects_share_finds_them_all_at_a_lower_score():
    names = WorkspaceNames(
        (
            ProjectNames("churn-prediction"),
            ProjectNames("churn-prediction-v2"),
            ProjectNames("fraud-detection"),
        )
    )
    vocabulary = Vocabulary(names)
    shared = vocabulary.find_projects("the churn project")
    assert {m.name for m in shared} == {"churn-prediction", "churn-prediction-v2"}
    assert len({m.score for m in shared}) == 1 and shared[0].score < EXACT
    # the longer exact name wins over the shorter one inside it
    assert [m.name for m in vocabulary.find_projects("churn-prediction-v2 runs")] == ["churn-prediction-v2"]
    assert vocabulary.match_project("churn") is None  # ambiguous: not taken as either
    assert vocabulary.match_project("fraud-detecton").name == "fraud-detection"


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("best map50?", "map50"),
        ("mAP@50", "map50"),
        ("MAP50_95 trend", "map50_95"),
        ("map50-95", "map50_95"),
        ("latency", "latency_ms"),
        ("latency_ms은 어때", "latency_ms"),
        ("지연시간 제일 낮은", "latency_ms"),
        ("accuary", "accuracy"),
        ("정확도 추이", "accuracy"),
        ("F1 score", "f1"),
        ("auc는?", "auc"),
    ],
)
def test_metrics_are_found_from_what_is_recorded(workspace, text, metric):
    vocabulary = workspace.vocabulary()
    found = vocabulary.find_metric(text)
    assert found is not None and found.name == metric


def test_a_metric_of_the_named_project_first_then_any_project(workspace):
    vocabulary = workspace.vocabulary()
    assert vocabulary.find_metric("best f1", "churn-prediction").name == "f1"
    other = vocabulary.find_metric("best f1", "pedestrian-detector")  # recorded elsewhere only
    assert other.name == "f1" and other.project == "churn-prediction"
    assert vocabulary.find_metric("how many runs were there?") is None
    assert vocabulary.find_metric("were you there", "pedestrian-detector") is None


def test_initials_of_a_metric():
    names = WorkspaceNames(
        (ProjectNames("asr", (MetricUsage("wer", "eval", 3), MetricUsage("cer", "eval", 3))),)
    )
    vocabulary = Vocabulary(names)
    assert vocabulary.find_metric("lowest word error rate").name == "wer"
    assert vocabulary.find_metric("character error rate trend").name == "cer"


def test_runs_deployments_and_stages(workspace):
    vocabulary = workspace.vocabulary()
    runs = vocabulary.find_runs("compare churn-v3-feb랑 CHURN-V6-APR")
    assert [(m.name, m.project, m.score) for m in runs] == [
        ("churn-v3-feb", "churn-prediction", EXACT),
        ("churn-v6-apr", "churn-prediction", EXACT),
    ]
    found = vocabulary.find_runs("pde-yolo-02 vs ped-yolo-01")  # swapped letters
    assert [m.name for m in found] == ["ped-yolo-02", "ped-yolo-01"]
    assert vocabulary.find_runs("ped-yolo-03") == []  # another number is another run, not a typo
    assert [(m.name, m.kind) for m in vocabulary.find_runs("what is edge-rollout-1?")] == [
        ("edge-rollout-1", "deployment")
    ]
    assert vocabulary.find_stage("Validate", "pedestrian-detector").name == "validate"
    assert vocabulary.find_stage("valdiate").name == "validate"
    assert vocabulary.find_stage("validate", "churn-prediction") is None


def test_text_words_split_names_particles_and_scripts():
    assert [w.text for w in text_words("fraud-detection에서 map50은?")] == ["fraud", "detection", "map50"]
    words = text_words("best f1 run 어떤 거예요?")
    assert [w.text for w in words][:3] == ["best", "f1", "run"]
