# Reference values for issue 12: zero weights in the design effect, items as strata,
# design-based domain rates and differences (svyby + svycontrast), Rao-Scott tests
# (svychisq), two rounds compared, weighted item rates with Kish's effective n.
# Run from the repository root:
#   Rscript tests/R/reference_domains.R > tests/R/reference_domains.out 2>&1
# It writes the data it uses to tests/data/reference/domains.csv (synthetic: drawn here with
# a fixed seed, no real respondent); output lines are "label: value(s)", 15 digits.
source("tests/R/common.R")  # 15 digits, survey, the versions, out()

# 24 items in 3 districts, surveyed in two rounds (the same items: shared clusters);
# item effects on the logit scale, a round effect, weights 0.5-3 with some zeros.
set.seed(20261130)
items <- data.frame(item_id = sprintf("I%02d", 1:24), district = rep(c("D1", "D2", "D3"), each = 8),
                    effect = rnorm(24, 0, 0.8))
rows <- list()
for (r in 1:2) for (i in 1:24) {
  n <- sample(4:14, 1)
  p <- plogis(2.2 + items$effect[i] + (r - 1) * 0.35)
  rows[[length(rows) + 1]] <- data.frame(item_id = items$item_id[i], district = items$district[i],
                                         round = paste0("R", r), sat = rbinom(n, 1, p))
}
d <- do.call(rbind, rows)
d$w <- round(runif(nrow(d), 0.5, 3), 2)
d$w[sample(nrow(d), 12)] <- 0
dir.create("tests/data/reference", showWarnings = FALSE)
write.csv(d, "tests/data/reference/domains.csv", row.names = FALSE)
out("rows", nrow(d)); out("zero weights", sum(d$w == 0)); out("satisfied", sum(d$sat))

## 1. Zero weights: svymean(deff = "replace") and Kish --------------------------------------
des_cw <- svydesign(ids = ~item_id, weights = ~w, data = d)
m <- svymean(~sat, des_cw, deff = "replace")
out("clusters weighted svymean coef SE deff", c(coef(m), SE(m), deff(m)))
out("clusters weighted degf", degf(des_cw))
ci <- svyciprop(~sat, des_cw, method = "logit")
out("clusters weighted svyciprop logit", confint(ci))
pos <- d$w[d$w > 0]
out("kish n_pos sum(w)^2/sum(w^2) n_pos*sum(w^2)/sum(w)^2",
    c(length(pos), sum(pos)^2 / sum(pos^2), length(pos) * sum(pos^2) / sum(pos)^2))

## 2. Items as strata (a census of items): ids = ~1, strata = ~item_id -----------------------
des_s <- svydesign(ids = ~1, strata = ~item_id, data = d)
m <- svymean(~sat, des_s, deff = "replace")
out("strata unweighted svymean coef SE deff", c(coef(m), SE(m), deff(m)))
out("strata unweighted degf", degf(des_s))
out("strata unweighted svyciprop logit", confint(svyciprop(~sat, des_s, method = "logit")))
out("strata unweighted svyciprop beta", confint(svyciprop(~sat, des_s, method = "beta")))
des_c <- svydesign(ids = ~item_id, data = d)
m <- svymean(~sat, des_c, deff = "replace")
out("clusters unweighted svymean coef SE deff", c(coef(m), SE(m), deff(m)))
out("clusters unweighted svyciprop logit", confint(svyciprop(~sat, des_c, method = "logit")))
des_sw <- svydesign(ids = ~1, strata = ~item_id, weights = ~w, data = d)
m <- svymean(~sat, des_sw, deff = "replace")
out("strata weighted svymean coef SE deff", c(coef(m), SE(m), deff(m)))
out("strata weighted svyciprop logit", confint(svyciprop(~sat, des_sw, method = "logit")))

## 3. Domains: svyby + svycontrast -----------------------------------------------------------
for (name in c("clusters weighted", "strata weighted", "clusters unweighted")) {
  des <- switch(name, "clusters weighted" = des_cw, "strata weighted" = des_sw,
                "clusters unweighted" = des_c)
  b <- svyby(~sat, ~district, des, svymean, covmat = TRUE)
  out(paste(name, "svyby district coef"), coef(b))
  out(paste(name, "svyby district SE"), SE(b))
  out(paste(name, "svyby district vcov"), as.vector(vcov(b)))
  for (pair in list(c(1, 2), c(1, 3), c(2, 3))) {
    w <- rep(0, 3); w[pair[1]] <- 1; w[pair[2]] <- -1
    con <- svycontrast(b, w)
    out(paste(name, "svycontrast", paste0("D", pair[1]), "-", paste0("D", pair[2]), "coef SE"),
        c(coef(con), SE(con)))
  }
  out(paste(name, "degf"), degf(des))
  for (st in c("F", "Chisq")) {
    t <- svychisq(~district + sat, des, statistic = st)
    out(paste(name, "svychisq", st, "statistic parameter p.value"),
        c(t$statistic, t$parameter, t$p.value))
  }
  # Rounds: the later round minus the earlier
  b <- svyby(~sat, ~round, des, svymean, covmat = TRUE)
  con <- svycontrast(b, c(-1, 1))
  est <- coef(con); se <- SE(con); df <- degf(des)
  out(paste(name, "rounds R2-R1 coef SE"), c(est, se))
  out(paste(name, "rounds t interval 95% and p (t on degf)"),
      c(est - qt(0.975, df) * se, est + qt(0.975, df) * se, 2 * pt(-abs(est / se), df)))
}

## 4. Weighted item rates with Kish's effective n, Wilson at (p n_eff, n_eff) ------------------
b <- svyby(~sat, ~item_id, des_sw, svymean)
kish <- tapply(d$w, d$item_id, function(w) { w <- w[w > 0]; sum(w)^2 / sum(w^2) })
wilson <- t(mapply(function(p, n) suppressWarnings(prop.test(p * n, n, correct = FALSE)$conf.int),
                   coef(b), kish))
out("weighted item rates svyby svymean coef (items I01..I24)", coef(b))
out("weighted item rates kish n_eff", kish)
out("weighted item rates wilson low (prop.test(p n_eff, n_eff, correct = FALSE))", wilson[, 1])
out("weighted item rates wilson high", wilson[, 2])

## 5. Per-item changes between rounds (unweighted): Fisher exact and Newcombe method 10 ----------
suppressMessages(library(Epi))
cat("Epi version:", as.character(packageVersion("Epi")), "\n")
tab <- aggregate(sat ~ item_id + round, d, function(s) c(k = sum(s), n = length(s)))
k1 <- tab$sat[tab$round == "R1", "k"]; n1 <- tab$sat[tab$round == "R1", "n"]
k2 <- tab$sat[tab$round == "R2", "k"]; n2 <- tab$sat[tab$round == "R2", "n"]
fisher <- mapply(function(a, b, c, e) fisher.test(matrix(c(a, b - a, c, e - c), 2, byrow = TRUE))$p.value,
                 k2, n2, k1, n1)
# Epi::ci.pd(aa, bb, cc, dd): aa of aa + cc versus bb of bb + dd (as tests/R/reference_comparisons.R)
nc <- t(mapply(function(a, b, c, e) ci.pd(a, c, b - a, e - c, method = "Nc", print = FALSE)[1, 6:7],
               k2, n2, k1, n1))
out("items R2 fisher.test p.value (I01..I24)", fisher)
out("items R2 p.adjust holm", p.adjust(fisher, "holm"))
out("items R2-R1 Epi::ci.pd Nc lower", nc[, 1])
out("items R2-R1 Epi::ci.pd Nc upper", nc[, 2])
