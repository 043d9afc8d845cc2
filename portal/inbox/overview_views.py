"""``/inbox/overview/``: the overview in charts and tables; the same figures as CSV and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from flask import Response, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from wtforms.validators import Optional

from portal.accounts.access import staff_required
from portal.extensions import cache
from portal.inbox import labels
from portal.inbox.due import today
from portal.inbox.overview import Figures, Period, figures
from portal.inbox.views import bp
from portal.web.caching import OVERVIEW
from portal.web.forms import Day, Form

LONGEST = timedelta(days=366 * 5)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Where each of the 15 counties sits on the tile map: (column, row), north at the top.
TILES = {
    "finnmark": (4, 0),
    "troms": (3, 1),
    "nordland": (2, 2),
    "trondelag": (2, 3),
    "more_og_romsdal": (1, 4),
    "innlandet": (2, 4),
    "vestland": (0, 5),
    "buskerud": (1, 5),
    "akershus": (2, 5),
    "oslo": (3, 5),
    "rogaland": (0, 6),
    "telemark": (1, 6),
    "vestfold": (2, 6),
    "ostfold": (3, 6),
    "agder": (1, 7),
}
SECTIONS = {
    "enquiry_type": (_l("Enquiry type"), labels.ENQUIRY_TYPE),
    "organisation_type": (_l("Organisation type"), labels.ORGANISATION_TYPE),
    "region": (_l("Region"), labels.REGION),
    "co_creation": (_l("Co-creation"), labels.CO_CREATION),
    "phase": (_l("Phase"), labels.PHASE),
    "outcome": (_l("Outcome"), labels.OUTCOME),
}


class PeriodForm(Form):
    """The period, in the URL (no CSRF: a GET that changes nothing)."""

    class Meta:
        csrf = False

    start = Day(_l("From"), validators=[Optional()])
    end = Day(_l("To"), validators=[Optional()])

    def period(self) -> Period:
        """The chosen period; what does not parse or make sense falls back to the last year."""
        self.validate()
        end = self.end.data if not self.end.errors and self.end.data else today()
        first = date(end.year - 1, end.month, 1) + timedelta(days=31)
        default_start = first.replace(day=1)
        start = self.start.data if not self.start.errors and self.start.data else default_start
        if start > end or end - start > LONGEST or start.year < 2000:
            if not self.start.errors and self.start.data:
                self.start.errors = [str(_l("Choose a start before the end, at most five years."))]
            start = default_start if default_start <= end else end
        return Period(start, end)


@cache.memoize(timeout=OVERVIEW.seconds, make_name=lambda _name: OVERVIEW.key)
def _figures(period: Period) -> Figures:
    """The figures, from the cache when someone looked at the same period just now."""
    return figures(period)


@bp.get("/overview/")
@staff_required
def overview():
    """Enquiries over a period in charts, each followed by its data as a table."""
    form = PeriodForm(request.args)
    period = form.period()
    data = _figures(period)
    return render_template(
        "inbox/overview.html",
        form=form,
        figures=data,
        sections=SECTIONS,
        tiles=TILES,
        target=current_app.config["FIRST_RESPONSE_WORKING_DAYS"],
        args={"start": period.start.isoformat(), "end": period.end.isoformat()},
    )


def rows(data: Figures) -> list[tuple[str, str, str, int]]:
    """The figures as (section, code, label, count) rows, in the current language."""
    found = [(str(_l("Enquiries")), "total", str(_l("All enquiries in the period")), data.total)]
    for month in data.months:
        for code, count in sorted(data.by_month.get(month, {}).items()):
            found.append((month, code, labels.label(labels.ENQUIRY_TYPE, code), count))
    for name, (title, mapping) in SECTIONS.items():
        for code, count in sorted(data.counts.get(name, {}).items(), key=lambda i: str(i[0])):
            shown = labels.label(mapping, code) if code else str(_l("Not given"))
            found.append((str(title), code or "", shown, count))
    for days, count in sorted(data.response_days.items()):
        found.append((str(_l("Days to first response")), str(days), str(days), count))
    for host, count in data.sources:
        found.append((str(_l("Host page of the embedded form")), host, host, count))
    return found


def _filename(period: Period, suffix: str) -> str:
    return f"sesam-overview-{period.start.isoformat()}-{period.end.isoformat()}.{suffix}"


@bp.get("/overview.csv")
@staff_required
def overview_csv():
    """The overview's figures as CSV (semicolons, UTF-8 with BOM, as the list's export)."""
    period = PeriodForm(request.args).period()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_l("Section"), _l("Code"), _l("Label"), _l("Count")])
    writer.writerows(rows(_figures(period)))
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(period, "csv")}"'
    return response


@bp.get("/overview.xlsx")
@staff_required
def overview_xlsx():
    """The overview's figures as an Excel workbook, for reports to USN and funders."""
    from openpyxl import Workbook

    period = PeriodForm(request.args).period()
    book = Workbook()
    sheet = book.active
    sheet.title = "SESAM"
    sheet.append([str(_l("Section")), str(_l("Code")), str(_l("Label")), str(_l("Count"))])
    for row in rows(_figures(period)):
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    response = Response(out.getvalue(), mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(period, "xlsx")}"'
    return response
