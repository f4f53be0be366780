# Reference values for survey_analysis.funnel (Spiegelhalter 2005 funnel plots).
# Run from the repository root:
#   Rscript tests/R/reference_funnel.R > tests/R/reference_funnel.out 2>&1
# Base R only. Output lines are "label: value1 value2 ..." with 15 significant digits.
options(digits = 15)
cat("R.version.string:", R.version.string, "\n")
f <- function(v) paste(sprintf("%.15g", v), collapse = " ")
out <- function(label, v) cat(label, ": ", f(v), "\n", sep = "")

ns <- c(1, 5, 10, 20, 30, 50, 71, 72, 100, 152, 500)
out("ns", ns)
for (t in c(0.8, 0.95)) {
  for (p in c(0.001, 0.025, 0.975, 0.999)) {
    # qbinom(p, n, t): smallest r with pbinom(r, n, t) >= p
    r <- qbinom(p, ns, t)
    out(sprintf("qbinom(%g, ns, %g)", p, t), r)
    out(sprintf("pbinom(qbinom(%g, ns, %g), ns, %g)", p, t, t), pbinom(r, ns, t))
    # Spiegelhalter (2005, Stat Med 24:1185, Appendix) interpolation, written literally:
    # a = (F(r_p) - p) / (F(r_p) - F(r_p - 1)); limit = (r_p - a) / n, then clipped to [0, 1]
    a <- (pbinom(r, ns, t) - p) / (pbinom(r, ns, t) - pbinom(r - 1, ns, t))
    out(sprintf("interpolated limit p=%g target=%g", p, t), pmin(pmax((r - a) / ns, 0), 1))
  }
  for (lev in c(0.95, 0.998)) {
    z <- qnorm(1 - (1 - lev) / 2)
    se <- sqrt(t * (1 - t) / ns)
    out(sprintf("normal lower level=%g target=%g", lev, t), pmax(t - z * se, 0))
    out(sprintf("normal upper level=%g target=%g", lev, t), pmin(t + z * se, 1))
  }
}

# ---- Over-dispersion on dataset D1 (same 20 items as tests/R/reference_shrinkage.R).
n <- c(51, 12, 17, 20, 17, 50, 54, 38, 10, 12, 25, 30, 40, 33, 22, 16, 44, 46, 9, 14)
k <- c(48, 10, 17, 19, 17, 40, 52, 35, 8, 12, 23, 27, 37, 25, 18, 13, 43, 42, 9, 14)
od <- function(t, label, df) {
  s2 <- t * (1 - t) / n
  z <- (k / n - t) / sqrt(s2)
  # Spiegelhalter (2005, QSHC 14:347): Winsorize z at the 10% and 90% points
  # (R quantile type 7 = default), phi = mean(zw^2),
  # tau2 = max(0, (I phi - (I - 1)) / (sum w - sum w^2 / sum w)), w = 1 / s2
  qz <- quantile(z, c(0.1, 0.9), type = 7, names = FALSE)
  zw <- pmin(pmax(z, qz[1]), qz[2])
  I <- length(z)
  phi <- mean(zw^2)
  w <- 1 / s2
  tau2 <- max(0, (I * phi - (I - 1)) / (sum(w) - sum(w^2) / sum(w)))
  out(paste(label, "target"), t)
  out(paste(label, "z"), z)
  out(paste(label, "winsor quantiles"), qz)
  out(paste(label, "phi tau2"), c(phi, tau2))
  out(paste(label, "statistic df p"), c(I * phi, df, pchisq(I * phi, df, lower.tail = FALSE)))
  grid <- c(10, 50, 200)
  for (lev in c(0.95, 0.998)) {
    zc <- qnorm(1 - (1 - lev) / 2)
    out(sprintf("%s additive limits level=%g n=10,50,200 lower", label, lev),
        pmax(t - zc * sqrt(t * (1 - t) / grid + tau2), 0))
    out(sprintf("%s additive limits level=%g n=10,50,200 upper", label, lev),
        pmin(t + zc * sqrt(t * (1 - t) / grid + tau2), 1))
    out(sprintf("%s multiplicative limits level=%g n=10,50,200 lower", label, lev),
        pmax(t - zc * sqrt(max(phi, 1) * t * (1 - t) / grid), 0))
    out(sprintf("%s multiplicative limits level=%g n=10,50,200 upper", label, lev),
        pmin(t + zc * sqrt(max(phi, 1) * t * (1 - t) / grid), 1))
  }
  out(paste(label, "additive z"), (k / n - t) / sqrt(s2 + tau2))
}
od(sum(k) / sum(n), "D1 pooled", length(n) - 1)
od(0.95, "D1 target=0.95", length(n))

# Exact one-sided binomial tail probabilities per item at target 0.95:
# P(R >= k) = pbinom(k - 1, n, 0.95, lower.tail = FALSE), P(R <= k) = pbinom(k, n, 0.95)
out("D1 p_above target=0.95", pbinom(k - 1, n, 0.95, lower.tail = FALSE))
out("D1 p_below target=0.95", pbinom(k, n, 0.95))
# binom.test one-sided p-values agree: binom.test(k, n, 0.95, alternative = "greater")$p.value
out("D1 binom.test greater p", sapply(seq_along(n), function(i)
  binom.test(k[i], n[i], 0.95, alternative = "greater")$p.value))
out("D1 binom.test less p", sapply(seq_along(n), function(i)
  binom.test(k[i], n[i], 0.95, alternative = "less")$p.value))

# The 100% item trap: upper 97.5% point r_p = n (so the interpolated limit is < 1) for
# every n with pbinom(n - 1, n, 0.95) < 0.975, i.e. n < log(0.025) / log(0.95):
out("log(0.025)/log(0.95)", log(0.025) / log(0.95))
out("0.95^20 = P(20 of 20 | 0.95)", dbinom(20, 20, 0.95))
