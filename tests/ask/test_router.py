import dataclasses
import random
import time

import pytest

from contexta_core.ask.router import PRIORITY, RoutedQuestion, clean_question_text, route_question
from contexta_core.direction import resolve_higher_is_better

PROJECTS = ["churn-prediction", "fraud-detection", "churn-prediction-v2"]
INTENTS = {"runs", "trend", "deployments", "best", "report", "onboard", "compare", "help"}


def route(text: str, projects=PROJECTS, default=None) -> RoutedQuestion:
    return route_question(text, projects, default)


# --- intents ---------------------------------------------------------------------------------

INTENT_CASES = [
    # runs
    ("how many training runs do we have?", "runs"),
    ("list the runs", "runs"),
    ("what runs are there", "runs"),
    ("what are the runs called", "runs"),
    ("How many experiments did we run?", "runs"),
    ("show me all runs for fraud-detection", "runs"),
    ("can you name the runs?", "runs"),
    ("how many models have we trained so far", "runs"),
    ("what experiments exist", "runs"),
    ("runs?", "runs"),
    ("학습 실행이 몇 개야?", "runs"),
    ("실행 목록 보여줘", "runs"),
    ("어떤 실행들이 있어?", "runs"),
    ("실험 리스트 좀", "runs"),
    ("런 이름 알려줘", "runs"),
    # trend
    ("how did accuracy change over time?", "trend"),
    ("show me the accuracy trend", "trend"),
    ("is f1 improving?", "trend"),
    ("has the loss been getting worse?", "trend"),
    ("plot recall across runs", "trend"),
    ("how has precision evolved", "trend"),
    ("did auc regress after march?", "trend"),
    ("정확도는 어떻게 변했어?", "trend"),
    ("정확도 추이", "trend"),
    ("f1 추세 보여줘", "trend"),
    ("손실이 좋아지고 있어?", "trend"),
    ("시간에 따라 재현율이 어떻게 바뀌었나요?", "trend"),
    ("정확도 그래프", "trend"),
    # deployments
    ("which model is in production?", "deployments"),
    ("what's deployed?", "deployments"),
    ("What’s deployed right now?", "deployments"),
    ("which runs were deployed to production?", "deployments"),
    ("what's live", "deployments"),
    ("what is live right now for fraud-detection", "deployments"),
    ("show deployments", "deployments"),
    ("which version are we serving?", "deployments"),
    ("how many models are in prod?", "deployments"),
    ("어떤 실행이 프로덕션에 배포됐어?", "deployments"),
    ("지금 운영에 올라간 모델은?", "deployments"),
    ("배포 이력 알려줘", "deployments"),
    ("fraud-detection의 배포 현황", "deployments"),
    # best
    ("what's our best run on f1?", "best"),
    ("which run is objectively the best?", "best"),
    ("top run by auc", "best"),
    ("which run has the lowest loss", "best"),
    ("which run has the highest recall?", "best"),
    ("which deployed run is best?", "best"),
    ("show me the best run", "best"),
    ("what's the winning model", "best"),
    ("가장 좋은 실행은 뭐야?", "best"),
    ("f1 기준 최고 실행", "best"),
    ("정확도가 제일 높은 모델", "best"),
    ("손실이 가장 낮은 실행은?", "best"),
    ("F1 Score 기준 best를 알려줘", "best"),
    ("베스트 런", "best"),
    # report
    ("is there a structured report comparing all runs?", "report"),
    ("give me a report", "report"),
    ("comparison table", "report"),
    ("compare all the runs", "report"),
    ("can I get a side-by-side of every run?", "report"),
    ("전체 실행 비교 리포트 있어?", "report"),
    ("보고서 만들어줘", "report"),
    ("모든 실행을 비교해줘", "report"),
    ("비교표 보여줘", "report"),
    # compare
    ("compare churn-v3-feb and churn-v6-apr", "compare"),
    ("churn-v3-feb vs churn-v6-apr", "compare"),
    ("churn-v3-feb vs. churn-v6-apr on f1", "compare"),
    ("what's the difference between churn-v3-feb and churn-v6-apr?", "compare"),
    ("which is better, churn-v3-feb or churn-v6-apr?", "compare"),
    ("how does fraud-v2-jan stack up against fraud-v5-may", "compare"),
    ("churn-v3-feb랑 churn-v6-apr 비교해줘", "compare"),
    ("churn-v3-feb와 churn-v6-apr의 차이는?", "compare"),
    ("churn-v3-feb하고 churn-v6-apr 중 뭐가 나아?", "compare"),
    # onboard
    ("I'm new, give me an overview", "onboard"),
    ("onboard me", "onboard"),
    ("summarize the project", "onboard"),
    ("tell me everything about churn-prediction", "onboard"),
    ("I am new here, where do I start?", "onboard"),
    ("what is this project", "onboard"),
    ("give me the big picture", "onboard"),
    ("tell me about fraud-detection", "onboard"),
    ("프로젝트 요약해줘", "onboard"),
    ("온보딩 해줘", "onboard"),
    ("신입인데 프로젝트 개요 알려줘", "onboard"),
    ("이 프로젝트 소개해줘", "onboard"),
    # help
    ("help", "help"),
    ("HELP!", "help"),
    ("?", "help"),
    ("도움말", "help"),
    ("what can you do?", "help"),
    ("뭘 할 수 있어?", "help"),
    ("how do I use this?", "help"),
    ("어떻게 사용해?", "help"),
    ("what's the weather?", "help"),
    ("asdf", "help"),
    ("", "help"),
    ("   ", "help"),
    ("lunch?", "help"),
    ("churn-prediction", "help"),  # a bare project name is not an intent: don't guess
    ("ㅋㅋㅋ", "help"),
    ("안녕하세요", "help"),
]


@pytest.mark.parametrize(("text", "intent"), INTENT_CASES)
def test_intent(text, intent):
    assert route(text).intent == intent


def test_enough_intent_cases():
    assert len(INTENT_CASES) >= 40
    assert {intent for _, intent in INTENT_CASES} == INTENTS


def test_priority_order_is_documented():
    # issue #11 adds `projects` ("which projects are there?"), issue #15 `news` ("what's new?")
    assert PRIORITY == (
        "news",
        "compare",
        "best",
        "deployments",
        "trend",
        "report",
        "runs",
        "onboard",
        "projects",
        "help",
    )


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("which deployed run is best?", "best"),  # best > deployments
        ("how many runs were deployed?", "deployments"),  # deployments > runs
        ("show the accuracy trend of the deployed model", "deployments"),  # deployments > trend
        ("report the f1 trend", "trend"),  # trend > report
        ("report on all runs", "report"),  # report > runs
        ("I'm new, list the runs", "runs"),  # runs > onboard
        ("help me find the best run", "best"),  # anything > help
        ("compare churn-v3-feb and churn-v6-apr, which is best?", "compare"),  # compare > best
        ("compare churn-v3-feb with the best run", "best"),  # compare needs two run names
    ],
)
def test_priority(text, intent):
    assert route(text).intent == intent


# --- language --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("list runs", "en"),
        ("실행 목록", "ko"),
        ("f1 기준 best", "ko"),
        ("", "en"),
        ("ㅋㅋ", "en"),
        ("123", "en"),
    ],
)
def test_language(text, language):
    assert route(text).language == language


# --- metric and direction --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("show me the accuracy trend", "accuracy"),
        ("best run by F1", "f1"),
        ("best f1 score", "f1"),
        ("best run by f1-score", "f1"),
        ("roc auc trend", "auc"),
        ("ROC-AUC of the best run", "auc"),
        ("top run by auc", "auc"),
        ("precision over time", "precision"),
        ("recall trend", "recall"),
        ("lowest validation loss", "loss"),
        ("best rmse", "rmse"),
        ("best mae", "mae"),
        ("latency of the live model", "latency"),
        ("정확도 추이", "accuracy"),
        ("정밀도 추이", "precision"),
        ("재현율 최고", "recall"),
        ("손실 추이", "loss"),
        ("f1기준 최고", "f1"),
        ("list the runs", None),
        ("accuracy and f1 trend", "accuracy"),  # first mentioned wins
        ("f1 and accuracy trend", "f1"),
    ],
)
def test_metric(text, metric):
    assert route(text).metric == metric


@pytest.mark.parametrize(
    ("text", "lower"),
    [
        ("which run has the lowest loss", True),
        ("best loss", True),
        ("best rmse", True),
        ("손실이 가장 낮은 실행은?", True),
        ("어떤 실행이 가장 낮은 정확도야?", True),
        ("lowest accuracy run", True),
        ("best f1", False),
        ("highest accuracy", False),
        ("가장 높은 f1", False),
        ("list runs", False),
    ],
)
def test_lower_is_better(text, lower):
    """The words decide when they say a direction; else the metric's name does (by the one rule)."""
    routed = route(text)
    assert resolve_higher_is_better(routed.metric or "accuracy", routed.higher_is_better) is not lower


# --- run names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "particle", ["랑", "와", "과", "하고", "이랑", "을", "를", "은", "는", "이", "가", "의", "에서"]
)
def test_korean_particles_are_stripped_from_run_names(particle):
    routed = route(f"churn-v3-feb{particle} churn-v6-apr{particle} 비교해줘")
    assert routed.run_names == ("churn-v3-feb", "churn-v6-apr")
    assert routed.intent == "compare"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("compare churn-v3-feb and churn-v6-apr", ("churn-v3-feb", "churn-v6-apr")),
        ("compare Churn-V3-Feb, churn-v6-apr.", ("Churn-V3-Feb", "churn-v6-apr")),
        ("churn-v3-feb vs churn-v3-feb", ("churn-v3-feb",)),  # deduplicated
        ("compare churn-prediction-v2 and churn-v6-apr", ("churn-v6-apr",)),  # projects excluded
        ("compare churn-predction-v2 and churn-v6-apr", ("churn-v6-apr",)),  # typo'd project too
        ("runs on 2024-03-01", ()),  # dates are not runs
        ("roc-auc trend", ()),  # no digit
        ("list runs", ()),
    ],
)
def test_run_names(text, names):
    assert route(text).run_names == names


def test_compare_with_one_run_name_is_not_compare():
    assert route("compare churn-v3-feb").intent != "compare"


# --- stage -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("what's the best run in the eval stage", "eval"),
        ("best run on stage validation", "validation"),
        ("runs in stage staging", "staging"),
        ("검증 단계에서 가장 낮은 손실", "검증"),
        ("평가단계 최고 실행", "평가"),
        ("runs --stage=prod", "prod"),
        ("best run", None),
        ("in the stage", None),
    ],
)
def test_stage(text, stage):
    assert route(text).stage == stage


# --- project resolution ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "project"),
    [
        ("runs for churn-prediction", "churn-prediction"),
        ("runs for churn-prediction-v2", "churn-prediction-v2"),  # not ambiguous with the prefix
        ("runs for CHURN-PREDICTION", "churn-prediction"),
        ("runs for churn-predction", "churn-prediction"),  # typo
        ("runs for churn-predction-v2", "churn-prediction-v2"),  # typo in the longer name
        ("runs for churn prediction", "churn-prediction"),
        ("runs for churn_prediction", "churn-prediction"),
        ("runs for fraud-detecton", "fraud-detection"),
        ("fraud-detection의 배포 현황", "fraud-detection"),
        ("churn-prediction-v2에서 가장 좋은 실행", "churn-prediction-v2"),
        ("what's deployed in <#C1|fraud-detection>?", "fraud-detection"),
    ],
)
def test_project_resolution(text, project):
    routed = route(text)
    assert (routed.project, routed.project_candidates) == (project, ())


def test_ambiguous_fuzzy_match_returns_candidates():
    routed = route_question("runs for churn-model", ["churn-model-a", "churn-model-b", "fraud"])
    assert routed.project is None
    assert set(routed.project_candidates) == {"churn-model-a", "churn-model-b"}


def test_two_exact_projects_are_ambiguous():
    routed = route("churn-prediction and fraud-detection runs")
    assert routed.project is None
    assert set(routed.project_candidates) == {"churn-prediction", "fraud-detection"}


def test_no_project_uses_default():
    routed = route("list runs", default="fraud-detection")
    assert (routed.project, routed.project_candidates) == ("fraud-detection", ())


def test_mentioned_project_beats_default():
    assert route("runs for churn-prediction", default="fraud-detection").project == "churn-prediction"


def test_no_project_no_default():
    assert route("list runs").project is None


def test_single_project_is_implied():
    assert route_question("list runs", ["only-project"]).project == "only-project"


def test_no_projects_at_all():
    routed = route_question("runs for churn-prediction", [])
    assert (routed.project, routed.project_candidates) == (None, ())


def test_blank_project_names_are_ignored():
    assert route_question("list runs", ["", "  ", "churn-prediction"]).project == "churn-prediction"


def test_weak_partial_name_does_not_match():
    assert route("what about churn").project is None


# --- Slack markup and hostile input ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<@U123> list runs", "list runs"),
        ("<@U123|alice> hi", "hi"),
        ("<!here> <!channel> <!everyone> runs", "runs"),
        ("<!subteam^S123|@ml-team> runs", "runs"),
        ("see <#C123|ml-team>", "see ml-team"),
        ("see <https://example.com|the dashboard>", "see the dashboard"),
        ("see <https://example.com>", "see"),
        ("a &amp; b &lt;x&gt;", "a & b <x>"),
        ("  many\n\nspaces\there  ", "many spaces here"),
        ("it’s", "it's"),
        ("", ""),
    ],
)
def test_clean_question_text(raw, clean):
    assert clean_question_text(raw) == clean


def test_clean_caps_length():
    assert len(clean_question_text("word " * 2000)) <= 2000


def test_mention_then_question_routes():
    routed = route("<@U0BOT> which model is in production? <!channel>")
    assert routed.intent == "deployments"


@pytest.mark.parametrize(
    "text",
    [
        "<!channel>",
        "<@U123>",
        "```<!channel>```",
        "'; DROP TABLE runs; --",
        "{{7*7}} ${jndi:ldap://x}",
        "\x00\x01\x02",
        "\ud800 lone surrogate",
        "\u202e\u200b",
        "<<<<>>>>",
        "<" * 3000,
        "-" * 5000,
        "가" * 5000,
        "🙂" * 1000,
        "a" * 5000,
        "--stage",
        "단계" * 100,
    ],
)
def test_hostile_input_never_raises(text):
    routed = route(text)
    assert routed.intent in INTENTS
    assert routed.language in {"en", "ko"}


def test_injection_strings_route_to_help():
    assert route("<!channel> <@U123> ```").intent == "help"


def test_non_str_input_is_help():
    assert route_question(None, PROJECTS).intent == "help"  # type: ignore[arg-type]


def test_random_text_never_raises():
    rng = random.Random(42)
    alphabet = "abcxyz -_<>@!#|`'\"\n정확도배포실행 0123456789.,?"
    for _ in range(1000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        assert route(text).intent in INTENTS


def _long_text() -> str:
    rng = random.Random(7)
    words = (
        "which",
        "run",
        "is",
        "the",
        "best",
        "churn-v3-feb",
        "정확도",
        "추이",
        "deploy",
        "<@U1>",
        "report",
    )
    text = " ".join(rng.choice(words) for _ in range(1500))[:5000]
    assert len(text) == 5000
    return text


def test_5000_char_input_routes():
    routed = route(_long_text())
    assert routed.intent in INTENTS


def test_long_input_is_fast():
    many_projects = [f"team-{i}-model" for i in range(50)] + PROJECTS
    texts = [_long_text(), "a" * 5000, "-1" * 2500, "가" * 5000, "1 " * 2500]
    start = time.perf_counter()
    for text in texts:
        route_question(text, many_projects)
    assert time.perf_counter() - start < 1.0  # typically ~10 ms per call


def test_routed_question_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        route("help").intent = "runs"  # type: ignore[misc]


def test_a_direction_is_reported_only_when_the_words_say_one():
    assert route("which run has the highest loss").higher_is_better is True
    assert route("가장 낮은 정확도").higher_is_better is False
    assert route("best loss").higher_is_better is None  # the name's direction is the scope's to apply


@pytest.mark.parametrize(
    ("text", "understood"),
    [("help", True), ("도움말", True), ("what's the weather?", False), ("", False), ("best f1", True)],
)
def test_understood_tells_a_help_request_from_a_question_nothing_matched(text, understood):
    routed = route(text)
    assert routed.understood is understood
    assert routed.intent == "help" or understood
