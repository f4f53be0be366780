# Reference values for survey_analysis/weights.py (post-stratification, raking,
# weight trimming, Kish effective sample size) with the R 'survey' package.
# Run from the repository root:
#   Rscript tests/R/reference_weights.R > tests/R/reference_weights.out 2>&1
# Output lines are "label: value(s)" with 15 significant digits.
source("tests/R/common.R")  # 15 digits, survey, the versions, out()

# ---- The data: 40 respondents, written out explicitly (tests/test_weights.py
# builds the same frame from the same strings).  Row i has item i1..i8 (5 rows
# each; items i1-i2 in community c1, i3-i4 in c2, i5-i6 in c3, i7-i8 in c4),
# sex F/M, age group (a = 18-39, b = 40-59, c = 60+), design weight w and
# y = 1 if satisfied.
sex_s <- "FFMFMFFFMFFMMFFFFMFMFMMFFFFFFFFFFFMMFFMF"
age_s <- "caaccbbbcbacbcccacaaabcacbcccccbccacabbc"
y_s   <- "1111101010111011111110001111101111111111"
w <- c(1.5, 3, 2, 3, 1, 3, 1, 2, 1.5, 2, 1.5, 3, 1.5, 2, 1, 1, 2, 1.5, 2, 2,
       2, 3, 2, 1.5, 3, 2, 3, 1, 1.5, 1.5, 2, 3, 1.5, 3, 2, 1, 3, 1.5, 3, 2)
chars <- function(s) strsplit(s, "")[[1]]
d <- data.frame(
  item_id = paste0("i", rep(1:8, each = 5)),
  community = paste0("c", rep(1:4, each = 10)),
  sex = chars(sex_s),
  age = c(a = "18-39", b = "40-59", c = "60+")[chars(age_s)],
  y = as.numeric(chars(y_s)),
  w = w,
  stringsAsFactors = FALSE)
rownames(d) <- NULL
out("n", nrow(d))

# Known population totals (households).
pop_community <- data.frame(community = c("c1", "c2", "c3", "c4"), Freq = c(120, 80, 150, 50))
pop_sex <- data.frame(sex = c("F", "M"), Freq = c(210, 190))
pop_age <- data.frame(age = c("18-39", "40-59", "60+"), Freq = c(130, 150, 120))
pop_sex_age <- data.frame(sex = rep(c("F", "M"), each = 3), age = rep(c("18-39", "40-59", "60+"), 2),
                          Freq = c(70, 75, 65, 60, 75, 55))

report_mean <- function(label, des) {
  m <- svymean(~y, des)
  out(paste0(label, " mean"), coef(m))
  out(paste0(label, " se"), SE(m))
}

# ---- Kish effective sample size of the design weights: sum(w)^2 / sum(w^2) and
# the Kish design effect n * sum(w^2) / sum(w)^2 (formula one-liners, not survey).
out("kish n_eff w", sum(w)^2 / sum(w^2))
out("kish deff w", length(w) * sum(w^2) / sum(w)^2)
out("kish n_eff w by community", tapply(w, d$community, function(v) sum(v)^2 / sum(v^2)))
out("kish deff w by community", tapply(w, d$community, function(v) length(v) * sum(v^2) / sum(v)^2))
# weights 1, 2 in equal numbers: deff = 10/9 exactly
out("kish deff 1,2", (function(v) length(v) * sum(v^2) / sum(v)^2)(c(1, 2, 1, 2)))

# ---- Design with the design weights only
d0 <- svydesign(ids = ~1, weights = ~w, data = d)
report_mean("d0", d0)

# ---- 1. postStratify(design, ~community, pop_community), weighted start
ps <- postStratify(d0, ~community, pop_community)
out("ps weights", weights(ps))
report_mean("ps", ps)
# the same final weights in a design that does not know they were calibrated
report_mean("ps naive", svydesign(ids = ~1, weights = ~wt, data = transform(d, wt = weights(ps))))
out("ps kish n_eff", sum(weights(ps))^2 / sum(weights(ps)^2))
out("ps kish n_eff by community",
    tapply(weights(ps), d$community, function(v) sum(v)^2 / sum(v^2)))

# ---- 2. the same with items as clusters: svydesign(ids = ~item_id, ...)
dc <- svydesign(ids = ~item_id, weights = ~w, data = d)
psc <- postStratify(dc, ~community, pop_community)
report_mean("psc", psc)
report_mean("psc naive", svydesign(ids = ~item_id, weights = ~wt, data = transform(d, wt = weights(psc))))

# ---- 2b. items as clusters within communities as strata, post-stratified by sex
dcs <- svydesign(ids = ~item_id, strata = ~community, weights = ~w, data = d)
pss <- postStratify(dcs, ~sex, pop_sex)
out("pss weights", weights(pss))
report_mean("pss", pss)
report_mean("pss naive", svydesign(ids = ~item_id, strata = ~community, weights = ~wt,
                                   data = transform(d, wt = weights(pss))))

# ---- 3. unweighted start: weights become N_h / n_h
du <- suppressWarnings(svydesign(ids = ~1, data = d))
psu <- postStratify(du, ~community, pop_community)
out("psu weights", weights(psu))
report_mean("psu", psu)

# ---- 4. post-stratification on the sex x age cross-classification
ps2 <- postStratify(d0, ~sex + age, pop_sex_age)
out("ps2 weights", weights(ps2))
report_mean("ps2", ps2)

# ---- 5. rake(design, list(~sex, ~age), list(pop_sex, pop_age)), run to convergence
# (control$epsilon < 1 is relative to the weight total in survey 4.1.1)
rk <- rake(d0, list(~sex, ~age), list(pop_sex, pop_age),
           control = list(maxit = 1000, epsilon = 1e-15))
out("rk weights", weights(rk))
out("rk svytable sex", svytable(~sex, rk))
out("rk svytable age", svytable(~age, rk))
report_mean("rk", rk)   # rake()'s own SE: 10 backfitting sweeps of unweighted cell means
report_mean("rk naive", svydesign(ids = ~1, weights = ~wt, data = transform(d, wt = weights(rk))))
# The same raking as a calibration (Deville & Sarndal 1992): same weights, SE from
# the regression residuals with design weights (the GREG linearization).
pop_vec <- c("(Intercept)" = 400, sexM = 190, "age40-59" = 150, "age60+" = 120)
cal <- calibrate(d0, ~sex + age, population = pop_vec, calfun = "raking", epsilon = 1e-14,
                 maxit = 200)
out("cal weights", weights(cal))
out("max abs diff rake vs calibrate weights", max(abs(weights(cal) - weights(rk))))
report_mean("cal", cal)
calc <- calibrate(dc, ~sex + age, population = pop_vec, calfun = "raking", epsilon = 1e-14,
                  maxit = 200)
report_mean("calc", calc)

# ---- 6. three margins, unweighted start
rk3 <- rake(du, list(~sex, ~age, ~community), list(pop_sex, pop_age, pop_community),
            control = list(maxit = 1000, epsilon = 1e-15))
out("rk3 weights", weights(rk3))
report_mean("rk3", rk3)
pop_vec3 <- c(pop_vec, communityc2 = 80, communityc3 = 150, communityc4 = 50)
cal3 <- calibrate(du, ~sex + age + community, population = pop_vec3, calfun = "raking",
                  epsilon = 1e-14, maxit = 200)
out("max abs diff rake3 vs calibrate3 weights", max(abs(weights(cal3) - weights(rk3))))
report_mean("cal3", cal3)

# ---- 7. trimWeights(design, upper, lower): trimmed excess spread equally over the
# untrimmed weights; strict = TRUE repeats until every weight is within bounds.
tw <- c(1, 2, 3, 10, 20, 4, 0.2, 5)
dt <- svydesign(ids = ~1, weights = ~tw, data = data.frame(tw = tw, y = 1))
out("trim input", tw)
out("trim upper=8 lower=0.5", weights(trimWeights(dt, upper = 8, lower = 0.5)))
out("trim upper=8 lower=0.5 strict", weights(trimWeights(dt, upper = 8, lower = 0.5, strict = TRUE)))
out("trim upper=6", weights(trimWeights(dt, upper = 6)))
# strict = TRUE with upper = 6 never stops in survey 4.1.1 (the excess keeps being spread
# over weights already at the bound; "C stack usage too close to the limit"), so it is
# not run here.
out("trim upper=10", weights(trimWeights(dt, upper = 10)))
out("trim upper=10 strict", weights(trimWeights(dt, upper = 10, strict = TRUE)))
out("trim lower=2", weights(trimWeights(dt, lower = 2)))
out("trim lower=1.5 strict", weights(trimWeights(dt, lower = 1.5, strict = TRUE)))
