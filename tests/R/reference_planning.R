# Reference values for survey_analysis/planning.py.
# Run from the repository root:
#   Rscript tests/R/reference_planning.R > tests/R/reference_planning.out 2>&1
# Needs R (>= 4.2) and the Debian package r-cran-pwr (only for the arcsine approximation).
# Output lines are "label: value(s)" with 15 significant digits.
options(digits = 15)
suppressMessages(library(pwr))
cat("R.version.string:", R.version.string, "\n")
cat("pwr version:", as.character(packageVersion("pwr")), "\n")
f <- function(v) paste(sprintf("%.15g", v), collapse = " ")
out <- function(label, v) cat(label, ": ", f(v), "\n", sep = "")
z <- qnorm(0.975)

## 1. Wald sample size, textbook closed form n = ceiling(z^2 p (1 - p) / h^2).
for (ph in list(c(0.5, 0.05), c(0.9, 0.03), c(0.95, 0.03), c(0.98, 0.02))) {
  p <- ph[1]; h <- ph[2]
  out(sprintf("wald n p=%g h=%g", p, h), ceiling(z^2 * p * (1 - p) / h^2))
}

## 2. Wilson half-width at p_hat = p. The half-width formula is checked against
##    prop.test(correct = FALSE) (R's Wilson score interval) where n p is an integer,
##    then n is found by scanning n = 1, 2, ... (not by the closed-form root Python uses).
wilson_hw <- function(n, p) z / (n + z^2) * sqrt(n * p * (1 - p) + z^2 / 4)
for (nk in list(c(400, 360), c(200, 190), c(50, 50), c(7, 3))) {
  n <- nk[1]; k <- nk[2]
  ci <- suppressWarnings(prop.test(k, n, correct = FALSE)$conf.int)
  out(sprintf("wilson half-width prop.test k=%d n=%d", k, n), c(diff(ci) / 2, wilson_hw(n, k / n)))
}
for (ph in list(c(0.5, 0.05), c(0.9, 0.03), c(0.95, 0.03), c(0.98, 0.02), c(1, 0.05))) {
  p <- ph[1]; h <- ph[2]
  n <- 1; while (wilson_hw(n, p) > h) n <- n + 1
  out(sprintf("wilson n p=%g h=%g", p, h), n)
}

## 3. Clopper-Pearson: first n with half the width of binom.test(k, n)$conf.int <= h,
##    k = floor(n p + 1/2).
for (ph in list(c(0.5, 0.05), c(0.9, 0.03), c(0.95, 0.03), c(0.98, 0.02), c(1, 0.05))) {
  p <- ph[1]; h <- ph[2]
  hw <- function(n) diff(binom.test(floor(n * p + 0.5), n)$conf.int) / 2
  n <- 1; while (hw(n) > h) n <- n + 1
  out(sprintf("clopper_pearson n p=%g h=%g", p, h), c(n, hw(n), hw(n - 1)))
}

## 4. Exact power of the one-sided lower bound > p0 at level 0.95.
##    Clopper-Pearson: the rejection region of binom.test(k, n, p0, alternative = "greater")
##    (p-value <= 0.05); its p-value is pbinom(k - 1, n, p0, lower.tail = FALSE), checked
##    against binom.test itself at the critical counts. Wilson: the smallest k with
##    prop.test(k, n, p0, alternative = "greater", correct = FALSE)$conf.int[1] > p0.
##    power = sum(dbinom(crit:n, n, p1)).
crit_cp <- function(n, p0) {
  k <- 0:n
  pv <- pbinom(k - 1, n, p0, lower.tail = FALSE)
  if (any(pv <= 0.05)) min(k[pv <= 0.05]) else n + 1
}
crit_wilson <- function(n, p0) {
  for (k in floor(n * p0):n) {
    if (suppressWarnings(prop.test(k, n, p0, alternative = "greater",
                                   correct = FALSE)$conf.int[1]) > p0) return(k)
  }
  n + 1
}
power_at <- function(n, p1, crit) if (crit > n) 0 else sum(dbinom(crit:n, n, p1))
check_cp <- function(n, p0, k) {  # binom.test agrees with the pbinom rejection region
  ok_in <- k > n || binom.test(k, n, p0, alternative = "greater")$p.value <= 0.05
  ok_out <- k == 0 || binom.test(k - 1, n, p0, alternative = "greater")$p.value > 0.05
  ok_in && ok_out
}
search <- function(p1, p0, target, crit_fun, nmax) {
  pw <- sapply(1:nmax, function(n) power_at(n, p1, crit_fun(n, p0)))
  first <- which(pw >= target)[1]
  window <- pw[1:(2 * first)] >= target
  stable <- if (all(window)) 1 else max(which(!window)) + 1
  list(first = first, stable = stable, power = pw)
}
cases <- list(c(0.98, 0.95, 0.8), c(0.97, 0.90, 0.8), c(0.90, 0.80, 0.8), c(1.0, 0.95, 0.99),
              c(0.99, 0.95, 0.9))
for (cs in cases) {
  p1 <- cs[1]; p0 <- cs[2]; target <- cs[3]
  for (m in c("clopper_pearson", "wilson")) {
    crit_fun <- if (m == "clopper_pearson") crit_cp else crit_wilson
    res <- search(p1, p0, target, crit_fun, nmax = 700)
    tag <- sprintf("%s p1=%g p0=%g power=%g", m, p1, p0, target)
    out(paste("first n", tag), res$first)
    out(paste("stable n", tag), res$stable)
    out(paste("power at first-1, first", tag), res$power[c(res$first - 1, res$first)])
    if (m == "clopper_pearson") {
      ok <- all(sapply(1:(2 * res$first), function(n) check_cp(n, p0, crit_cp(n, p0))))
      cat("binom.test agrees with the rejection region for n = 1..", 2 * res$first, ": ",
          ok, "\n", sep = "")
    }
  }
}
for (n in c(20, 59, 100, 200, 234, 238, 286, 500)) {
  out(sprintf("clopper_pearson power n=%d p1=0.98 p0=0.95", n), power_at(n, 0.98, crit_cp(n, 0.95)))
  out(sprintf("wilson power n=%d p1=0.98 p0=0.95", n), power_at(n, 0.98, crit_wilson(n, 0.95)))
}

## 5. Arcsine normal approximation (Cohen 1988): pwr.p.test, one-sided.
for (cs in cases[c(1, 2, 3, 5)]) {
  p1 <- cs[1]; p0 <- cs[2]; target <- cs[3]
  res <- pwr.p.test(h = ES.h(p1, p0), sig.level = 0.05, power = target, alternative = "greater")
  out(sprintf("pwr.p.test n p1=%g p0=%g power=%g", p1, p0, target), res$n)
}

## 6. n of n satisfied: smallest n with 0.05^(1/n) > p0.
for (p0 in c(0.5, 0.8, 0.9, 0.95, 0.99)) {
  n <- 1; while (!(0.05^(1 / n) > p0)) n <- n + 1
  out(sprintf("all satisfied n p0=%g", p0), c(n, 0.05^(1 / n), 0.05^(1 / (n - 1))))
}
