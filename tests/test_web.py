"""The JSON API of ``patentq serve``: every route's status and shape, figures recomputed through
``patentq.compare.compare`` and ``patentq.family_report`` directly, errors as JSON with a
hint, and the per-parameter cache. The server runs in a thread on 127.0.0.1, ephemeral port."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from patentq.compare import Conventions, compare
from patentq.family_report import family_report
from patentq.lake import Lake
from patentq.report.html import chart_svgs
from patentq.web import App
from patentq import open_lake
from web_helpers import as_json, build_demo_lake, get, get_json, running, same

QUERY = "landscape=genai&by=inventor-country&counting=whole&years=2014-2023&top=15&replicates=100"
CONV = Conventions(landscape="genai", by="inventor-country", counting="whole", years=(2014, 2023), top=15,
                   replicates=100)


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    return build_demo_lake(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def server(lake):
    with running(lake) as (base, _):
        yield base


def test_lake_route_is_lake_info_with_provenance(server, lake):
    status, headers, body = get(server, "/api/lake")
    data = json.loads(body)
    opened = open_lake(lake)
    expected = as_json(opened.info())
    assert status == 200 and {k: data[k] for k in expected} == expected
    assert data["manifest_hash"] == opened.manifest_hash() == headers["x-patentq-lake"]
    assert data["synthetic"] is True  # every input is one of the demo's *-synthetic.* files
    families = opened.connect().execute("SELECT count(DISTINCT family_id) FROM publications").fetchone()[0]
    assert data["families"] == families


def test_landscapes_route(server, lake):
    data = get_json(server, "/api/landscapes")
    opened = open_lake(lake)
    meta = opened.lake.manifest["derived"]["landscape_genai"]
    members = opened.connect().execute("SELECT count(*) FROM landscape_genai").fetchone()[0]
    assert data["lake_manifest_hash"] == opened.manifest_hash()
    assert [l["name"] for l in data["landscapes"]] == ["genai"]
    genai = data["landscapes"][0]
    assert genai["families"] == members == meta["rows"]
    assert genai["definition_hash"] == meta["definition_hash"] and genai["version"] == meta["version"]
    assert genai["has_categories"] is True


def test_options_route_lists_the_library_choices(server):
    from patentq.attribution import COUNTING as COUNTINGS, BY as GROUPINGS

    data = get_json(server, "/api/options")
    # "auto" (compare.defaults): WIPO's inventor country and 2014-2023 unless the data cannot serve them
    assert data["by"] == ["auto", *GROUPINGS] and data["counting"] == list(COUNTINGS)
    assert data["defaults"]["years"] == "auto" and data["defaults"]["by"] == "auto" and data["defaults"]["top"] == 10


@pytest.mark.parametrize("query, conv", [
    (QUERY, CONV),
    ("landscape=genai&by=applicant-group&counting=fractional&years=all&top=5&replicates=50",
     Conventions(landscape="genai", by="applicant-group", counting="fractional", years=None, top=5, replicates=50)),
    ("by=office&year-basis=priority&years=2015-2020&top=0&replicates=0&seed=7",
     Conventions(by="office", year_basis="priority", years=(2015, 2020), top=None, replicates=0, seed=7)),
])
def test_compare_route_equals_compare(server, lake, query, conv):
    data = get_json(server, f"/api/compare?{query}")
    expected = as_json(compare(open_lake(lake), conv, extras=False).to_json())
    assert same(data, expected)
    assert data["rows"] and data["conventions"]["lake_manifest_hash"] == Lake.open(lake).manifest_hash()


def test_compare_route_equals_cli_json(server, lake, cli):
    data = get_json(server, f"/api/compare?{QUERY}")
    res = cli("compare", "--lake", lake, "--landscape", "genai", "--by", "inventor-country", "--counting", "whole",
              "--years", "2014-2023", "--top", "15", "--replicates", "100", "--json")
    assert same(data, json.loads(res.output, parse_constant=lambda _: None))
    lead = data["rows"][0]
    assert lead["rank"] == 1 and lead["share_ci"][0] <= lead["share"] <= lead["share_ci"][1]


def test_defaults_are_the_cli_defaults(server, lake):
    data = get_json(server, "/api/compare?landscape=genai&replicates=20")
    assert same(data, as_json(compare(open_lake(lake), Conventions(landscape="genai", replicates=20), extras=False).to_json()))
    assert len(data["rows"]) <= 10 and data["conventions"]["years"] == [2014, 2023]
    assert data["conventions"]["by"] == "inventor-country"  # "auto" on a lake with inventor countries


def test_sensitivity_route(server, lake):
    data = get_json(server, f"/api/sensitivity?{QUERY}")
    expected = compare(open_lake(lake), CONV, sensitivity=True, extras=False)
    assert same(data["sensitivity"], as_json(expected.sensitivity))
    assert data["conventions"] == as_json(expected.conventions)
    labels = [v["variant"] for v in data["sensitivity"]["variants"]]
    assert labels[0] == "baseline" and "fractional counting" in labels and "priority year" in labels
    assert data["sensitivity"]["variants"][0]["kendall_tau"] == pytest.approx(1.0)


def test_timeseries_route(server, lake):
    data = get_json(server, f"/api/timeseries?{QUERY}")
    expected = compare(open_lake(lake), CONV)
    assert same(data["time_series"], as_json(expected.time_series))
    assert data["groups"] == [r["group"] for r in expected.rows]
    per_group = {}
    for t in data["time_series"]:
        per_group[t["group"]] = per_group.get(t["group"], 0) + t["families"]
    assert per_group == {r["group"]: r["families"] for r in expected.rows}  # every family has a year in the window


def test_charts_route_lists_the_report_charts(server, lake):
    data = get_json(server, f"/api/charts?{QUERY}")
    dimensions = [r[0] for r in open_lake(lake).connect().execute(
        "SELECT DISTINCT dimension FROM landscape_genai_categories ORDER BY 1").fetchall()]
    assert data["charts"] == list(chart_svgs(compare(open_lake(lake), CONV)))
    assert "notable_models" in Lake.open(lake).tables()  # the demo writes Epoch-style models: a "models" chart
    assert set(data["charts"]) == ({"scatter", "slope", "intervals", "time", "time_abroad", "time_gap", "time_quality",
                                    "models"}
                                   | {f"cat:{d}" for d in dimensions})


@pytest.mark.parametrize("name", ["scatter", "slope", "intervals", "time"])
def test_chart_route_is_the_report_chart(server, lake, name):
    status, headers, body = get(server, f"/api/chart/{name}?{QUERY}")
    assert status == 200 and headers["content-type"] == "image/svg+xml; charset=utf-8"
    assert body.decode() == chart_svgs(compare(open_lake(lake), CONV))[name]
    assert body.startswith(b"<svg") and body.count(b"<circle") + body.count(b"<path") + body.count(b"<line") > 3


@pytest.mark.parametrize("table", ["comparison", "time_series", "categories", "sensitivity"])
def test_csv_export_is_the_report_export(server, lake, tmp_path, table):
    import io

    import pyarrow.csv as pacsv

    from patentq.report import export_tables

    status, headers, body = get(server, f"/api/export/{table}.csv?{QUERY}")
    assert status == 200 and headers["content-type"] == "text/csv; charset=utf-8"
    export_tables(compare(open_lake(lake), CONV, sensitivity=True), tmp_path / "r.html", "csv")
    want = pacsv.read_csv(tmp_path / f"r_{table}.csv").to_pylist()
    got = pacsv.read_csv(io.BytesIO(body)).to_pylist()
    assert got and same(got, want)
    if table == "comparison":
        assert [r["group"] for r in got] == [r["group"] for r in compare(open_lake(lake), CONV, extras=False).rows]
        assert {"share_ci_low", "share_ci_high", "quality_adjusted_rank"} <= set(got[0])


def test_family_route_equals_patentq_family(server, lake, cli):
    con = open_lake(lake).connect()
    number, family_id = con.execute("SELECT publication_number, family_id FROM family_members m WHERE family_id IN "
                                    "(SELECT family_id FROM family_indicators) ORDER BY publication_number LIMIT 1"
                                    ).fetchone()
    data = get_json(server, f"/api/family/{number}")
    assert data == as_json(family_report(open_lake(lake), number))
    assert data == json.loads(cli("family", number, "--lake", lake, "--json").output, parse_constant=lambda _: None)
    assert data["family_id"] == family_id and number in [m["publication_number"] for m in data["members_list"]]
    # every attribution list in a fixed order (largest share, then group), so repeated calls agree
    shares = [rows for rows in data["attribution"].values() if isinstance(rows, list)]
    assert any(len(rows) > 1 for rows in shares)
    assert all(rows == sorted(rows, key=lambda r: (-r["weight"], str(r["group"]))) for rows in shares)
    base = number.rsplit("-", 1)[0].replace("-", "")  # e.g. US12345 without kind code
    assert get_json(server, f"/api/family/{base}")["family_id"] == family_id


@pytest.mark.parametrize("path, words", [
    ("/api/compare?by=country", "unknown by"),
    ("/api/compare?counting=half", "unknown counting"),
    ("/api/compare?years=2023-2014", "reversed"),
    ("/api/compare?years=recent", "bad --years"),
    ("/api/compare?top=ten", "bad top"),
    ("/api/compare?replicates=-1", "bad replicates"),
    ("/api/compare?replicates=99999999", "out of range"),
    ("/api/compare?year-basis=filing", "unknown year-basis"),
    ("/api/compare?landscape=quantum", "no landscape 'quantum'"),
    ("/api/compare?bye=applicant-group", "unknown parameter 'bye'"),
    ("/api/compare?by=office&by=inventor-country", "given 2 times"),
    ("/api/sensitivity?counting=half", "unknown counting"),
    ("/api/timeseries?landscape=quantum", "no landscape"),
    ("/api/chart/scatter?top=x", "bad top"),
    ("/api/compare?landscape=genai&years=1990-1991", "no families match"),
    ("/api/lake?verbose=1", "takes no parameters"),
])
def test_bad_parameters_are_400_with_hint(server, path, words):
    data = get_json(server, path, expect=400)
    assert set(data) == {"error", "hint"} and words in data["error"] and data["hint"], data
    assert "Traceback" not in json.dumps(data)


@pytest.mark.parametrize("path", ["/nope", "/api", "/api/comparisons", "/static/app.py", "/static/../app.py",
                                  "/api/chart/pie?landscape=genai", "/api/export/patents.csv",
                                  "/api/family/XX-123456789-A", "/api/family/"])
def test_unknown_routes_and_things_are_404(server, path):
    data = get_json(server, path, expect=404)
    assert data["error"] and data["hint"]


def test_read_only_and_static(server):
    status, headers, body = get(server, "/api/lake", method="POST")
    assert status == 405 and headers["allow"] == "GET, HEAD" and json.loads(body)["hint"]
    status, headers, body = get(server, "/")
    assert status == 200 and b"/static/dashboard.js" in body
    assert "script-src 'self'" in headers["content-security-policy"]
    assert b"http://" not in body and b"https://" not in body  # nothing loaded from elsewhere
    for name, ctype in (("dashboard.js", "text/javascript"), ("dashboard.css", "text/css")):
        status, headers, body = get(server, f"/static/{name}")
        assert status == 200 and headers["content-type"].startswith(ctype) and b"http" not in body
    status, headers, body = get(server, "/api/lake", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


def test_foreign_host_header_is_refused(server):
    """DNS rebinding: a page on another site that resolves to 127.0.0.1 must not read the lake."""
    status, _, body = get(server, "/api/lake", headers={"Host": "attacker.example:8765"})
    assert status == 400 and "unexpected Host 'attacker.example'" in json.loads(body)["error"]
    port = server.rsplit(":", 1)[1]
    assert get(server, "/api/lake", headers={"Host": f"localhost:{port}"})[0] == 200


def call(app, path, query=""):
    """Call the WSGI app in-process: (status line, headers, body)."""
    got = {}
    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query},
                        lambda status, headers: got.update(status=status, headers=dict(headers))))
    return got["status"], got["headers"], body


def test_internal_error_is_500_without_traceback(lake, caplog):
    app = App(lake)
    app.api.options = lambda: 1 / 0
    status, _, body = call(app, "/api/options")
    data = json.loads(body)
    assert status.startswith("500") and data["error"] == "internal error (ZeroDivisionError)"
    assert "Traceback" not in body.decode() and "bug" in data["hint"]
    assert "ZeroDivisionError" in caplog.text  # the traceback goes to the server log


def test_results_are_cached_per_parameter_set_until_the_lake_changes(lake, monkeypatch):
    import patentq.web.api as api_module

    calls = []
    real = api_module.compare
    monkeypatch.setattr(api_module, "compare", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    app = App(lake)
    first = call(app, "/api/compare", "landscape=genai&replicates=10")[2]
    for path in ("/api/compare", "/api/timeseries", "/api/chart/scatter", "/api/chart/slope"):
        assert call(app, path, "landscape=genai&replicates=10")[0].startswith("200")
    assert len(calls) == 1
    assert call(app, "/api/compare", "landscape=genai&replicates=10&by=office")[0].startswith("200")
    assert len(calls) == 2
    manifest = lake / "manifest.json"
    stat = manifest.stat()
    os.utime(manifest, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # as if re-written
    assert same(json.loads(call(app, "/api/compare", "landscape=genai&replicates=10")[2]), json.loads(first))
    assert len(calls) == 3


def test_lake_without_derived_tables_says_what_to_run(tmp_path):
    """Served by a session told not to build (`--no-build`): the families tables stay missing and
    the API says which one and what builds it (the stage registry's words). The lake's profile
    (what data it holds, read before anything else) is there, as after `patentq lake profile`."""
    Lake.create(tmp_path / "empty")
    with open_lake(tmp_path / "empty") as session:
        session.require("lake_profile")
    with running(open_lake(tmp_path / "empty", build=False)) as (base, _):
        data = get_json(base, "/api/compare", expect=400)
        assert "no family_members table" in data["error"] and "patentq indicators" in data["hint"]
        data = get_json(base, "/api/family/US-1-A", expect=400)
        assert "patentq indicators" in data["hint"]
        assert get_json(base, "/api/landscapes")["landscapes"] == []
        assert get_json(base, "/api/lake")["synthetic"] is False


def test_cli_serve_errors(cli, tmp_path, lake, server):
    res = cli("serve", "--lake", tmp_path / "nowhere", expect=3)
    assert "no lake" in res.output
    port = server.rsplit(":", 1)[1]  # taken by the test server
    res = cli("serve", "--lake", lake, "--port", port, expect=2)
    assert f"cannot listen on 127.0.0.1:{port}" in res.output and "--port" in res.output


def test_cli_serve_end_to_end(lake):
    """``patentq serve --port 0`` in a child process: prints its URL, answers, stops on SIGINT."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "patentq", "serve", "--lake", str(lake), "--port", "0", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        first = proc.stdout.readline()
        url = proc.stdout.readline().split()[0]
        assert Lake.open(lake).manifest_hash() in first and url.startswith("http://127.0.0.1:")
        data = get_json(url.rstrip("/"), "/api/landscapes")
        assert [l["name"] for l in data["landscapes"]] == ["genai"]
    finally:
        proc.send_signal(2)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "stopped" in out, err
