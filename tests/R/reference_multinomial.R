# Reference values for survey_analysis/multinomial.py.
# Run from the repository root:
#   Rscript tests/R/reference_multinomial.R > tests/R/reference_multinomial.out 2>&1
# Base R only. DescTools and MultinomialCI are not packaged for Debian, so:
#   * Goodman (1965) and Quesenberry-Hurst (1964) are computed from their published formula
#     with qchisq (the formula of DescTools::MultinomCI methods "goodman" and "qh"); Goodman
#     is also checked against prop.test(correct = FALSE) at level 1 - alpha/k (R's Wilson).
#   * Sison-Glaz (1995) is computed from the paper's formulas (Levin 1981 representation,
#     Edgeworth expansion, c and gamma as in May & Johnson 2000), written out below; its
#     approximation nu(c) is compared with the exact multinomial box probability from
#     dmultinom for a small sample.
# Output lines are "label: values" with 15 significant digits (lower bounds, then upper).
options(digits = 15)
cat("R.version.string:", R.version.string, "\n")
f <- function(v) paste(sprintf("%.15g", v), collapse = " ")
out <- function(label, v) cat(label, ": ", f(v), "\n", sep = "")

score_bounds <- function(x, q) {
  n <- sum(x)
  root <- sqrt(q * (q + 4 * x * (n - x) / n))
  list(low = pmax(0, (q + 2 * x - root) / (2 * (n + q))),
       high = pmin(1, (q + 2 * x + root) / (2 * (n + q))))
}
goodman <- function(x, level) score_bounds(x, qchisq(1 - (1 - level) / length(x), df = 1))
qh <- function(x, level) score_bounds(x, qchisq(level, df = length(x) - 1))

# Sison & Glaz: nu(c) by Levin's representation with truncated Poisson moments.
moments <- function(lambda, c) {
  a <- lambda + c; b <- max(lambda - c, 0)
  inside <- ppois(a, lambda) - ppois(b - 1, lambda)
  fm <- sapply(1:4, function(r) lambda^r * (ppois(a - r, lambda) - ppois(b - r - 1, lambda)) / inside)
  m1 <- fm[1]
  v <- fm[2] + m1 - m1^2
  m3 <- fm[3] + fm[2] * (3 - 3 * m1) + m1 - 3 * m1^2 + 2 * m1^3
  m4 <- fm[4] + fm[3] * (6 - 4 * m1) + fm[2] * (7 - 12 * m1 + 6 * m1^2) + m1 - 4 * m1^2 +
    6 * m1^3 - 3 * m1^4
  c(m1, v, m3, m4 - 3 * v^2, inside)
}
nu <- function(x, c) {
  n <- sum(x)
  if (c >= n) return(1)  # the box holds every outcome
  m <- sapply(x, moments, c = c)
  s <- rowSums(m[1:4, , drop = FALSE])
  z <- (n - s[1]) / sqrt(s[2]); g1 <- s[3] / s[2]^1.5; g2 <- s[4] / s[2]^2
  poly <- 1 + g1 * (z^3 - 3 * z) / 6 + g2 * (z^4 - 6 * z^2 + 3) / 24 +
    g1^2 * (z^6 - 15 * z^4 + 45 * z^2 - 15) / 72
  prod(m[5, ]) * poly * dnorm(z) / sqrt(s[2]) / dpois(n, n)
}
sison_glaz <- function(x, level) {
  n <- sum(x); old <- 0
  for (cc in 1:n) {
    new <- nu(x, cc)
    if (new > level && old < level) break
    old <- new
  }
  gamma <- (level - old) / (new - old); c0 <- cc - 1; p <- x / n
  list(low = pmax(0, p - c0 / n), high = pmin(1, p + c0 / n + 2 * gamma / n), c = c0, gamma = gamma)
}

data <- list(
  sg_example = c(56, 72, 73, 59, 62, 87, 58),     # Sison & Glaz (1995) example
  goodman_example = c(91, 49, 37, 43),            # Goodman (1965) example
  three = c(120, 25, 5),
  skewed = c(45, 4, 1),
  all_top = c(10, 0, 0),
  five = c(30, 50, 12, 5, 3),
  small = c(12, 6, 2)
)
for (nm in names(data)) {
  x <- data[[nm]]
  for (level in c(0.95, 0.9)) {
    g <- goodman(x, level); h <- qh(x, level); s <- sison_glaz(x, level)
    out(sprintf("goodman %s %g", nm, level), c(g$low, g$high))
    out(sprintf("quesenberry_hurst %s %g", nm, level), c(h$low, h$high))
    out(sprintf("sison_glaz %s %g", nm, level), c(s$low, s$high))
    out(sprintf("sison_glaz c gamma %s %g", nm, level), c(s$c, s$gamma))
    k <- length(x)
    w <- sapply(x, function(xi) suppressWarnings(
      prop.test(xi, sum(x), conf.level = 1 - (1 - level) / k, correct = FALSE)$conf.int))
    out(sprintf("prop.test at 1-alpha/k max abs diff from goodman %s %g", nm, level),
        max(abs(c(w[1, ], w[2, ]) - c(g$low, g$high))))
  }
}

# Exact box probability P(|X_i - x_i| <= c for all i), X ~ Multinomial(20, (12, 6, 2)/20),
# by enumerating dmultinom, next to the Edgeworth approximation nu(c).
x <- c(12, 6, 2); n <- sum(x); p <- x / n
grid <- expand.grid(a = 0:n, b = 0:n); grid <- grid[grid$a + grid$b <= n, ]
grid$c3 <- n - grid$a - grid$b
prob <- apply(grid, 1, function(r) dmultinom(r, prob = p))
for (cc in 1:8) {
  inbox <- abs(grid$a - x[1]) <= cc & abs(grid$b - x[2]) <= cc & abs(grid$c3 - x[3]) <= cc
  out(sprintf("box probability exact, edgeworth c=%d x=12,6,2", cc), c(sum(prob[inbox]), nu(x, cc)))
}
