"""PDF rendering with WeasyPrint, with a CJK font so Chinese never prints as empty boxes.

The font comes from `PDF_CJK_FONT` (a path to an .otf/.ttf/.ttc file) when configured, or
else from the system through fontconfig (`fc-match`/`fc-list`; Noto Sans CJK SC from
Debian's fonts-noto-cjk). Without any CJK font `render_pdf` raises `NoCJKFont`, and the
caller says so plainly and offers the printable HTML page instead of a PDF full of boxes.

    from portal.pdf import render_pdf, cjk_font, NoCJKFont
    pdf_bytes = render_pdf(html_string, stylesheet_paths=[...])
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import current_app

CONFIG_KEY = "PDF_CJK_FONT"
FAMILY = "Portal CJK"  # the family name the stylesheet uses for the embedded font
FC_PATTERNS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei")


class NoCJKFont(RuntimeError):
    """No font able to print Chinese was found (configured path or fontconfig)."""


@dataclass(frozen=True)
class Font:
    path: Path
    source: str  # "config" | "fontconfig"


@lru_cache(maxsize=8)
def _from_fontconfig() -> str | None:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    for pattern in FC_PATTERNS:
        try:
            out = subprocess.run(  # noqa: S603 (fixed program, no shell)
                [fc_list, f"{pattern}:lang=zh", "file"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        files = sorted(line.strip().rstrip(":") for line in out.splitlines() if line.strip())
        regular = [f for f in files if "Regular" in f] or files
        if regular:
            return regular[0]
    return None


def cjk_font() -> Font | None:
    """The CJK font to embed: the configured path if it exists, else fontconfig's."""
    configured = current_app.config.get(CONFIG_KEY)
    if configured:
        path = Path(configured)
        return Font(path, "config") if path.is_file() else None
    found = _from_fontconfig()
    return Font(Path(found), "fontconfig") if found else None


def font_css(font: Font) -> str:
    uri = font.path.resolve().as_uri()
    return (
        f'@font-face {{ font-family: "{FAMILY}"; src: url("{uri}"); }}\n'
        f'html, body {{ font-family: "{FAMILY}", sans-serif; }}\n'
    )


def render_pdf(html: str, *, stylesheet_paths: tuple[str | Path, ...] = ()) -> bytes:
    """The PDF of `html` with the CJK font embedded; NoCJKFont if there is none."""
    font = cjk_font()
    if font is None:
        raise NoCJKFont("no CJK font: install fonts-noto-cjk or set PDF_CJK_FONT")
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    sheets = [CSS(filename=str(p), font_config=fonts) for p in stylesheet_paths]
    sheets.append(CSS(string=font_css(font), font_config=fonts))
    return HTML(string=html, base_url=None).write_pdf(stylesheets=sheets, font_config=fonts)
