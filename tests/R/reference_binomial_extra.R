# Reference values for the mid-p and continuity-corrected Wilson intervals and for tiny alpha.
# Run: Rscript tests/R/reference_binomial_extra.R > tests/R/reference_binomial_extra.out
# Base R has no mid-p interval (R package binom is not in Debian), so it is computed from its
# definition (Newcombe 1998a, method 6) with uniroot at tight tolerance:
#   lower L: P(X > x | L) + P(X = x | L)/2 = alpha/2;  upper U: P(X < x | U) + P(X = x | U)/2 = alpha/2
options(digits = 15)
cat("R.version.string:", R.version.string, "\n")
midp <- function(x, n, conf.level = 0.95) {
  a <- (1 - conf.level) / 2
  f_low <- function(p) pbinom(x, n, p, lower.tail = FALSE) + dbinom(x, n, p) / 2 - a
  f_up <- function(p) pbinom(x - 1, n, p) + dbinom(x, n, p) / 2 - a
  lo <- if (x == 0) 0 else uniroot(f_low, c(0, 1), tol = 1e-15)$root
  up <- if (x == n) 1 else uniroot(f_up, c(0, 1), tol = 1e-15)$root
  c(lo, up)
}
for (xn in list(c(81, 263), c(15, 148), c(0, 20), c(1, 29), c(29, 29), c(5, 10), c(152, 160))) {
  x <- xn[1]; n <- xn[2]
  cat(sprintf("midp 0.95 x=%d n=%d: %.15g %.15g\n", x, n, midp(x, n)[1], midp(x, n)[2]))
}
# Tiny alpha (statsmodels issues #9549/#9141): Clopper-Pearson via binom.test at conf.level 1 - 1e-7.
for (xn in list(c(498, 499), c(499, 500), c(999, 1000), c(250, 500), c(1, 1000))) {
  x <- xn[1]; n <- xn[2]
  ci <- binom.test(x, n, conf.level = 1 - 1e-7)$conf.int
  cat(sprintf("binom.test conf.level=1-1e-7 x=%d n=%d: %.15g %.15g\n", x, n, ci[1], ci[2]))
}
