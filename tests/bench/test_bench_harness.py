"""The benchmark's own logic: reading wrk's output, combining runs and judging budgets.

No load and no timing here: the benchmarks themselves run on demand (``python -m bench``).
"""

from __future__ import annotations

import json

import pytest

from bench import budgets
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


def _m(rps=1000.0, p99=5.0, errors=0, requests=None, seconds=10.0) -> Measurement:
    return Measurement(
        requests=requests if requests is not None else int(rps * seconds),
        seconds=seconds,
        rps=rps,
        p50_ms=p99 / 4,
        p95_ms=p99 / 2,
        p99_ms=p99,
        mean_ms=p99 / 3,
        max_ms=p99 * 2,
        errors=errors,
    )


def _result(key, group, m, baseline=None, db=None, size=None) -> Result:
    return Result(
        key=key,
        label=key,
        group=group,
        path="/",
        measurement=m,
        baseline=baseline or _m(),
        db=db,
        size=size,
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


def test_median_baseline_is_the_middle_hello_run():
    assert median_baseline([_m(rps=900), _m(rps=1500), _m(rps=1000)]).rps == 1000
    with pytest.raises(ValueError):
        median_baseline([])


# ----------------------------------------------------------------------------- budgets


@pytest.mark.parametrize(("rps", "status"), [(700, PASS), (699, FAIL), (1200, PASS)])
def test_landing_budget_is_seventy_percent_of_hello(rps, status):
    result = _result("landing_nb", "landing", _m(rps=rps), baseline=_m(rps=1000))
    [check] = budgets.check_landing([result])
    assert check.status == status


def test_landing_budget_ignores_other_groups():
    assert budgets.check_landing([_result("static_css", "static", _m(rps=1))]) == []


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


@pytest.mark.parametrize(("p99", "status"), [(99.9, PASS), (100.0, FAIL)])
def test_submission_budget_is_p99_under_100_ms(p99, status):
    [check] = budgets.check_submissions([_result("submit", "submit", _m(p99=p99), db="sqlite")])
    assert check.status == status
    assert check.subject == "submit / sqlite"


def _inbox(key, size, rps, p99, db="postgres"):
    return _result(key, "inbox", _m(rps=rps, p99=p99), db=db, size=size)


def test_inbox_budgets_judge_latency_at_100k_and_slowdown_from_10k():
    results = [
        _inbox("inbox_list", 10_000, rps=600, p99=20),
        _inbox("inbox_list", 100_000, rps=500, p99=49.9),  # 1.2x slower: still in budget
        _inbox("inbox_search", 10_000, rps=600, p99=20),
        _inbox("inbox_search", 100_000, rps=400, p99=60),  # too slow twice over
    ]
    checks = {(c.subject, c.budget.split()[1]): c.status for c in budgets.check_inbox(results)}
    assert checks == {
        ("inbox_list / postgres / 100,000", "p99"): PASS,
        ("inbox_list / postgres / 100,000", "req/s"): PASS,
        ("inbox_search / postgres / 100,000", "p99"): FAIL,
        ("inbox_search / postgres / 100,000", "req/s"): FAIL,
    }


def test_inbox_slowdown_is_skipped_without_a_10k_run_and_detail_is_not_budgeted():
    results = [_inbox("inbox_filter", 100_000, 500, 10), _inbox("inbox_detail", 100_000, 1, 999)]
    statuses = [c.status for c in budgets.check_inbox(results)]
    assert statuses == [PASS, SKIP]


def test_inbox_budgets_compare_within_one_database():
    results = [
        _inbox("inbox_list", 10_000, 900, 10, db="sqlite"),
        _inbox("inbox_list", 100_000, 500, 10, db="postgres"),
    ]
    assert [c.status for c in budgets.check_inbox(results)] == [PASS, SKIP]


def test_any_scenario_with_errors_fails():
    clean = _result("healthz", "healthz", _m())
    broken = _result("landing_en", "landing", _m(errors=3))
    checks = budgets.check_errors([clean, broken])
    assert [(c.subject, c.status) for c in checks] == [("landing_en", FAIL)]
    assert budgets.failed(checks)
    assert not budgets.failed(budgets.check_errors([clean]))


# ----------------------------------------------------------------------------- options, pages


def test_parse_only_accepts_known_groups_and_defaults_to_all():
    assert parse_only("landing, static") == {"landing", "static"}
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
