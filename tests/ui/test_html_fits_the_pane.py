"""HTML mail fits the reading pane: fixed-width newsletter tables give way to the pane's width
instead of scrolling sideways; still no remote content."""

from __future__ import annotations

from html import escape

from hypothesis import given
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from app.ui.safe_browser import SafeBrowser, fit_to_pane

NEWSLETTER = """<html><body style="margin:0">
<table width="680" cellpadding="0" style="width:680px; border:0"><tr>
<td width="680" style="min-width:680px;padding:12px">
<div style="width: 640px">Cyfrowa Firma nr 47/2026: nowe przepisy o e-fakturach, terminy wdrożenia
KSeF, webinar dla działów księgowości i lista kontrolna dla firm z sektora MŚP.</div>
</td></tr></table><img src="https://tracker.example/open.gif" width="1" height="1">
</body></html>"""


def test_a_fixed_width_newsletter_wraps_in_a_narrow_pane(qtbot: QtBot) -> None:
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    browser.resize(360, 500)
    browser.show()
    browser.show_html(NEWSLETTER)
    qtbot.wait(10)
    assert browser.horizontalScrollBar().maximum() == 0
    assert browser.blocked_count() == 1  # the tracker stays unfetched


def test_widths_are_let_go_and_the_rest_of_the_markup_kept() -> None:
    fitted = fit_to_pane(NEWSLETTER)
    assert 'width="680"' not in fitted and "680px" not in fitted and "640px" not in fitted
    assert '<table cellpadding="0" style=" border:0" width="100%">' in fitted
    assert 'style="padding:12px"' in fitted
    assert '<img src="https://tracker.example/open.gif" width="1" height="1">' in fitted


@given(st.text(), st.integers(min_value=100, max_value=2000))
def test_fitting_lets_fixed_widths_go_and_never_loses_the_text_inside(
    text: str, width: int
) -> None:
    words = escape(text)
    html = (
        f'<table width="{width}"><tr><td style="width:{width}px;padding:8px">{words}</td></tr>'
        "</table>"
    )

    fitted = fit_to_pane(html)

    assert words in fitted
    assert f'width="{width}"' not in fitted and f"{width}px" not in fitted
