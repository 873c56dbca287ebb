"""The report: one frame of sessions and failed BMCs, as CSV, HTML, a repr and a progress bar."""

from __future__ import annotations

from redfishnb import fleet

from .conftest import ADMIN, inventory_of, plant


def test_reports_as_csv_html_and_progress_bar(bmcs, tmp_path, capsys):
    plant(bmcs[0], stale=1, fresh=0)
    report = fleet.clean(inventory_of(bmcs), ADMIN, idle="5m", progress=True)
    assert "clean (dry run)" in capsys.readouterr().err  # tqdm's text bar on stderr outside notebooks
    csv_path, html_path = tmp_path / "r.csv", tmp_path / "r.html"
    report.to_csv(csv_path)
    report.to_html(html_path)
    text = csv_path.read_text()
    assert text.splitlines()[0].startswith("target,url,username,user_tag") and "would disconnect" in text
    page = html_path.read_text()
    assert "<table" in page and "idle &gt;= 5m" in page and "password" not in page.lower()
    assert "would be disconnected" in repr(report) and "<table" in report._repr_html_()


def test_report_columns_are_the_same_whatever_the_authentication(bmcs):
    plant(bmcs[0], stale=1, fresh=1)
    over_session = fleet.collect_sessions(inventory_of(bmcs), ADMIN, auth="session", progress=False)
    over_basic = fleet.collect_sessions(inventory_of(bmcs), ADMIN, auth="basic", progress=False)
    for report in (over_session, over_basic):
        assert list(report.frame.columns) == [*fleet.SESSION_COLUMNS, "error_type"]
        assert list(report.targets.columns) == fleet.TARGET_COLUMNS
    assert over_session.frame.dtypes.equals(over_basic.frame.dtypes)
    assert over_basic.summary().startswith("audit: 3 BMCs (0 failed), 2 sessions, 0 selected in ")
