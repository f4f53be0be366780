# Reference values for issue 23: Rao-Scott tests on every rating level,
# svychisq(~rating + group, design) on a 3-level (cn3) and a 5-level scale.
# Run from the repository root:
#   Rscript tests/R/reference_levels.R > tests/R/reference_levels.out 2>&1
# It writes tests/data/reference/levels.csv (synthetic, fixed seed); output lines are
# "label: value(s)", 15 digits. rank3: 1..3 (cn3), rank5: 1..5; rank5u: 1..5 but level 4
# is used by no answer (R's svychisq tabulates the values present).
source("tests/R/common.R")  # 15 digits, survey, the versions, out()

set.seed(20261204)
rows <- list()
for (i in 1:21) {
  n <- sample(5:12, 1)
  district <- c("D1", "D2", "D3")[1 + (i - 1) %/% 7]
  shift <- c(D1 = 0, D2 = 0.5, D3 = -0.4)[district] + rnorm(1, 0, 0.6)
  latent <- rnorm(n, 1.2 + shift, 1)
  rows[[i]] <- data.frame(item_id = sprintf("I%02d", i), district = district,
                          channel = sample(c("phone", "web"), n, replace = TRUE),
                          rank3 = as.integer(cut(-latent, c(-Inf, -1.2, 0, Inf))),
                          rank5 = as.integer(cut(-latent, c(-Inf, -2.2, -1.2, -0.3, 0.4, Inf))))
}
d <- do.call(rbind, rows)
d$rank5u <- ifelse(d$rank5 == 4, 5L, d$rank5)
d$w <- round(runif(nrow(d), 0.5, 2.5), 2)
d$sat <- as.integer(d$rank3 <= 2)
write.csv(d, "tests/data/reference/levels.csv", row.names = FALSE)
out("rows", nrow(d))
out("rank3 table", table(d$rank3)); out("rank5 table", table(d$rank5)); out("rank5u table", table(d$rank5u))
designs <- list(
  "clusters weighted" = svydesign(ids = ~item_id, weights = ~w, data = d),
  "strata unweighted" = suppressWarnings(svydesign(ids = ~1, strata = ~item_id, data = d)))
for (name in names(designs)) {
  des <- designs[[name]]
  for (rating in c("rank3", "rank5", "rank5u")) for (group in c("district", "channel")) {
    for (st in c("F", "Chisq")) {
      t <- svychisq(as.formula(paste0("~", rating, " + ", group)), des, statistic = st)
      out(paste(name, rating, group, "svychisq", st, "statistic parameter p.value"),
          c(t$statistic, t$parameter, t$p.value))
    }
  }
  # The satisfied/not split (rank3 <= 2), today's test, for comparison.
  t <- svychisq(~sat + district, des, statistic = "F")
  out(paste(name, "satisfied district svychisq F statistic parameter p.value"),
      c(t$statistic, t$parameter, t$p.value))
}
