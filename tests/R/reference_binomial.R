# Reference values for binomial confidence intervals.
# Run from the repository root:
#   Rscript tests/R/reference_binomial.R > tests/R/reference_binomial.out 2>&1
# Output lines are "label: value1 value2" with 15 significant digits.
options(digits = 15)
suppressMessages(library(survey))
cat("R.version.string:", R.version.string, "\n")
cat("survey version:", as.character(packageVersion("survey")), "\n")

f <- function(v) paste(sprintf("%.15g", v), collapse = " ")
out <- function(label, v) cat(label, ": ", f(v), "\n", sep = "")

cases <- list(c(81, 263), c(15, 148), c(0, 20), c(1, 29), c(29, 29),
              c(0, 1), c(1, 1), c(5, 10), c(152, 160))

for (cs in cases) {
  x <- cs[1]; n <- cs[2]
  tag <- sprintf("x=%d n=%d", x, n)
  # binom.test(x, n, conf.level=0.95)$conf.int  (Clopper-Pearson, two-sided)
  out(paste("binom.test two.sided 0.95", tag),
      binom.test(x, n, conf.level = 0.95)$conf.int)
  # binom.test(x, n, alternative="greater", conf.level=0.95)$conf.int
  out(paste("binom.test greater 0.95", tag),
      binom.test(x, n, alternative = "greater", conf.level = 0.95)$conf.int)
  # binom.test(x, n, alternative="less", conf.level=0.95)$conf.int
  out(paste("binom.test less 0.95", tag),
      binom.test(x, n, alternative = "less", conf.level = 0.95)$conf.int)
  # prop.test(x, n, correct=FALSE, conf.level=0.95)$conf.int  (Wilson score)
  out(paste("prop.test correct=FALSE 0.95", tag),
      suppressWarnings(prop.test(x, n, correct = FALSE, conf.level = 0.95)$conf.int))
  # prop.test(x, n, correct=TRUE, conf.level=0.95)$conf.int  (Wilson, continuity corrected)
  out(paste("prop.test correct=TRUE 0.95", tag),
      suppressWarnings(prop.test(x, n, correct = TRUE, conf.level = 0.95)$conf.int))
  # qbeta(c(0.025, 0.975), x + 0.5, n - x + 0.5)  (Jeffreys, equal-tailed, no boundary adjustment)
  out(paste("jeffreys qbeta 0.95", tag),
      qbeta(c(0.025, 0.975), x + 0.5, n - x + 0.5))
}

for (cs in list(c(29, 29), c(81, 263))) {
  x <- cs[1]; n <- cs[2]
  tag <- sprintf("x=%d n=%d", x, n)
  # binom.test(x, n, conf.level=0.99)$conf.int
  out(paste("binom.test two.sided 0.99", tag),
      binom.test(x, n, conf.level = 0.99)$conf.int)
}

# NOTE on prop.test(correct=TRUE): R uses YATES <- min(0.5, abs(x - n*p)) with the
# null value p (default 0.5), so for x=5 n=10 the continuity correction is 0 and the
# "corrected" interval equals the plain Wilson interval. The interval itself does not
# otherwise depend on p, so calling it with p=0.3 (|5 - 3| >= 0.5) gives the
# continuity-corrected Wilson (Newcombe) interval with the full 0.5 correction.
# prop.test(5, 10, p=0.3, correct=TRUE, conf.level=0.95)$conf.int
out("prop.test correct=TRUE p=0.3 (full 0.5 correction) 0.95 x=5 n=10",
    suppressWarnings(prop.test(5, 10, p = 0.3, correct = TRUE, conf.level = 0.95)$conf.int))
