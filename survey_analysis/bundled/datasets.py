"""The bundled data: published figures, the item catalogue, SYNTHETIC responses, and one
file of REAL respondents (NHS Friends and Family Test, MIT licence; :func:`fft_responses_path`).

The files live in the repository's ``data/`` folder (see ``data/README.md``).
Install the package from a clone (``pip install -e .``) so they can be found, or
point ``SURVEY_ANALYSIS_DATA`` at a copy of that folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..words import say

__all__ = ["data_dir", "fft_comments_path", "fft_responses_path", "load_items", "load_published_claims",
           "load_synthetic_responses", "synthetic_responses_path", "synthetic_rounds_path"]


def data_dir() -> Path:
    """Folder holding the bundled data.

    ``$SURVEY_ANALYSIS_DATA`` if set, else ``data/`` next to the package source.

    Raises
    ------
    FileNotFoundError
        If neither exists (e.g. the package was installed without a clone).
    """
    candidates = []
    if os.environ.get("SURVEY_ANALYSIS_DATA"):
        candidates.append(Path(os.environ["SURVEY_ANALYSIS_DATA"]))
    candidates.append(Path(__file__).resolve().parents[2] / "data")
    for candidate in candidates:
        if (candidate / "items.csv").is_file():
            return candidate
    raise FileNotFoundError(say("bundled.not_found", looked=", ".join(map(str, candidates))))


def load_published_claims(path=None) -> pd.DataFrame:
    """The bundled article's published figures, one row per figure, with the quoted sentence.

    A claims table (:func:`~survey_analysis.read_claims`): the satisfaction figures
    (``overall_rate``, ``items_at_100``, ``item_at_100``, ``n_items``) are checked by
    :func:`~survey_analysis.check_claims`; the campaign's other figures (works, money)
    are kept with their quotes but not checked. It is the claims file of one case: pass
    it for the bundled data, never for an office's own sheet.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``kind``, ``value``, ``qualifier``, ``lower``, ``upper``,
        ``unit``, ``item``, ``wording``, ``quote``, ``translation_en``, ``source``.

    Examples
    --------
    >>> claims = load_published_claims()
    >>> row = claims.set_index("id").loc["overall_satisfaction_over_95"]
    >>> float(row["value"]), row["qualifier"], row["wording"]
    (95.0, 'over', '超过95%')
    """
    from ..load.claimset import read_claims

    return read_claims(Path(path) if path else data_dir() / "published" / "claims.csv")


def load_items(path=None) -> pd.DataFrame:
    """The 152-item catalogue (``item_id``, ``name_zh``, ``name_en``, ``category``, ``provenance``).

    Examples
    --------
    >>> items = load_items()
    >>> len(items), items["provenance"].value_counts().sort_index().to_dict()
    (152, {'named_at_100': 3, 'named_membership_unstated': 14, 'placeholder': 135})
    """
    path = Path(path) if path else data_dir() / "items.csv"
    return pd.read_csv(path, dtype=str, encoding="utf-8")


def synthetic_responses_path() -> Path:
    """Path of the committed SYNTHETIC responses, ``data/synthetic/responses_synthetic.csv``."""
    return data_dir() / "synthetic" / "responses_synthetic.csv"


def synthetic_rounds_path() -> Path:
    """Path of the committed SYNTHETIC two-round responses, ``data/synthetic/rounds_synthetic.csv``.

    Made by :func:`~survey_analysis.bundled.rounds.write_synthetic_rounds`; its datasheet
    is ``ROUNDS_ASSUMPTIONS.md`` in the same folder. Read it with the ``round`` column kept.

    Examples
    --------
    >>> import survey_analysis as sa
    >>> responses = sa.load_responses(synthetic_rounds_path(), keep_columns=["round"])
    >>> sorted(responses["round"].unique())
    ['2026Q2', '2026Q3']
    """
    return data_dir() / "synthetic" / "rounds_synthetic.csv"


def load_synthetic_responses() -> pd.DataFrame:
    """Load the SYNTHETIC demo responses through :func:`~survey_analysis.load_responses`."""
    from ..load.responses import load_responses

    return load_responses(synthetic_responses_path())


def fft_responses_path() -> Path:
    """Path of the bundled REAL respondents: NHS Friends and Family Test answers of two trusts.

    ``data/real/nhs_fft/fft_respondents.csv``: 4,466 respondents of North East Ambulance
    Service (NEAS) and Nottinghamshire Healthcare (NHFT), 2021-2022, one row each, released
    by NHS England under the MIT licence (``LICENSE`` in the same folder; the datasheet is
    ``data/README.md``). These are real answers, not synthetic.

    Returns
    -------
    pathlib.Path

    Notes
    -----
    ``fft_code`` is 1 Very good ... 5 Very poor and 6 Don't know (the ``fft`` scale); the
    file also holds 225 answers coded 7, a code the source does not document. It is no
    level of the scale, so loading needs ``unknown_labels="exclude"`` to exclude and count
    them (an error otherwise). The units are trust x service types:
    ``columns={"item_id": ["trust", "service_type_1", "service_type_2"], "rating": "fft_code"}``
    (CLI ``--columns item_id=trust+service_type_1+service_type_2 --columns rating=fft_code
    --scale fft --unknown-labels exclude``).

    Examples
    --------
    >>> import survey_analysis as sa
    >>> path = fft_responses_path()
    >>> path.name, (path.parent / "LICENSE").read_text(encoding="utf-8").splitlines()[0]
    ('fft_respondents.csv', 'MIT License')
    >>> responses = sa.load_responses(
    ...     path, scale="fft", unknown_labels="exclude",
    ...     columns={"item_id": ["trust", "service_type_1", "service_type_2"], "rating": "fft_code"})
    >>> report = responses.attrs["load_report"]
    >>> report.rows_read, report.rows_kept, report.excluded_by_reason().to_dict()
    (4466, 4227, {'dont_know': 14, 'unknown_label': 225})
    """
    return data_dir() / "real" / "nhs_fft" / "fft_respondents.csv"


def fft_comments_path() -> Path:
    """Path of the bundled REAL comments: what the NHS Friends and Family Test respondents wrote.

    ``data/real/nhs_fft_comments/v6framework_230831.csv``: the unchanged source file of the
    same NHS England project as :func:`fft_responses_path` (MIT licence, ``LICENSE`` in the
    same folder; the source's README is ``SOURCE_README.md``; the datasheet is
    ``data/README.md``). One row per comment: each respondent answered two questions, so
    comments cluster in respondents (``Respondent ID``). Columns include ``FFT categorical
    answer`` (the ``fft`` codes), ``FFT question``, ``FFT answer`` (the text; "Did not
    answer" where none), ``Comment sentiment`` (1 very positive ... 5 very negative, by
    the project's coders) and 49 topic columns (1 where a coder tagged the comment with
    the topic). These are real comments, not synthetic.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import pandas as pd
    >>> path = fft_comments_path()
    >>> comments = pd.read_csv(path)
    >>> comments.shape, comments["Respondent ID"].nunique()
    ((7908, 61), 4466)
    """
    return data_dir() / "real" / "nhs_fft_comments" / "v6framework_230831.csv"
