"""Screenshots of the HTML report for the README and docs: ``python docs/make_screenshots.py``.

Writes, in ``docs/``:

* ``report_nhs_fft_zh.png`` / ``report_nhs_fft_en.png``: the report of the bundled REAL NHS
  Friends and Family Test respondents (``sa.fft_responses_path()``, MIT, NHS England);
* ``report_gp_three_scales_zh.png`` / ``..._en.png``: the report of a SYNTHETIC wide sheet in
  the style of the GP Patient Survey, one question on each of three scales (``easy4_en``,
  ``satisfied5_en``, ``good5_en``), made by :func:`gp_style_sheet` with a fixed seed;
* ``report_screenshot.png`` (shown by the README): the synthetic Chinese survey bundled
  with the package, with its item catalogue and the published claims.

Each report is written to a temporary folder, rendered by headless Chromium (Debian package
``chromium``) and its top part kept, scaled to 900 px wide, as an indexed PNG. The input is
given by absolute path: the page shows only its file name.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

import survey_analysis as sa
from survey_analysis.present.html_report import write_report

DOCS = Path(__file__).resolve().parent
#: Height of the page kept in each screenshot, in CSS pixels at a 1200 px wide window.
KEEP_HEIGHT = 2600
WIDTH = 900
SEED = 20240522


def gp_style_sheet(respondents: int = 600, seed: int = SEED) -> pd.DataFrame:
    """A SYNTHETIC wide sheet: one row per respondent, one column per question.

    Parameters
    ----------
    respondents : int, default 600
    seed : int, default :data:`SEED`

    Returns
    -------
    pandas.DataFrame
        ``respondent``, then three questions worded as in the GP Patient Survey, each on its
        own scale (``easy4_en``, ``satisfied5_en``, ``good5_en``), with some blank and
        "Haven't tried" answers. The shares are made up.
    """
    rng = np.random.default_rng(seed)

    def answers(levels, shares, blank=0.03):
        values = rng.choice(np.array(levels, dtype=object), size=respondents, p=shares)
        values[rng.random(respondents) < blank] = None
        return values

    return pd.DataFrame({
        "respondent": np.arange(1, respondents + 1),
        "Getting through on the phone": answers(
            ["Very easy", "Fairly easy", "Not very easy", "Not at all easy", "Haven't tried"],
            [0.18, 0.33, 0.24, 0.17, 0.08]),
        "Appointment times": answers(
            ["Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied",
             "Fairly dissatisfied", "Very dissatisfied"], [0.25, 0.32, 0.18, 0.14, 0.11]),
        "Overall experience": answers(
            ["Very good", "Fairly good", "Neither good nor poor", "Fairly poor", "Very poor"],
            [0.38, 0.34, 0.13, 0.09, 0.06]),
    })


def screenshot(html: Path, png: Path, profile: Path) -> None:
    """Render ``html`` in headless Chromium and keep its top, scaled, as an indexed PNG."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("make_screenshots: Chromium is needed (Debian package chromium)")
    raw = png.with_suffix(".raw.png")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size=1200,{KEEP_HEIGHT}",
                    f"--screenshot={raw}", html.as_uri()],
                   check=True, capture_output=True, timeout=180)
    with Image.open(raw) as image:
        image = image.convert("RGB")
        image = image.resize((WIDTH, round(image.height * WIDTH / image.width)), Image.LANCZOS)
        image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(png, optimize=True)
    raw.unlink()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sheet = tmp / "gp_style_three_scales_SYNTHETIC.csv"
        gp_style_sheet().to_csv(sheet, index=False)
        fft = {"columns": {"item_id": ["trust", "service_type_1", "service_type_2"], "rating": "fft_code"},
               "scale": "fft", "unknown_labels": "exclude"}
        jobs = {}
        for lang in ("zh", "en"):
            jobs[f"report_nhs_fft_{lang}"] = (str(sa.fft_responses_path()), lang, dict(
                fft, title="NHS Friends and Family Test (real respondents)" if lang == "en"
                else "NHS 亲友推荐测试（真实受访者）"))
            jobs[f"report_gp_three_scales_{lang}"] = (str(sheet), lang, dict(
                synthetic=True,
                title="GP-style survey, three scales (SYNTHETIC)" if lang == "en"
                else "全科诊所式问卷，三种量表（合成数据）"))
        jobs["report_screenshot"] = (sa.load_synthetic_responses(), "zh", dict(
            synthetic=True, items=sa.load_items(), claims=sa.load_published_claims()))
        for name, (source, lang, options) in jobs.items():
            out = tmp / name
            write_report(source, out, lang=lang, **options)
            screenshot(out / "report.html", DOCS / f"{name}.png", tmp / f"profile_{name}")
            print(f"{name}.png: {(DOCS / f'{name}.png').stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
