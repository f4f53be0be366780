# Reference values for issue 23: svyciprop(method = "mean"), the Wald interval on the design's
# degrees of freedom. Run from the repository root:
#   Rscript tests/R/reference_mean.R > tests/R/reference_mean.out 2>&1
# Data: tests/data/reference/domains.csv (written by tests/R/reference_domains.R) and a
# small design given here whose upper bound passes 1. Output: "label: value(s)", 15 digits.
source("tests/R/common.R")  # 15 digits, survey, the versions, out()

d <- read.csv("tests/data/reference/domains.csv")
designs <- list(
  "clusters weighted" = svydesign(ids = ~item_id, weights = ~w, data = d),
  "clusters unweighted" = suppressWarnings(svydesign(ids = ~item_id, data = d)),
  "strata unweighted" = suppressWarnings(svydesign(ids = ~1, strata = ~item_id, data = d)))
for (name in names(designs)) {
  des <- designs[[name]]
  for (level in c(0.95, 0.9)) {
    ci <- svyciprop(~sat, des, method = "mean", level = level)
    out(paste(name, "svyciprop mean level", level, "coef SE ci"),
        c(coef(ci), sqrt(attr(ci, "var")), confint(ci)))
  }
  out(paste(name, "degf"), degf(des))
}
# 4 items, nearly all satisfied: the Wald interval passes 1 (R does not clip it).
k <- c(10, 12, 9, 15); n <- c(10, 12, 10, 15)
s <- do.call(rbind, lapply(1:4, function(i) data.frame(item_id = paste0("H", i),
                                                       sat = as.numeric(seq_len(n[i]) <= k[i]))))
des <- suppressWarnings(svydesign(ids = ~item_id, data = s))
ci <- svyciprop(~sat, des, method = "mean")
out("high svyciprop mean coef SE ci", c(coef(ci), sqrt(attr(ci, "var")), confint(ci)))
out("high degf", degf(des))
