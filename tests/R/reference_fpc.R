# Reference values for issue 23: finite population correction (svydesign(fpc = ...)).
# Run from the repository root:
#   Rscript tests/R/reference_fpc.R > tests/R/reference_fpc.out 2>&1
# It writes the data it uses to tests/data/reference/fpc_clusters.csv and
# tests/data/reference/fpc_callback.csv (synthetic: drawn here with a fixed seed, no real
# respondent); output lines are "label: value(s)", 15 digits. Weights are always given
# (weights = ~w): without them R derives weights N_h / n_h from the fpc.
source("tests/R/common.R")  # 15 digits, survey, the versions, out()

## (a), (b): items (clusters) sampled within 5 districts (strata); N_items = items in the
## district's population (D2: all 4 of 4 sampled, a census stratum); frac = n_h / N_h.
set.seed(20261202)
n_h <- c(D1 = 3, D2 = 4, D3 = 2, D4 = 5, D5 = 3)
N_h <- c(D1 = 10, D2 = 4, D3 = 6, D4 = 25, D5 = 8)
rows <- list()
for (h in names(n_h)) for (i in seq_len(n_h[h])) {
  n <- sample(6:14, 1)
  p <- plogis(1.6 + rnorm(1, 0, 0.9))
  rows[[length(rows) + 1]] <- data.frame(item_id = sprintf("%s_I%d", h, i), district = h,
                                         channel = sample(c("phone", "web"), n, replace = TRUE),
                                         sat = rbinom(n, 1, p))
}
d <- do.call(rbind, rows)
d$N_items <- N_h[d$district]
d$frac <- n_h[d$district] / N_h[d$district]
d$w <- round(runif(nrow(d), 0.5, 2.5), 2)
write.csv(d, "tests/data/reference/fpc_clusters.csv", row.names = FALSE)
out("clusters rows", nrow(d)); out("clusters satisfied", sum(d$sat))
for (kind in c("N_items", "frac", "none")) {
  des <- if (kind == "none") svydesign(ids = ~item_id, strata = ~district, weights = ~w, data = d)
         else svydesign(ids = ~item_id, strata = ~district, weights = ~w, data = d,
                        fpc = as.formula(paste0("~", kind)))
  label <- paste("clusters fpc", kind)
  m <- svymean(~sat, des, deff = "replace")
  out(paste(label, "svymean coef SE deff(replace)"), c(coef(m), SE(m), deff(m)))
  out(paste(label, "svymean deff(TRUE)"), deff(svymean(~sat, des, deff = TRUE)))
  out(paste(label, "degf"), degf(des))
  out(paste(label, "svyciprop logit"), confint(svyciprop(~sat, des, method = "logit")))
  b <- svyby(~sat, ~channel, des, svymean)
  out(paste(label, "svyby channel coef"), coef(b))
  out(paste(label, "svyby channel SE"), SE(b))
  t <- svychisq(~channel + sat, des, statistic = "F")
  out(paste(label, "svychisq F statistic parameter p.value"), c(t$statistic, t$parameter, t$p.value))
}
# The census stratum alone: its variance is 0 with the fpc.
des <- svydesign(ids = ~item_id, strata = ~district, weights = ~w, data = d, fpc = ~N_items)
out("clusters fpc N_items svytotal(sat) SE in D2 only",
    SE(svytotal(~I(sat * (district == "D2")), des)))
msg <- tryCatch({svydesign(ids = ~item_id, strata = ~district, data = d,
                           fpc = ~I(pmin(N_items, 3))); "no error"},
                error = function(e) conditionMessage(e))
cat("fpc below the sample size:", msg, "\n")

## (c) items as strata, a callback survey: per item, `cases` closed cases and n of them
## answered (item C5: all 12 of 12, a census); weights w = cases / n.
set.seed(20261203)
cases <- c(40, 25, 60, 18, 12, 35, 50, 30)
n_i <- c(30, 12, 22, 9, 12, 20, 15, 16)
rows <- list()
for (i in seq_along(cases)) {
  p <- plogis(2 + rnorm(1, 0, 0.8))
  rows[[i]] <- data.frame(item_id = sprintf("C%d", i), district = c("东区", "西区")[1 + (i %% 2)],
                          cases = cases[i], sat = rbinom(n_i[i], 1, p))
}
cb <- do.call(rbind, rows)
cb$w <- cb$cases / ave(cb$sat, cb$item_id, FUN = length)
write.csv(cb, "tests/data/reference/fpc_callback.csv", row.names = FALSE, fileEncoding = "UTF-8")
out("callback rows", nrow(cb)); out("callback satisfied", sum(cb$sat))
for (kind in c("cases", "none")) {
  des <- if (kind == "none") svydesign(ids = ~1, strata = ~item_id, weights = ~w, data = cb)
         else svydesign(ids = ~1, strata = ~item_id, weights = ~w, fpc = ~cases, data = cb)
  label <- paste("callback fpc", kind)
  m <- svymean(~sat, des, deff = "replace")
  out(paste(label, "svymean coef SE deff(replace)"), c(coef(m), SE(m), deff(m)))
  out(paste(label, "svymean deff(TRUE)"), deff(svymean(~sat, des, deff = TRUE)))
  out(paste(label, "degf"), degf(des))
  out(paste(label, "svyciprop logit"), confint(svyciprop(~sat, des, method = "logit")))
  b <- svyby(~sat, ~district, des, svymean)
  out(paste(label, "svyby district coef"), coef(b))
  out(paste(label, "svyby district SE"), SE(b))
}
# R's default weights from the fpc (no weights given): N_h / n_h, the same as w here.
des <- svydesign(ids = ~1, strata = ~item_id, fpc = ~cases, data = cb)
out("callback fpc cases, weights from the fpc: svymean coef SE", c(coef(svymean(~sat, des)), SE(svymean(~sat, des))))
