# Reference values for survey_analysis/sensitivity.py (definition sensitivity, score index).
# Run from the repository root:
#   Rscript tests/R/reference_sensitivity.R > tests/R/reference_sensitivity.out 2>&1
# Output lines are "label: value(s)" with 15 significant digits.
source("tests/R/common.R")  # 15 digits, survey, the versions, out()

# Six items, 3-level answers, in this order within each item: 满意 (rank 1), 基本满意 (2),
# 不满意 (3). Counts per item (satisfied, basic, dissatisfied):
counts <- list(A = c(4, 1, 1), B = c(2, 2, 0), C = c(1, 1, 2), D = c(5, 0, 0),
               E = c(3, 3, 0), F = c(6, 1, 1))
d <- do.call(rbind, lapply(names(counts), function(item) {
  rank <- rep(1:3, counts[[item]])
  data.frame(item = item, rank = rank, idx = seq_along(rank) - 1)
}))
d$score <- c(1, 0.5, 0)[d$rank]          # default score index / 100
d$top <- as.numeric(d$rank == 1)
d$top2 <- as.numeric(d$rank <= 2)
d$w <- 1 + (d$idx %% 3)                  # weights 1, 2, 3, 1, 2, 3, ... within each item
d$stratum <- ifelse(d$item %in% c("A", "B", "C"), "s1", "s2")

designs <- list(
  plain = quote(svydesign(ids = ~item, data = d, weights = ~1)),
  weighted_strata = quote(svydesign(ids = ~item, strata = ~stratum, data = d, weights = ~w))
)
for (nm in names(designs)) {
  des <- suppressWarnings(eval(designs[[nm]]))
  cat("# ", nm, ": des <- ", deparse(designs[[nm]]), "\n", sep = "")
  out(paste(nm, "degf"), degf(des))
  for (lev in c(0.95, 0.9)) {
    # svymean(~score, des); confint(m, level = lev, df = degf(des))
    m <- svymean(~score, des)
    out(sprintf("%s score svymean est se confint(df=degf) %g", nm, lev),
        c(coef(m), SE(m), confint(m, level = lev, df = degf(des))))
    for (v in c("top", "top2")) {
      # svyciprop(~top, des, method = "logit", level = lev)
      ci <- suppressWarnings(svyciprop(as.formula(paste0("~", v)), des, method = "logit",
                                       level = lev))
      out(sprintf("%s %s svyciprop logit est ci %g", nm, v, lev), c(coef(ci), attr(ci, "ci")))
    }
  }
  # mean of item means (weighted within item), t.test over items
  w <- weights(des)
  for (v in c("score", "top", "top2")) {
    item_means <- tapply(d[[v]] * w, d$item, sum) / tapply(w, d$item, sum)
    out(sprintf("%s %s item means", nm, v), item_means)
    out(sprintf("%s %s t.test(item means) est ci 0.95", nm, v),
        c(mean(item_means), t.test(item_means)$conf.int))
  }
}
