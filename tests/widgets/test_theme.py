"""Colours: every text/background pair the widgets use is readable (WCAG AA) in the installed JupyterLab themes.

The values come from the theme CSS JupyterLab ships (``share/jupyter/lab/themes/@jupyterlab/*/index.css``) and the
Material palette its core bundle defines (the themes' ``--md-*`` references), resolved the way a browser resolves
``var()``; the pairs come from :data:`redfishnb.widgets._theme.THEME_PAIRS`, which the widgets' CSS is built from.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from redfishnb.widgets import _theme
from redfishnb.widgets._theme import GRAPHIC_PAIRS, THEME_PAIRS

LAB = Path(sys.prefix) / "share/jupyter/lab"
THEMES = LAB / "themes/@jupyterlab"
WIDGETS = Path(_theme.__file__).parent
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*(?:\([^()]*\))?[^()]*))?\)")
_NAMED = {"white": (255, 255, 255, 1.0), "black": (0, 0, 0, 1.0)}


def _declarations(text: str) -> dict[str, str]:
    return {name: value.strip() for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;{}]+)", text)}


def _palette() -> dict[str, str]:
    """The ``--md-*`` Material colours JupyterLab defines in its core bundle (the themes only reference them)."""
    for script in sorted((LAB / "static").glob("*.js")):
        text = script.read_text(errors="replace")
        if "--md-red-50:" in text:
            return dict(re.findall(r"(--md-[\w-]+):\s*(#[0-9a-fA-F]{3,8})", text))
    return {}


def _theme_vars(name: str) -> dict[str, str]:
    path = THEMES / name / "index.css"
    if not path.is_file():
        pytest.skip(f"JupyterLab theme {name} is not installed here")
    return {**_palette(), **_declarations(path.read_text())}


def resolve(value: str, variables: dict[str, str], *, strict: bool = True, depth: int = 0) -> str:
    """A CSS value with its ``var()`` references replaced; ``strict``: the theme must define every variable."""
    assert depth < 20, value
    value = value.strip()
    match = _VAR.fullmatch(value)
    if not match:
        return value
    name, fallback = match.group(1), match.group(2)
    if name in variables:
        return resolve(variables[name], variables, strict=strict, depth=depth + 1)
    assert not strict or name.startswith("--md-"), f"{name} is not defined by the theme"
    assert fallback, f"{name} is undefined and has no fallback"
    return resolve(fallback, variables, strict=strict, depth=depth + 1)


def rgba(value: str) -> tuple[float, float, float, float]:
    value = value.strip().lower()
    if value in _NAMED:
        return _NAMED[value]
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        channels = [int(digits[i : i + 2], 16) for i in range(0, len(digits), 2)]
        alpha = channels[3] / 255 if len(channels) == 4 else 1.0
        return (channels[0], channels[1], channels[2], alpha)
    match = re.fullmatch(r"rgba?\(([^)]*)\)", value)
    assert match, f"not a colour: {value!r}"
    parts = [float(p) for p in match.group(1).split(",")]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio; a translucent text colour is blended over its (opaque) background first."""
    back = rgba(bg)
    assert back[3] == 1.0, f"background {bg} is translucent: its colour depends on what is behind it"
    front = rgba(fg)
    a = front[3]
    blended = tuple(front[i] * a + back[i] * (1 - a) for i in range(3))
    high, low = sorted((_luminance(blended), _luminance(back[:3])), reverse=True)  # type: ignore[arg-type]
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_known_values() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#388e3c", "#ffffff") == pytest.approx(4.12, abs=0.01)  # why success-color1 is not used
    assert contrast("rgba(0, 0, 0, 0.54)", "#ffffff") == pytest.approx(
        contrast("#757575", "#ffffff"), abs=0.02
    )


@pytest.mark.parametrize(
    "theme", ["theme-light-extension", "theme-dark-extension", "theme-dark-high-contrast-extension"]
)
def test_every_pair_reaches_wcag_aa_in_each_installed_theme(theme: str) -> None:
    variables = _theme_vars(theme)
    if theme.endswith("high-contrast-extension") and not any(k.startswith("--md-") for k in variables):
        pytest.skip("the Material palette the high-contrast theme references was not found")
    failures = []
    for kind, pairs, minimum in (("text", THEME_PAIRS, 4.5), ("graphic", GRAPHIC_PAIRS, 3.0)):
        for role, pair in pairs.items():
            ratio = contrast(resolve(pair.fg, variables), resolve(pair.bg, variables))
            if ratio < minimum:
                failures.append(f"{kind} {role}: {pair.fg} on {pair.bg} is {ratio:.2f}:1 < {minimum}")
    assert not failures, "\n".join(failures)


def test_fallbacks_are_the_light_theme_and_readable_without_jupyterlab() -> None:
    """A saved notebook outside JupyterLab (nbconvert, GitHub) shows the fallbacks: they must be the light theme."""
    light = _theme_vars("theme-light-extension")
    for role, pair in {**THEME_PAIRS, **GRAPHIC_PAIRS}.items():
        for spec in (pair.fg, pair.bg):
            match = _VAR.fullmatch(spec)
            assert match and match.group(2), f"{role}: {spec} is not var(--jp-…, fallback)"
            assert rgba(match.group(2))[:3] == pytest.approx(rgba(resolve(spec, light))[:3]), (role, spec)
        threshold = 4.5 if role in THEME_PAIRS else 3.0
        assert contrast(resolve(pair.fg, {}, strict=False), resolve(pair.bg, {}, strict=False)) >= threshold


def _source_without_fallbacks(path: Path) -> str:
    """The module's text with every ``var(--x, fallback)`` removed: what remains must name no colour."""
    return _VAR.sub("", path.read_text())


@pytest.mark.parametrize("path", sorted(WIDGETS.glob("*.py")), ids=lambda p: p.name)
def test_no_hard_coded_colour_outside_theme_fallbacks(path: Path) -> None:
    text = _source_without_fallbacks(path)
    assert not re.findall(r"(?<![&\w])#[0-9a-fA-F]{3,8}\b", text)
    assert not re.findall(r"\brgba?\(", text)
    named = (
        r"(?i)(?:color|fill|stroke|background)\s*[:=]\s*[\"']?(black|white|red|green|blue|gr[ae]y|orange)\b"
    )
    assert not re.findall(named, text)


def test_the_stylesheet_uses_only_theme_variables() -> None:
    sheet = _theme.style_block()
    assert "var(--jp-" in sheet
    assert not re.findall(r"#[0-9a-fA-F]{3,8}\b", _VAR.sub("", sheet))


def test_status_lines_wrap_between_words_only() -> None:
    from redfishnb.widgets._common import status_html

    markup = status_html("Log in again; connect(..., reauth=True) logs in again once by itself.", "error")
    for declaration in ("white-space:normal", "overflow-wrap:break-word", "word-break:normal"):
        assert declaration in markup and declaration in _theme.style_block()
    assert "break-all" not in markup and "anywhere" not in markup
