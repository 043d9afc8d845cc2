"""The benchmark's own logic: reading wrk's output, combining runs and judging budgets.

No load and no timing here: the benchmarks themselves run on demand (``python -m bench``).
"""

from __future__ import annotations

import json

import pytest

from bench import budgets
from bench.appcache import cache_figure
from bench.budgets import FAIL, PASS, SKIP
from bench.results import Result, combine, median_baseline, ratios
from bench.scenarios import parse_db, parse_only
from bench.sizes import PageWeight, _Assets
from bench.wrk import Measurement, WrkError, parse_output


def _line(**overrides) -> str:
    raw = {
        "requests": 30000,
        "duration_us": 10_000_000,
        "bytes": 123456,
        "errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0, "unexpected": 0},
        "latency_us": {"p50": 1500, "p95": 2500, "p99": 4000, "mean": 1650.5, "max": 20000},
    }
    raw.update(overrides)
    return "BENCH_RESULT " + json.dumps(raw)


WRK_TEXT = """Running 10s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
  30000 requests in 10.00s, 120.56KB read
Requests/sec:   3000.00
{line}
"""


def _m(rps=1000.0, p99=5.0, errors=0, requests=None, seconds=10.0, p50=None, connections=8):
    return Measurement(
        requests=requests if requests is not None else int(rps * seconds),
        seconds=seconds,
        rps=rps,
        p50_ms=p99 / 4 if p50 is None else p50,
        p95_ms=p99 / 2,
        p99_ms=p99,
        mean_ms=p99 / 3,
        max_ms=p99 * 2,
        errors=errors,
        connections=connections,
    )


def _result(key, group, m, baseline=None, db=None, size=None, tokens=()) -> Result:
    return Result(
        key=key,
        label=key,
        group=group,
        path="/",
        measurement=m,
        baseline=baseline or _m(),
        db=db,
        size=size,
        tokens=list(tokens),
    )


# ----------------------------------------------------------------------------- wrk output


def test_parse_output_reads_throughput_and_percentiles():
    m = parse_output(WRK_TEXT.format(line=_line()))
    assert m.requests == 30000
    assert m.seconds == 10.0
    assert m.rps == 3000.0
    assert (m.p50_ms, m.p95_ms, m.p99_ms, m.max_ms) == (1.5, 2.5, 4.0, 20.0)
    assert m.mean_ms == pytest.approx(1.6505, abs=0.001)
    assert m.errors == 0
    assert m.error_detail == {}
    assert m.bytes == 123456


def test_parse_output_adds_socket_status_and_unexpected_errors():
    errors = {"connect": 1, "read": 2, "write": 0, "status": 5, "timeout": 3, "unexpected": 4}
    m = parse_output(_line(errors=errors))
    assert m.errors == 15
    assert m.error_detail == {"connect": 1, "read": 2, "status": 5, "timeout": 3, "unexpected": 4}


@pytest.mark.parametrize(
    "text",
    [
        "Requests/sec: 3000.00\n",  # the report script was not used
        "BENCH_RESULT {not json",
        "BENCH_RESULT " + json.dumps({"requests": 1}),
        _line(duration_us=0),
    ],
)
def test_parse_output_refuses_missing_or_broken_result(text):
    with pytest.raises(WrkError):
        parse_output(text)


# ----------------------------------------------------------------------------- combining runs


def test_ratios_compare_each_figure_with_the_baseline():
    r = ratios(_m(rps=700, p99=8.0), _m(rps=1000, p99=4.0))
    assert r["rps"] == 0.7
    assert r["p99_ms"] == 2.0
    assert ratios(_m(), _m(rps=0.0))["rps"] is None


def test_combine_adds_requests_over_total_time():
    merged = combine(
        [
            _m(rps=1000, p99=4.0, seconds=2),
            _m(rps=2000, p99=6.0, seconds=2),
            _m(rps=3000, p99=9.0, seconds=2, errors=1),
        ]
    )
    assert merged.requests == 12000
    assert merged.seconds == 6
    assert merged.rps == 2000.0
    assert merged.p99_ms == 6.0  # median of the slices
    assert merged.max_ms == 18.0
    assert merged.errors == 1


def test_median_baseline_is_the_middle_hello_run_at_the_same_connections():
    runs = [_m(rps=900), _m(rps=1500), _m(rps=1000), _m(rps=50, connections=1)]
    assert median_baseline(runs, 8).rps == 1000
    assert median_baseline(runs, 1).rps == 50
    assert median_baseline(runs, 16).rps == 1000  # no run at 16: the runs at 8
    with pytest.raises(ValueError):
        median_baseline([], 8)


def test_combine_keeps_the_connections():
    assert combine([_m(connections=1), _m(connections=1)]).connections == 1


def test_subject_names_the_database_the_size_and_an_unusual_connection_count():
    assert _result("inbox_list", "inbox", _m(), db="sqlite", size=100_000).subject == (
        "inbox_list / sqlite / 100,000"
    )
    alone = _result("inbox_list", "inbox", _m(connections=1), db="postgres", size=100_000)
    assert alone.subject == "inbox_list / postgres / 100,000 / c1"
    assert _result("landing_nb", "landing", _m()).subject == "landing_nb"


def test_cache_figure_is_the_median_of_each_side_or_none_when_nothing_was_cached():
    figure = cache_figure([9.0, 30.0, 10.0], [2.0, 1.0, 8.0], entries=4)
    assert (figure.cold_ms, figure.warm_ms, figure.keys) == (10.0, 2.0, 4)
    assert cache_figure([9.0], [2.0], entries=0) is None


# ----------------------------------------------------------------------------- budgets


@pytest.mark.parametrize(("rps", "status"), [(500, PASS), (499, FAIL), (1200, PASS)])
def test_landing_budget_is_half_of_hello(rps, status):
    result = _result("landing_nb", "landing", _m(rps=rps), baseline=_m(rps=1000))
    [check] = budgets.check_landing([result])
    assert check.status == status


def test_landing_budget_ignores_other_groups():
    assert budgets.check_landing([_result("form_nb", "form", _m(rps=1))]) == []


TOKENS = ["t1", "t2", "t3", "t4", "t5"]


@pytest.mark.parametrize(
    ("p99", "tokens", "statuses"),
    [
        (99.9, TOKENS, [PASS, PASS]),
        (100.0, TOKENS, [FAIL, PASS]),
        (10.0, ["same"] * 5, [PASS, FAIL]),  # a page kept whole: everyone gets one token
        (10.0, ["t1", "t2", "t3", "t4", ""], [PASS, FAIL]),  # a page without a token
        (10.0, TOKENS[:2], [PASS, FAIL]),  # too few pages sampled to tell
    ],
)
def test_form_page_budgets_are_p99_under_100_ms_and_a_token_for_each_visitor(p99, tokens, statuses):
    result = _result("embed_nb", "form", _m(p99=p99), db="postgres", tokens=tokens)
    checks = budgets.check_form_pages([result])
    assert [c.status for c in checks] == statuses
    assert checks[0].subject == "embed_nb / postgres"


def _weight(html=3000, css=2500, js=500, poster=400, htmx=False) -> PageWeight:
    return PageWeight(
        url="/",
        html=html,
        css={"/s.css": css},
        js={"/f.js": js},
        poster={"/p.svg": poster} if poster is not None else {},
        loads_htmx=htmx,
    )


def test_weight_budgets_pass_a_light_page():
    checks = budgets.check_weights({"nb": _weight()})
    assert [c.status for c in checks] == [PASS, PASS, PASS]


def test_weight_budget_counts_html_css_and_js_together():
    checks = budgets.check_weights({"nb": _weight(html=20_000, css=9_000, js=1_001)})
    assert checks[0].status == FAIL
    assert checks[0].measured == "30,001 B"
    assert (
        budgets.check_weights({"nb": _weight(html=20_000, css=9_000, js=1_000)})[0].status == PASS
    )


def test_weight_budgets_fail_a_heavy_poster_a_missing_poster_and_htmx():
    heavy = budgets.check_weights({"nb": _weight(poster=15_001)})
    assert heavy[1].status == FAIL
    missing = budgets.check_weights({"nb": _weight(poster=None)})
    assert (missing[1].budget, missing[1].status) == ("film poster present", FAIL)
    htmx = budgets.check_weights({"nb": _weight(htmx=True)})
    assert htmx[2].status == FAIL


@pytest.mark.parametrize(("p99", "status"), [(149.9, PASS), (150.0, FAIL)])
def test_submission_budget_is_p99_under_150_ms(p99, status):
    measured = _m(p99=p99, connections=16)
    [check] = budgets.check_submissions([_result("submit", "submit", measured, db="sqlite")])
    assert check.status == status
    assert check.subject == "submit / sqlite / c16"


def _inbox(key, size, rps, p99, db="postgres", p50=None, connections=8):
    measured = _m(rps=rps, p99=p99, p50=p50, connections=connections)
    return _result(key, "inbox", measured, db=db, size=size)


def _statuses(checks):
    return {(c.subject, c.budget.split()[1]): c.status for c in checks}


def test_inbox_budgets_judge_latency_at_100k_and_slowdown_from_10k():
    results = [
        _inbox("inbox_list", 10_000, rps=600, p99=20),
        _inbox("inbox_list", 100_000, rps=500, p99=99.9),  # 1.2x slower: still in budget
        _inbox("inbox_search", 10_000, rps=600, p99=20),
        _inbox("inbox_search", 100_000, rps=400, p99=100),  # too slow twice over
    ]
    assert _statuses(budgets.check_inbox(results)) == {
        ("inbox_list / postgres / 100,000", "p99"): PASS,
        ("inbox_list / postgres / 100,000", "req/s"): PASS,
        ("inbox_search / postgres / 100,000", "p99"): FAIL,
        ("inbox_search / postgres / 100,000", "req/s"): FAIL,
    }


def test_inbox_p50_is_judged_at_one_connection_and_only_at_100k():
    results = [
        _inbox("inbox_filter", 10_000, rps=600, p99=20),
        _inbox("inbox_filter", 100_000, rps=600, p99=20),
        _inbox("inbox_filter", 100_000, rps=40, p99=90, p50=29.9, connections=1),
        _inbox("inbox_search", 100_000, rps=30, p99=90, p50=30.0, connections=1),
        _inbox("inbox_search", 10_000, rps=30, p99=90, p50=99.0, connections=1),
    ]
    statuses = _statuses(budgets.check_inbox(results))
    assert statuses[("inbox_filter / postgres / 100,000 / c1", "p50")] == PASS
    assert statuses[("inbox_search / postgres / 100,000 / c1", "p50")] == FAIL
    assert len(statuses) == 4  # p99 and req/s of the filter at 8 connections, two p50s


def test_inbox_slowdown_is_skipped_without_a_10k_run():
    results = [_inbox("inbox_filter", 100_000, 500, 10)]
    assert [c.status for c in budgets.check_inbox(results)] == [PASS, SKIP]


def test_inbox_budgets_compare_within_one_database():
    results = [
        _inbox("inbox_list", 10_000, 900, 10, db="sqlite"),
        _inbox("inbox_list", 100_000, 500, 10, db="postgres"),
    ]
    assert [c.status for c in budgets.check_inbox(results)] == [PASS, SKIP]


def test_any_scenario_with_errors_fails():
    clean = _result("form_nb", "form", _m())
    broken = _result("landing_en", "landing", _m(errors=3))
    checks = budgets.check_errors([clean, broken])
    assert [(c.subject, c.status) for c in checks] == [("landing_en", FAIL)]
    assert budgets.failed(checks)
    assert not budgets.failed(budgets.check_errors([clean]))


# ----------------------------------------------------------------------------- options, pages


def test_parse_only_accepts_known_groups_and_defaults_to_all():
    assert parse_only("landing, form") == {"landing", "form"}
    assert "inbox" in parse_only(None)
    with pytest.raises(ValueError, match="nonsense"):
        parse_only("landing,nonsense")


def test_parse_db():
    assert parse_db("both") == ("sqlite", "postgres")
    assert parse_db("postgres") == ("postgres",)
    with pytest.raises(ValueError):
        parse_db("mysql")


def test_asset_parser_finds_what_a_first_visit_downloads():
    parser = _Assets()
    parser.feed(
        '<link rel="stylesheet" href="/static/css/site.css?v=1"><link rel="icon" href="/i.svg">'
        '<script src="/static/js/film.js?v=2" defer></script><script>inline()</script>'
        '<img class="film__poster" src="/static/img/p.svg" alt=""><img src="/other.png" alt="">'
    )
    assert parser.styles == ["/static/css/site.css?v=1"]
    assert parser.scripts == ["/static/js/film.js?v=2"]
    assert parser.posters == ["/static/img/p.svg"]
