# Reference values for survey_analysis.multiplicity and survey_analysis.comparisons.
# Run: Rscript tests/R/reference_comparisons.R > tests/R/reference_comparisons.out
# Needs base R (stats) and the Debian package r-cran-epi (Epi::ci.pd, Newcombe method 10).
options(digits = 15)
cat("R.version.string:", R.version.string, "\n")
cat("Epi version:", as.character(packageVersion("Epi")), "\n")
f <- function(x) paste(sprintf("%.15g", x), collapse = " ")

## 1. p.adjust (NA entries are excluded from the number of tests m) --------------------------
p <- c(0.01, 0.04, NA, 0.03, 0.005, 0.2, 0.04, 1)
cat("p:", f(p), "\n")
for (m in c("bonferroni", "holm", "BH")) cat(sprintf("p.adjust %s: %s\n", m, f(p.adjust(p, method = m))))
m_ok <- sum(!is.na(p))
cat("sidak 1-(1-p)^m:", f(1 - (1 - p)^m_ok), "\n")
set.seed(20240503)
q <- signif(runif(25)^3, 6)   # rounded to 6 digits so the Python test can hard-code the input
cat("q:", f(q), "\n")
for (m in c("bonferroni", "holm", "BH")) cat(sprintf("p.adjust q %s: %s\n", m, f(p.adjust(q, method = m))))
cat("sidak q:", f(1 - (1 - q)^length(q)), "\n")

## 2. Exact one-sided binomial test of H0: p <= 0.95 against H1: p > 0.95 ----------------------
k <- c(20, 58, 59, 150, 29, 0, 95, 100, 1, 199, 152)
n <- c(20, 58, 59, 152, 29, 5, 100, 100, 1, 200, 160)
pv <- mapply(function(k, n) binom.test(k, n, p = 0.95, alternative = "greater")$p.value, k, n)
cat("threshold k:", f(k), "\n")
cat("threshold n:", f(n), "\n")
cat("binom.test p=0.95 greater p.value:", f(pv), "\n")
cat("p.adjust holm:", f(p.adjust(pv, "holm")), "\n")
cat("p.adjust BH:", f(p.adjust(pv, "BH")), "\n")
mm <- length(k)
lb <- function(level) mapply(function(k, n)
  binom.test(k, n, alternative = "greater", conf.level = level)$conf.int[1], k, n)
cat("lower bound 0.95:", f(lb(0.95)), "\n")
cat("lower bound bonferroni 1-0.05/m:", f(lb(1 - 0.05 / mm)), "\n")
cat("lower bound sidak 0.95^(1/m):", f(lb(0.95^(1 / mm))), "\n")
cat("binom.test(90, 100, p = 0.95, alternative = 'greater')$p.value:",
    f(binom.test(90, 100, p = 0.95, alternative = "greater")$p.value), "\n")
cat("binom.test(18, 20, p = 0.8, alternative = 'greater')$p.value:",
    f(binom.test(18, 20, p = 0.8, alternative = "greater")$p.value), "\n")

## 3. Newcombe (1998b) method 10: hybrid score interval for p1 - p2 ----------------------------
# Computed from the published formula with Wilson limits written out, and with Epi::ci.pd
# (method "Nc", which implements Newcombe's method 10).
wilson <- function(x, n, level = 0.95) {
  z <- qnorm(1 - (1 - level) / 2)
  centre <- (x + z^2 / 2) / (n + z^2)
  half <- z / (n + z^2) * sqrt(x * (n - x) / n + z^2 / 4)
  c(centre - half, centre + half)
}
newcombe <- function(x1, n1, x2, n2, level = 0.95) {
  p1 <- x1 / n1; p2 <- x2 / n2; w1 <- wilson(x1, n1, level); w2 <- wilson(x2, n2, level)
  d <- p1 - p2
  c(d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
}
ex <- rbind(c(56, 70, 48, 80), c(9, 10, 3, 10), c(6, 7, 2, 7), c(5, 56, 0, 29),
            c(0, 10, 0, 20), c(0, 10, 0, 10), c(10, 10, 0, 20), c(10, 10, 0, 10),
            c(150, 152, 140, 160), c(1, 1, 0, 1))
for (i in seq_len(nrow(ex))) {
  e <- ex[i, ]
  cat(sprintf("newcombe formula %d/%d - %d/%d: %s\n", e[1], e[2], e[3], e[4], f(newcombe(e[1], e[2], e[3], e[4]))))
  nc <- Epi::ci.pd(e[1], e[3], e[2] - e[1], e[4] - e[3], method = "Nc", print = FALSE)
  cat(sprintf("Epi::ci.pd Nc %d/%d - %d/%d: %s\n", e[1], e[2], e[3], e[4], f(nc[1, 6:7])))
}
cat("newcombe formula 0.90 150/152 - 140/160:", f(newcombe(150, 152, 140, 160, 0.90)), "\n")
# Wald: d -/+ z sqrt(p1 q1 / n1 + p2 q2 / n2)
wald <- function(x1, n1, x2, n2, level = 0.95) {
  p1 <- x1 / n1; p2 <- x2 / n2; z <- qnorm(1 - (1 - level) / 2)
  h <- z * sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2); c(p1 - p2 - h, p1 - p2 + h)
}
cat("wald 56/70 - 48/80:", f(wald(56, 70, 48, 80)), "\n")
cat("wald 9/10 - 3/10:", f(wald(9, 10, 3, 10)), "\n")

## 4. Tests of a group x (satisfied, not satisfied) table ---------------------------------------
tab2 <- matrix(c(18, 2, 11, 9), nrow = 2, byrow = TRUE)      # rows = groups
cat("fisher.test 2x2 [18 2; 11 9] p.value:", f(fisher.test(tab2)$p.value), "\n")
ct <- chisq.test(tab2, correct = FALSE)
cat("chisq.test 2x2 correct=FALSE statistic p.value:", f(c(ct$statistic, ct$p.value)), "\n")
pt <- prop.test(c(18, 11), c(20, 20), correct = FALSE)
cat("prop.test c(18,11) c(20,20) correct=FALSE statistic p.value:", f(c(pt$statistic, pt$p.value)), "\n")
tab3 <- matrix(c(48, 2, 27, 3, 35, 10), nrow = 3, byrow = TRUE)
ct3 <- suppressWarnings(chisq.test(tab3, correct = FALSE))
cat("chisq.test 3x2 [48 2; 27 3; 35 10] statistic df p.value:", f(c(ct3$statistic, ct3$parameter, ct3$p.value)), "\n")
cat("chisq.test 3x2 expected:", f(t(ct3$expected)), "\n")
cat("fisher.test 3x2 [48 2; 27 3; 35 10] p.value:", f(fisher.test(tab3)$p.value), "\n")
tab4 <- matrix(c(90, 10, 85, 15, 70, 30, 95, 5), nrow = 4, byrow = TRUE)
ct4 <- chisq.test(tab4, correct = FALSE)
cat("chisq.test 4x2 [90 10; 85 15; 70 30; 95 5] statistic df p.value:", f(c(ct4$statistic, ct4$parameter, ct4$p.value)), "\n")
cat("fisher.test 4x2 p.value:", f(fisher.test(tab4)$p.value), "\n")
# pairwise Fisher p-values of tab4 (pairs in order 12 13 14 23 24 34) and their Holm adjustment
pairs <- combn(4, 2)
pf <- apply(pairs, 2, function(ij) fisher.test(tab4[ij, ])$p.value)
cat("pairwise fisher.test 4x2 p.value:", f(pf), "\n")
cat("pairwise fisher.test 4x2 holm:", f(p.adjust(pf, "holm")), "\n")
pn <- apply(pairs, 2, function(ij) newcombe(tab4[ij[1], 1], sum(tab4[ij[1], ]), tab4[ij[2], 1], sum(tab4[ij[2], ])))
cat("pairwise newcombe 4x2 low:", f(pn[1, ]), "\n")
cat("pairwise newcombe 4x2 high:", f(pn[2, ]), "\n")
pn_b <- apply(pairs, 2, function(ij) newcombe(tab4[ij[1], 1], sum(tab4[ij[1], ]), tab4[ij[2], 1],
                                             sum(tab4[ij[2], ]), 1 - 0.05 / 6))
cat("pairwise newcombe 4x2 bonferroni level 1-0.05/6 low:", f(pn_b[1, ]), "\n")
cat("pairwise newcombe 4x2 bonferroni level 1-0.05/6 high:", f(pn_b[2, ]), "\n")
# all-satisfied group: fisher is defined
cat("fisher.test [20 0; 15 5] p.value:", f(fisher.test(matrix(c(20, 0, 15, 5), 2, byrow = TRUE))$p.value), "\n")

## 5. p.adjust: Hochberg (1988) step-up and Benjamini-Yekutieli (2001) on p and q of section 1 -----
for (m in c("hochberg", "BY")) cat(sprintf("p.adjust %s: %s\n", m, f(p.adjust(p, method = m))))
for (m in c("hochberg", "BY")) cat(sprintf("p.adjust q %s: %s\n", m, f(p.adjust(q, method = m))))
tied <- c(0.02, 0.02, 0.02, 0.5, 0.5, 0)
cat("tied:", f(tied), "\n")
for (m in c("hochberg", "BY")) cat(sprintf("p.adjust tied %s: %s\n", m, f(p.adjust(tied, method = m))))

## 6. Exact one-sided binomial test of H0: p >= 0.95 against H1: p < 0.95 ------------------------
kl <- c(20, 0, 5, 1, 0, 80, 90, 140, 180, 45, 95, 150, 283)
nl <- c(20, 5, 5, 1, 1, 100, 100, 152, 200, 50, 100, 152, 300)
pvl <- mapply(function(k, n) binom.test(k, n, p = 0.95, alternative = "less")$p.value, kl, nl)
cat("less k:", f(kl), "\n")
cat("less n:", f(nl), "\n")
cat("binom.test p=0.95 less p.value:", f(pvl), "\n")
for (m in c("holm", "BH", "hochberg", "BY")) cat(sprintf("less p.adjust %s: %s\n", m, f(p.adjust(pvl, m))))
ml <- length(kl)
ub <- function(level) mapply(function(k, n)
  binom.test(k, n, alternative = "less", conf.level = level)$conf.int[2], kl, nl)
cat("upper bound 0.95:", f(ub(0.95)), "\n")
cat("upper bound bonferroni 1-0.05/m:", f(ub(1 - 0.05 / ml)), "\n")
cat("upper bound sidak 0.95^(1/m):", f(ub(0.95^(1 / ml))), "\n")
cat("binom.test(15, 20, p = 0.9, alternative = 'less')$p.value:",
    f(binom.test(15, 20, p = 0.9, alternative = "less")$p.value), "\n")
