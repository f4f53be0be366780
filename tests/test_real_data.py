"""The bundled REAL respondent file (NHS Friends and Family Test, data/real/nhs_fft/).

Every expected number has its source beside it: the shared folder's README
(``../shared/realdata/README.md``, section ``nhs_fft``), a count derived from those published
counts, or an R call (R 4.2.2 Patched (2022-11-10 r83330), survey 4.1.1) run on the same file
with codes 6 and 7 dropped (the whole script and its output: ``tests/R/reference_fft.R`` and
``tests/R/reference_fft.out``):

    d <- read.csv("fft_respondents.csv", colClasses = "character")
    d <- d[d$fft_code %in% c("1", "2", "3", "4", "5"), ]
    d$unit <- apply(d[, c("trust", "service_type_1", "service_type_2")], 1,
                    function(r) paste(r[r != ""], collapse = " / "))
    d$sat <- as.numeric(d$fft_code %in% c("1", "2"))
"""

import hashlib
from pathlib import Path

import pytest

import survey_analysis as sa

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "real" / "nhs_fft"
SHARED = ROOT.parent / "shared" / "realdata" / "nhs_fft"
FILES = ("fft_respondents.csv", "LICENSE", "SOURCE_README.md")

# The options the datasheet (data/README.md, `real/nhs_fft/`) gives.
UNITS = ["trust", "service_type_1", "service_type_2"]
OPTIONS = {"scale": "fft", "unknown_labels": "exclude",
           "columns": {"item_id": UNITS, "rating": "fft_code"}, "keep_columns": ["trust"]}

# Rows per fft_code: ../shared/realdata/README.md, section nhs_fft ("Counts: 1 = 2,875,
# 2 = 729, 3 = 203, 4 = 172, 5 = 248, 6 = 14, 7 = 225").
PUBLISHED_COUNTS = {"1": 2875, "2": 729, "3": 203, "4": 172, "5": 248, "6": 14, "7": 225}
LEVEL_OF_CODE = {"1": "Very good", "2": "Good", "3": "Neither good nor poor", "4": "Poor",
                 "5": "Very poor"}


@pytest.fixture(scope="module")
def responses():
    return sa.load_responses(sa.fft_responses_path(), **OPTIONS)


@pytest.fixture(scope="module")
def survey(responses):
    return sa.Survey(responses)


def test_accessor_points_at_the_bundled_file():
    assert sa.fft_responses_path() == sa.data_dir() / "real" / "nhs_fft" / "fft_respondents.csv"
    assert sa.fft_responses_path().is_file()


def test_ledger_balances_and_counts_every_excluded_reason(responses):
    report = responses.attrs["load_report"]
    # 4,466 respondents (shared README); 14 = code 6 (don't know) and 225 = code 7 (published
    # counts above); 4,227 = 4,466 - 14 - 225.
    assert report.rows_read == 4466
    assert report.excluded_by_reason().to_dict() == {"dont_know": 14, "unknown_label": 225}
    assert report.rows_kept == 4227 == len(responses)
    assert report.rows_read == report.rows_kept + report.rows_excluded
    assert report.scale == "fft"
    # 225 / 4,466 = 5.04% >= the 5% warning share (README, "Reading real sheets").
    assert len(report.warnings) == 1 and "unknown_label" in report.warnings[0]
    assert "225" in report.warnings[0] and "5.0%" in report.warnings[0]


def test_code_counts_match_the_published_counts(responses):
    # Kept answers per level: codes 1-5 of the published counts, with their fft labels.
    kept = responses["rating"].astype(str).value_counts().to_dict()
    assert kept == {LEVEL_OF_CODE[code]: PUBLISHED_COUNTS[code] for code in LEVEL_OF_CODE}
    # Excluded rows, by the code they carried: 6 and 7 of the published counts. Rows of the
    # file are lines 2 ... 4467 (header on line 1).
    import pandas as pd

    raw = pd.read_csv(sa.fft_responses_path(), dtype=str, keep_default_na=False)
    assert raw["fft_code"].value_counts().to_dict() == PUBLISHED_COUNTS
    exclusions = responses.attrs["load_report"].exclusions
    codes = raw["fft_code"].to_numpy()[exclusions["source_line"].to_numpy(dtype=int) - 2]
    assert pd.Series(codes).groupby(exclusions["reason"].to_numpy()).value_counts().to_dict() == {
        ("dont_know", "6"): 14, ("unknown_label", "7"): 225}


def test_without_exclude_code_7_is_an_error_naming_file_and_column():
    options = {**OPTIONS, "unknown_labels": "error"}
    with pytest.raises(sa.ResponseFileError) as error:
        sa.load_responses(sa.fft_responses_path(), **options)
    message = str(error.value)
    assert "fft_respondents.csv" in message and "'fft_code'" in message
    assert "'7' x225" in message                 # the code and how often (published: 7 = 225)
    assert "unknown_labels='exclude'" in message


def test_units_are_trust_by_service_types(responses, survey):
    import pandas as pd

    raw = pd.read_csv(sa.fft_responses_path(), dtype=str, keep_default_na=False)
    combos = raw.groupby(UNITS).size()
    # The file has 34 trust x service combinations: 33 with a service recorded (the shared
    # README's "33 units"; a groupby that drops empty keys gives that) plus the 25 NHFT rows with
    # neither service type, which the loader joins into the unit "NHFT" (non-empty parts only).
    assert len(combos) == 34
    assert len(combos.drop(("NHFT", "", ""))) == 33
    assert combos[("NHFT", "", "")] == 25
    # Two combinations hold only code-7 answers (NHFT Forensic / Rampton: 1 row; NHFT
    # "Specialist Services and CYP" / "5": 2 rows), so after the exclusions 32 units have answers
    # (R: length(unique(d$unit)) = 32).
    codes = raw.groupby(UNITS)["fft_code"].agg(lambda s: set(s))
    only_7 = codes[codes == {"7"}]
    assert sorted(only_7.index) == [("NHFT", "Forensic", "Rampton"),
                                    ("NHFT", "Specialist Services and CYP", "5")]
    rates = survey.item_rates()
    assert len(rates) == 32 == responses["item_id"].nunique()
    assert "NHFT" in set(rates["item_id"]) and "NEAS / 111" in set(rates["item_id"])
    assert "NHFT / Forensic / Wathwood" in set(rates["item_id"])
    unrecorded = rates.set_index("item_id").loc["NHFT"]
    # 25 rows, 2 of them code 7 (grouped counts of the raw file: NHFT with no service type has
    # 1: 14, 2: 1, 3: 1, 4: 1, 5: 6, 7: 2) -> 23 answers, 15 satisfied.
    assert (unrecorded["n"], unrecorded["satisfied"]) == (23, 15)
    # 1 to 1,101 answers per unit (R: range(table(d$unit)) = 1 1101).
    assert (rates["n"].min(), rates["n"].max()) == (1, 1101)


def test_overall_rate_matches_r_svyciprop(survey):
    overall = survey.overall()
    pooled = overall.pooled
    # R: svyciprop(~sat, svydesign(ids = ~unit, data = d), method = "logit")
    #    0.852614147149251, 95% CI 0.768043266050825 0.909965273754661
    assert (pooled.n_responses, pooled.n_clusters, pooled.df) == (4227, 32, 31)
    assert pooled.estimate == pytest.approx(0.852614147149251, abs=1e-12)
    assert pooled.ci_low == pytest.approx(0.768043266050825, abs=1e-9)
    assert pooled.ci_high == pytest.approx(0.909965273754661, abs=1e-9)
    # R: m <- svymean(~sat, des); SE(m)^2 / (coef(m) * (1 - coef(m)) / (nrow(d) - 1))
    #    39.7454606219996 (design variance over the package's SRS variance, p(1-p)/(n-1))
    assert pooled.design_effect == pytest.approx(39.7454606219996, rel=1e-9)
    # R: prop.test(3604, 4227, correct = FALSE)$conf.int  0.841607525340732 0.862980445873609
    # (3,604 = 2,875 + 729, the published counts of codes 1 and 2)
    assert overall.naive.ci_low == pytest.approx(0.841607525340732, abs=1e-9)
    assert overall.naive.ci_high == pytest.approx(0.862980445873609, abs=1e-9)
    # Only Very good counts. R: svyciprop(~top, des, method = "logit") with top = (fft_code == 1)
    #    0.680151407617599, 95% CI 0.573535667448605 0.770766440223795
    top = survey.with_definition("top_box").overall().pooled
    assert top.estimate == pytest.approx(0.680151407617599, abs=1e-12)
    assert top.ci_low == pytest.approx(0.573535667448605, abs=1e-9)
    assert top.ci_high == pytest.approx(0.770766440223795, abs=1e-9)


def test_rates_per_trust_and_unit_match_r(responses, survey):
    by_trust = survey.item_rates(by="trust").set_index("trust")
    # R: prop.test(2526, 2915, correct = FALSE)$conf.int  0.853723863336548 0.878415936015013
    # R: prop.test(1078, 1312, correct = FALSE)$conf.int  0.80000225144764  0.841412407090649
    expected = {"NEAS": (2915, 2526, 0.853723863336548, 0.878415936015013),
                "NHFT": (1312, 1078, 0.80000225144764, 0.841412407090649)}
    for trust, (n, satisfied, low, high) in expected.items():
        row = by_trust.loc[trust]
        assert (row["n"], row["satisfied"]) == (n, satisfied)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), abs=1e-9)
    # Units as clusters within each trust, each trust's answers as a design of its own.
    # R: svyciprop(~sat, svydesign(ids = ~unit, data = d[d$trust == "NEAS", ]), method = "logit")
    #    0.866552315608605, 95% CI 0.47515816080328 0.978980788345556 (3 units, df 2)
    # R: svyciprop(~sat, svydesign(ids = ~unit, data = d[d$trust == "NHFT", ]), method = "logit")
    #    0.82164634146342, 95% CI 0.703703636644555 0.899355705148492 (29 units, df 28)
    # (R's domain estimate svyciprop(~sat, subset(des, trust == "NEAS")) differs: it keeps the
    # other trust's units as zero scores in the variance, 0.558816330460244 0.970837241700351.)
    clustered = {"NEAS": (0.47515816080328, 0.978980788345556),
                 "NHFT": (0.703703636644555, 0.899355705148492)}
    for trust, interval in clustered.items():
        # A frame filtered by hand: the Survey says its ledger no longer matches the answers.
        with pytest.warns(sa.SurveyWarning, match="changed after loading"):
            pooled = sa.Survey(responses.loc[responses["trust"] == trust]).overall().pooled
        assert (pooled.ci_low, pooled.ci_high) == pytest.approx(interval, abs=1e-8)
    units = survey.item_rates().set_index("item_id")
    # R: prop.test(907, 955, correct = FALSE)$conf.int  0.93399037052586  0.96188244775685
    # R: prop.test(77, 150, correct = FALSE)$conf.int   0.434017912707393 0.591982880776125
    for unit, (n, satisfied, low, high) in {
            # The source writes "PTS", a no-break space (U+00A0), a space, "- Patient Transport".
            "NEAS / PTS\u00a0 - Patient Transport": (955, 907, 0.93399037052586, 0.96188244775685),
            "NHFT / Local partnerships- MH / Adult mental health": (150, 77, 0.434017912707393,
                                                                     0.591982880776125)}.items():
        row = units.loc[unit]
        assert (row["n"], row["satisfied"]) == (n, satisfied)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), abs=1e-9)


def test_units_at_100_with_exact_lower_bounds(survey):
    perfect = survey.items_at_100().set_index("item_id")
    # Units with every answer Very good or Good (grouped counts of the raw file, codes 1-2 only
    # once 6 and 7 are dropped): 4, 5, 5, 8, 13 and 22 answers.
    assert sorted(perfect["n"]) == [4, 5, 5, 8, 13, 22]
    # R: binom.test(22, 22, alternative = "greater")$conf.int[1]  0.872694568345161 (= 0.05^(1/22))
    # R: binom.test(13, 13, alternative = "greater")$conf.int[1]  0.794183334813449
    north = perfect.loc["NHFT / Community health services / North Notts"]
    misuse = perfect.loc["NHFT / Local partnerships- MH / Substance misuse services"]
    assert north["lower_bound"] == pytest.approx(0.872694568345161, abs=1e-12)
    assert misuse["lower_bound"] == pytest.approx(0.794183334813449, abs=1e-12)
    # How many 100% units chance alone gives with these unit sizes, under a beta-binomial fit.
    # R (no package): n, k = answers and satisfied per unit of d;
    #   nll <- function(p) -sum(lchoose(n, k) + lbeta(k + exp(p[1]), n - k + exp(p[2]))
    #                           - lbeta(exp(p[1]), exp(p[2])))
    #   fit <- optim(c(log(5), 0), nll, method = "BFGS", control = list(reltol = 1e-15))
    #   -> alpha 6.48090851922465, beta 1.40177987016177
    #   p100 <- exp(lbeta(a + n, b) - lbeta(a, b)); sum(p100) = 5.30454305785177
    #   Poisson-binomial pmf by convolution: 2.5% and 97.5% quantiles 2 and 9; P(>= 6) 0.4411375
    # (agreement to the optimizers' tolerance, hence rel=1e-5)
    chance = survey.chance_of_100()
    assert chance.mean == pytest.approx(5.30454305785177, rel=1e-5)
    assert chance.interval(0.95) == (2, 9)
    assert float(chance.pmf.loc[6:].sum()) == pytest.approx(0.441137505113836, rel=1e-4)


def test_bundled_files_are_byte_identical_to_the_shared_copy():
    if not SHARED.is_dir():
        pytest.skip("../shared/realdata/nhs_fft not beside the clone")
    for name in FILES:
        bundled, shared = (BUNDLED / name).read_bytes(), (SHARED / name).read_bytes()
        assert hashlib.sha256(bundled).hexdigest() == hashlib.sha256(shared).hexdigest(), name


def test_licence_travels_with_the_file():
    text = (BUNDLED / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Copyright (c) 2021 NHS England" in text
    assert "Permission is hereby granted, free of charge" in text
    source = (BUNDLED / "SOURCE_README.md").read_text(encoding="utf-8")
    assert "Two out of the six participating trusts" in source
    datasheet = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert "## `real/nhs_fft/`" in datasheet and "fft_respondents.csv" in datasheet
    assert "MIT" in datasheet and "ba6c0a2f10ca9bb3b964b72afe6047b463095c75" in datasheet
