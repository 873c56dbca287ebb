"""What the classroom browser tests measure in the page: themes, outputs, contrast and widths.

Each helper is a small piece of JavaScript evaluated in JupyterLab's page (``window.jupyterapp`` exists because the
test server runs with ``expose_app_in_browser``) and a Python wrapper that turns its answer into an assertion
message a person can act on.
"""

from __future__ import annotations

import time
from typing import Any

THEMES = ("JupyterLab Light", "JupyterLab Dark")
WCAG_AA = 4.5
AUTOSAVE_SECONDS = 2  # the classroom JupyterLab autosaves this often (a class's default is 120 s)

_JS_CLOSE_AND_SHUT_DOWN = """async () => {
    const w = window.jupyterapp.shell.currentWidget;
    if (!w || !w.sessionContext) return;
    await w.sessionContext.shutdown();
    w.context.model.dirty = false;
    w.dispose();
}"""

_JS_SET_THEME = """async (theme) => {
    const app = window.jupyterapp;
    await app.commands.execute('apputils:change-theme', {theme});
}"""
_JS_THEME = """() => document.body.dataset.jpThemeName || ''"""

# Every output of the current notebook: error outputs, stderr streams and any text that reads like a traceback.
_JS_OUTPUT_PROBLEMS = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    const problems = [];
    w.content.widgets.forEach((cell, i) => {
        if (cell.model.type !== 'code') return;
        for (const out of cell.model.outputs.toJSON()) {
            if (out.output_type === 'error') problems.push(`cell ${i + 1}: error ${out.ename}: ${out.evalue}`);
            if (out.output_type === 'stream' && out.name === 'stderr') {
                const text = Array.isArray(out.text) ? out.text.join('') : out.text;
                problems.push(`cell ${i + 1}: stderr: ${text.slice(0, 200)}`);
            }
        }
    });
    const node = w.content.node;
    for (const el of node.querySelectorAll('.jp-OutputArea-output')) {
        if (/Traceback \\(most recent call last\\)/.test(el.innerText)) problems.push('a traceback is shown');
    }
    return problems;
}"""

# Text elements inside the kit's widgets, each with its colour and the colour behind it (ancestors' backgrounds
# composited until an opaque one; the notebook's own background last). Disabled controls are exempt (WCAG 1.4.3).
_JS_CONTRAST = """(rootSelector) => {
    const parse = (c) => {
        const m = c.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
        return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
    };
    const over = (top, bottom) => {
        const a = top.a + bottom.a * (1 - top.a);
        if (a === 0) return {r: 0, g: 0, b: 0, a: 0};
        const mix = (x, y) => (x * top.a + y * bottom.a * (1 - top.a)) / a;
        return {r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a};
    };
    const lum = (c) => {
        const ch = [c.r, c.g, c.b].map((v) => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
    };
    const pageBg = parse(getComputedStyle(document.querySelector('.jp-Notebook') || document.body).backgroundColor);
    const background = (el) => {
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
            const bg = parse(getComputedStyle(e).backgroundColor);
            if (bg && bg.a > 0) {
                layers.push(bg);
                if (bg.a >= 1) break;
            }
        }
        let result = pageBg && pageBg.a > 0 ? pageBg : {r: 255, g: 255, b: 255, a: 1};
        for (let i = layers.length - 1; i >= 0; i--) result = over(layers[i], result);
        return result;
    };
    const results = [];
    const seen = new Set();
    for (const root of document.querySelectorAll(rootSelector)) {
        for (const el of [root, ...root.querySelectorAll('*')]) {
            if (seen.has(el)) continue;
            seen.add(el);
            const isField = el.matches('input:not([type=checkbox]):not([type=radio]), textarea, select');
            const text = isField
                ? (el.value || '')
                : [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
            if (!text) continue;
            if (el.closest('[disabled], .mod-disabled, :disabled')) continue;
            if (el.checkVisibility && !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
            const rect = el.getBoundingClientRect();
            if (rect.width === 0 || rect.height === 0) continue;
            const style = getComputedStyle(el);
            const bg = background(el);
            const fg = over(parse(style.color), bg);
            const l1 = lum(fg), l2 = lum(bg);
            const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
            results.push({
                text: text.slice(0, 40), ratio: Math.round(ratio * 100) / 100,
                color: style.color, background: `rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ${Math.round(bg.b)})`,
                cls: (el.className && el.className.baseVal !== undefined ? el.className.baseVal : el.className) || el.tagName,
            });
        }
    }
    return results;
}"""

# How wide a widget is next to the output area it lives in, and whether its overflow scrolls.
_JS_FITS = """(selector) => {
    const out = [];
    for (const el of document.querySelectorAll(selector)) {
        const area = el.closest('.jp-OutputArea-output') || el.parentElement;
        const box = el.getBoundingClientRect();
        // what the student can see: the output area, and never more than the notebook panel shows
        const panel = el.closest('.jp-NotebookPanel') || document.body;
        const cell = {right: Math.min(area.getBoundingClientRect().right, panel.getBoundingClientRect().right)};
        const scrollers = [el, ...el.querySelectorAll('*')].filter((e) => {
            const s = getComputedStyle(e).overflowX;
            return (s === 'auto' || s === 'scroll') && e.scrollWidth > e.clientWidth;
        });
        const widest = Math.max(...[el, ...el.querySelectorAll('*')].map((e) => e.getBoundingClientRect().right));
        out.push({right: box.right, cellRight: cell.right, widest, scrolls: scrollers.length > 0,
                  clipped: scrollers.length === 0 && widest > cell.right + 1});
    }
    return out;
}"""


def close_and_shut_down(page: Any) -> None:
    """Close the notebook in front and shut its kernel down (its embedded mock goes with it)."""
    if page.evaluate("() => !!(window.jupyterapp && window.jupyterapp.shell.currentWidget)"):
        page.evaluate(_JS_CLOSE_AND_SHUT_DOWN)


def set_theme(page: Any, theme: str, timeout: float = 15.0) -> None:
    """Switch JupyterLab's theme and wait until the page carries it."""
    page.evaluate(_JS_SET_THEME, theme)
    deadline = time.monotonic() + timeout
    while page.evaluate(_JS_THEME) != theme:
        if time.monotonic() > deadline:
            raise AssertionError(f"JupyterLab did not switch to the {theme!r} theme")
        time.sleep(0.2)
    time.sleep(0.5)  # the theme's stylesheet applies on the next frames


def output_problems(page: Any) -> list[str]:
    return page.evaluate(_JS_OUTPUT_PROBLEMS)


def low_contrast(page: Any, root_selector: str, minimum: float = WCAG_AA) -> tuple[int, list[dict[str, Any]]]:
    """(text elements measured, those below ``minimum``) inside every element matching ``root_selector``."""
    results = page.evaluate(_JS_CONTRAST, root_selector)
    return len(results), [r for r in results if r["ratio"] < minimum]


def clipped_widgets(page: Any, selector: str) -> tuple[int, list[dict[str, Any]]]:
    """(widgets measured, those wider than their output area with no visible horizontal scroll)."""
    results = page.evaluate(_JS_FITS, selector)
    return len(results), [r for r in results if r["clipped"]]
