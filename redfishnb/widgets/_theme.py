"""Every colour the widgets use, as JupyterLab theme variables, and the one stylesheet built from them.

Classrooms run JupyterLab Light, Dark and High Contrast; a colour written as a hex value is right in one theme
and unreadable in another (white on pale blue, black on black). So colours are only named here, as
``var(--jp-…, <light-theme value>)`` (the fallback is what a page without JupyterLab's stylesheet shows: nbconvert,
GitHub), and each text colour is paired with the background it is drawn on. ``tests/widgets/test_theme.py`` reads
the installed theme files and checks every pair in :data:`THEME_PAIRS` reaches WCAG AA (4.5:1) in every theme, and
every graphic colour in :data:`GRAPHIC_PAIRS` 3:1; nothing else in the widgets may name a colour.

The stylesheet also carries the kernel-restart note: ipywidgets adds ``jupyter-widgets-disconnected`` to every
widget view when the kernel behind it goes away (restart, shutdown, a notebook reopened without a kernel), and from
then on buttons silently do nothing — the note is hidden until then.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import ipywidgets as w

__all__ = [
    "GRAPHIC_PAIRS",
    "RESTART_NOTE",
    "RESTART_NOTE_CLASS",
    "STATIC_NOTE",
    "THEME_PAIRS",
    "Pair",
    "css",
    "fg",
    "bg",
    "graphic",
    "restart_note",
    "static_note_html",
    "style_block",
]

RESTART_NOTE_CLASS = "rfnb-restart-note"
RESTART_NOTE = (
    "The kernel behind this widget has stopped — run the notebook from the top (Run ▸ Run All Cells)."
)
STATIC_NOTE = "This is a saved copy of an interactive widget: run the notebook from the top (Run ▸ Run All Cells) to use it."
#: The class ipywidgets (@jupyter-widgets/base, ``_comm_live_update``) puts on a view whose kernel is gone.
DISCONNECTED_CLASS = "jupyter-widgets-disconnected"
#: The root class of each of the kit's widgets.
KIT_ROOTS = ".rfnb-login, .rfnb-session-table, .rfnb-privilege-matrix, .rfnb-exchanges, .rfnb-browser, .rfnb-standard-vs-oem"


@dataclass(frozen=True)
class Pair:
    """A text colour and the background it is drawn on (both ``var(--jp-…, fallback)``)."""

    fg: str
    bg: str
    use: str


_TEXT = "var(--jp-content-font-color1, rgba(0, 0, 0, 0.87))"
_MUTED = "var(--jp-content-font-color2, rgba(0, 0, 0, 0.54))"
_PAGE = "var(--jp-layout-color0, #ffffff)"
_PANEL = "var(--jp-layout-color1, #ffffff)"
_RAISED = "var(--jp-layout-color2, #eeeeee)"
_ERROR = "var(--jp-error-color1, #d32f2f)"
_INVERSE = "var(--jp-ui-inverse-font-color1, #ffffff)"
_BRAND = "var(--jp-brand-color1, #1976d2)"

#: Text on background, by role. Green and orange text fail 4.5:1 in one theme or another (success-color1 on
#: white is 4.1:1, warn-color0 3.8:1), hence success-color0 and the error colour for warnings; error-color1 only
#: passes on layout-color0 in Dark, so every coloured text sets that background itself.
THEME_PAIRS: dict[str, Pair] = {
    "text": Pair(_TEXT, _PAGE, "ordinary text: table cells, info status lines, timeline labels"),
    "muted": Pair(_MUTED, _PAGE, "secondary text: busy status, missing values, axis labels"),
    "header": Pair(_TEXT, _PANEL, "table headers"),
    "ok": Pair("var(--jp-success-color0, #1b5e20)", _PAGE, "success status, granted privilege ✓"),
    "error": Pair(_ERROR, _PAGE, "error and warning status, denied privilege ✗, the timeline's now"),
    "link": Pair("var(--jp-content-link-color, #0d47a1)", _PAGE, "URIs in static views"),
    "mine": Pair(_TEXT, _RAISED, "your own session's row"),
    "kept": Pair(_TEXT, _RAISED, "standard vs OEM: a value this service keeps"),
    "selected": Pair(_INVERSE, _BRAND, "the selected session row (as JupyterLab shows selections)"),
    "note": Pair(_TEXT, _RAISED, "the kernel-restart and saved-copy notes"),
    "button": Pair("var(--jp-ui-font-color1, rgba(0, 0, 0, 0.87))", _RAISED, "ipywidgets' plain buttons"),
    "button-active": Pair(
        "var(--jp-ui-font-color1, rgba(0, 0, 0, 0.87))",
        "var(--jp-layout-color3, #bdbdbd)",
        "ipywidgets' pressed toggle buttons (All columns, My session)",
    ),
    "button-primary": Pair(_INVERSE, _BRAND, "ipywidgets' primary buttons (Log in, Go)"),
    "button-danger": Pair(_INVERSE, _ERROR, "ipywidgets' danger buttons (Yes, disconnect)"),
}

#: Non-text colours (bars, ticks, rules) against the page: WCAG asks 3:1 for graphics that carry meaning.
GRAPHIC_PAIRS: dict[str, Pair] = {
    "bar-mine": Pair(_BRAND, _PAGE, "timeline: your session's bar"),
    "bar-live": Pair("var(--jp-layout-color4, #757575)", _PAGE, "timeline: other live sessions"),
    "bar-expired": Pair(_ERROR, _PAGE, "timeline: sessions past their expiry"),
    "tick": Pair(_TEXT, _PAGE, "timeline: last-access tick"),
    "accent": Pair(_BRAND, _PAGE, "left rule of your own row and of notes"),
}

#: Decorative colours (thin rules, grid lines) that carry no meaning and so have no contrast requirement.
RULE = "var(--jp-border-color2, #e0e0e0)"
STRONG_RULE = "var(--jp-border-color1, #bdbdbd)"
SCROLL_THUMB = "var(--jp-layout-color3, #bdbdbd)"


def fg(role: str) -> str:
    return THEME_PAIRS[role].fg


def bg(role: str) -> str:
    return THEME_PAIRS[role].bg


def graphic(role: str) -> str:
    return GRAPHIC_PAIRS[role].fg


def css(role: str) -> str:
    """``color:…;background-color:…`` for inline styles (saved outputs keep inline styles, not stylesheets)."""
    pair = THEME_PAIRS[role]
    return f"color:{pair.fg};background-color:{pair.bg}"


#: Status lines wrap at word boundaries only: one line when it fits, never "reauth=Tru / e)".
WRAP = "white-space:normal;overflow-wrap:break-word;word-break:normal;line-height:1.4"


def _rules() -> list[tuple[str, str]]:
    """(selector, declarations) of the shared stylesheet; colours only from the tables above."""
    row = ".rfnb-session-row .rfnb-session-cell.jupyter-button"
    note = f"{css('note')};border-left:4px solid {graphic('accent')};padding:4px 8px;{WRAP}"
    return [
        (f".{RESTART_NOTE_CLASS}", "display:none !important"),
        (
            f".{DISCONNECTED_CLASS} .{RESTART_NOTE_CLASS}, .{RESTART_NOTE_CLASS}.{DISCONNECTED_CLASS}",
            "display:block !important",
        ),
        # ipywidgets also draws a broken-link icon before every disconnected view, dozens per widget; inside the
        # kit's widgets the one note above says it in words instead.
        (
            f":is({KIT_ROOTS}).{DISCONNECTED_CLASS}::before, :is({KIT_ROOTS}) .{DISCONNECTED_CLASS}::before",
            "content:none !important;display:none !important",
        ),
        (f".{RESTART_NOTE_CLASS} .rfnb-note, .rfnb-static-note", note),
        (".rfnb-status", f"{WRAP};padding:1px 4px"),
        (".rfnb-status-block .widget-html-content, .rfnb-status-block .jupyter-widget-html-content", WRAP),
        (".rfnb-session-scroll", "overflow-x:auto !important;overflow-y:hidden;max-width:100%"),
        (".rfnb-session-scroll::-webkit-scrollbar", "height:10px"),
        (
            ".rfnb-session-scroll::-webkit-scrollbar-thumb",
            f"background-color:{SCROLL_THUMB};border-radius:5px",
        ),
        (".rfnb-session-row, .rfnb-session-headrow", "flex:0 0 auto;overflow:visible !important"),
        (
            ".rfnb-session-head",
            f"{css('header')};font-weight:600;border-bottom:1px solid {STRONG_RULE};"
            "margin:0 !important;padding:0 6px;box-sizing:border-box",
        ),
        (
            row,
            f"{css('text')};text-align:left;margin:0;padding:0 6px;border-radius:0;box-sizing:border-box;"
            f"border-bottom:1px solid {RULE};box-shadow:none",
        ),
        (
            ".rfnb-session-row.rfnb-my-session .rfnb-session-cell.jupyter-button",
            f"{css('mine')};font-weight:600",
        ),
        (
            ".rfnb-session-row.rfnb-my-session .rfnb-session-mark",
            f"border-left:4px solid {graphic('accent')}",
        ),
        (".rfnb-session-row.rfnb-row-selected .rfnb-session-cell.jupyter-button", css("selected")),
        (f"{row}:focus", f"outline:2px solid {graphic('accent')};outline-offset:-2px"),
    ]


def _stylesheet() -> str:
    return "\n".join(f"{selector}{{{body}}}" for selector, body in _rules())


STYLESHEET = _stylesheet()


def style_block() -> str:
    """The one ``<style>`` block every kit widget embeds (identical text each time: outputs stay stable)."""
    return f'<style class="rfnb-style">{STYLESHEET}</style>'


def restart_note() -> w.HTML:
    """The note shown only once the kernel behind the widget is gone; it also carries the shared stylesheet."""
    note = w.HTML(
        f'{style_block()}<div class="rfnb-note">{html.escape(RESTART_NOTE)}</div>',
        # Hidden inline as well: if a page drops the <style>, a live widget must not claim its kernel stopped.
        # The "disconnected" rule is !important, so it still wins over this inline style once the kernel goes.
        layout=w.Layout(display="none"),
    )
    note.add_class(RESTART_NOTE_CLASS)
    return note


def static_note_html() -> str:
    """What a saved notebook shows under a widget's static copy."""
    return f'<div class="rfnb-static-note" style="{css("note")};{WRAP}">{html.escape(STATIC_NOTE)}</div>'


def one_line(text: str) -> str:
    """A multi-line message (message, then "What to do: …") as one line of text."""
    return re.sub(r"\s*\n\s*", " ", text.strip())
