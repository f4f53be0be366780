# Reference values for survey_analysis.chance (number of items at 100%).
# Run from the repository root:
#   Rscript tests/R/reference_chance.R > tests/R/reference_chance.out 2>&1
# Base R only (Debian has no poibin package): the Poisson-binomial pmf is computed here by
# the same recursion P_i(j) = P_{i-1}(j) (1 - p_i) + P_{i-1}(j - 1) p_i, written in R, and
# checked against dbinom when all p_i are equal.
# Output lines are "label: value1 value2 ..." with 15 significant digits.
options(digits = 15)
cat("R.version.string:", R.version.string, "\n")
f <- function(v) paste(sprintf("%.15g", v), collapse = " ")
out <- function(label, v) cat(label, ": ", f(v), "\n", sep = "")

poibin_dp <- function(p) {
  pmf <- 1
  for (pi in p) pmf <- c(pmf * (1 - pi), 0) + c(0, pmf * pi)
  pmf
}

# (1) Small example: 6 items, fixed true rate 0.9, n = 5, 10, 20, 3, 40, 1 respondents.
n1 <- c(5, 10, 20, 3, 40, 1)
p1 <- 0.9^n1
out("E1 n", n1)
out("E1 p_i = 0.9^n", p1)
out("E1 pmf (R DP)", poibin_dp(p1))
out("E1 mean var", c(sum(p1), sum(p1 * (1 - p1))))

# (2) Equal p_i: 152 items with 30 respondents, true rate 0.95 -> Binomial(152, 0.95^30).
p2 <- 0.95^30
out("E2 p = 0.95^30", p2)
out("E2 dbinom(0:152, 152, 0.95^30)[1:61]", dbinom(0:60, 152, p2))
out("E2 sum(dbinom(11:19, 152, p))", sum(dbinom(11:19, 152, p2)))
out("E2 qbinom(c(0.025, 0.975), 152, p)", qbinom(c(0.025, 0.975), 152, p2))
out("E2 max |DP - dbinom|", max(abs(poibin_dp(rep(p2, 152)) - dbinom(0:152, 152, p2))))

# (3) Beta prior (VGAM betabinomialff fit of dataset D1, tests/R/reference_shrinkage.out):
#     P(item at 100%) = B(alpha + n, beta) / B(alpha, beta); count over the D1 sizes.
a <- 32.9321861176749; b <- 3.28336656659811
n3 <- c(51, 12, 17, 20, 17, 50, 54, 38, 10, 12, 25, 30, 40, 33, 22, 16, 44, 46, 9, 14)
p3 <- exp(lbeta(a + n3, b) - lbeta(a, b))
out("E3 p_i beta prior", p3)
pmf3 <- poibin_dp(p3)
out("E3 pmf (R DP)", pmf3)
out("E3 mean var", c(sum(p3), sum(p3 * (1 - p3))))
out("E3 P(3 <= count <= 6)", sum(pmf3[4:7]))
cdf3 <- cumsum(pmf3)
out("E3 equal-tailed 95% interval (smallest j with cdf >= q)",
    c(which(cdf3 >= 0.025)[1] - 1, which(cdf3 >= 0.975)[1] - 1))

# (4) Heterogeneous fixed rates per item.
n4 <- c(8, 15, 30, 60, 120, 25, 12)
r4 <- c(0.99, 0.97, 0.95, 0.9, 0.98, 0.85, 1)
p4 <- r4^n4
out("E4 p_i", p4)
out("E4 pmf (R DP)", poibin_dp(p4))
