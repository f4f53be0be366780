# Reference values for survey_analysis.shrinkage (beta-binomial empirical Bayes).
# Run from the repository root:
#   Rscript tests/R/reference_shrinkage.R > tests/R/reference_shrinkage.out 2>&1
# Needs Debian packages r-cran-vgam, r-cran-bbmle, r-cran-emdbook.
# Output lines are "label: value1 value2 ..." with 15 significant digits.
options(digits = 15)
suppressMessages({library(VGAM); library(bbmle); library(emdbook)})
cat("R.version.string:", R.version.string, "\n")
for (p in c("VGAM", "bbmle", "emdbook"))
  cat(p, "version:", as.character(packageVersion(p)), "\n")

f <- function(v) paste(sprintf("%.15g", v), collapse = " ")
out <- function(label, v) cat(label, ": ", f(v), "\n", sep = "")

# Beta-binomial log-likelihood written out (binomial coefficient included):
# sum_i log C(n_i, k_i) + log B(k_i + a, n_i - k_i + b) - log B(a, b).
bb_loglik <- function(a, b, k, n) sum(lchoose(n, k) + lbeta(k + a, n - k + b) - lbeta(a, b))

# ---- Dataset D1: 20 items (drawn once from numpy default_rng(3): n ~ U{8..60},
# p ~ Beta(12, 1.5), k ~ Bin(n, p)); hard-coded, 5 items at 100%.
n <- c(51, 12, 17, 20, 17, 50, 54, 38, 10, 12, 25, 30, 40, 33, 22, 16, 44, 46, 9, 14)
k <- c(48, 10, 17, 19, 17, 40, 52, 35, 8, 12, 23, 27, 37, 25, 18, 13, 43, 42, 9, 14)
out("D1 n", n)
out("D1 k", k)

# (1) VGAM::vglm(cbind(k, n - k) ~ 1, betabinomialff) -- shape1 = alpha, shape2 = beta,
#     Fisher scoring with a tight convergence criterion.
fit_ff <- vglm(cbind(k, n - k) ~ 1, betabinomialff,
               control = vglm.control(epsilon = 1e-13, maxit = 200))
cf <- Coef(fit_ff)
out("D1 VGAM betabinomialff alpha beta", cf)
out("D1 VGAM betabinomialff logLik", as.numeric(logLik(fit_ff)))
out("D1 direct loglik at VGAM betabinomialff estimates", bb_loglik(cf[1], cf[2], k, n))

# (2) VGAM::vglm(cbind(k, n - k) ~ 1, betabinomial) -- (mu, rho) parametrization.
fit_mr <- vglm(cbind(k, n - k) ~ 1, betabinomial,
               control = vglm.control(epsilon = 1e-13, maxit = 200))
cm <- Coef(fit_mr)
out("D1 VGAM betabinomial mu rho", cm)
out("D1 VGAM betabinomial alpha beta from mu rho",
    c(cm[1] * (1 - cm[2]) / cm[2], (1 - cm[1]) * (1 - cm[2]) / cm[2]))
out("D1 VGAM betabinomial logLik", as.numeric(logLik(fit_mr)))

# (3) bbmle::mle2 with emdbook::dbetabinom(k, prob, size, theta): theta = alpha + beta,
#     optimized on (logit prob, log theta) with optim BFGS, tight reltol.
nll <- function(lmu, ltheta) -sum(dbetabinom(k, prob = plogis(lmu), size = n,
                                             theta = exp(ltheta), log = TRUE))
fit_b <- mle2(nll, start = list(lmu = qlogis(sum(k) / sum(n)), ltheta = log(20)),
              method = "BFGS", control = list(reltol = 1e-15, maxit = 1000))
mu_b <- plogis(coef(fit_b)[["lmu"]]); th_b <- exp(coef(fit_b)[["ltheta"]])
out("D1 bbmle alpha beta", c(mu_b * th_b, (1 - mu_b) * th_b))
out("D1 bbmle logLik", as.numeric(logLik(fit_b)))

# Posterior summaries at fixed alpha, beta (the VGAM betabinomialff estimates):
# mean (alpha + k) / (alpha + beta + n), equal-tailed 95% interval from qbeta,
# weight on the data n / (alpha + beta + n).
a <- cf[[1]]; b <- cf[[2]]
out("D1 posterior mean", (a + k) / (a + b + n))
out("D1 qbeta 0.025", qbeta(0.025, a + k, b + n - k))
out("D1 qbeta 0.975", qbeta(0.975, a + k, b + n - k))
out("D1 qbeta 0.05 (90%)", qbeta(0.05, a + k, b + n - k))
out("D1 qbeta 0.95 (90%)", qbeta(0.95, a + k, b + n - k))
out("D1 weight on data", n / (a + b + n))
# Prior predictive probability that an item with n respondents is at 100%:
# B(alpha + n, beta) / B(alpha, beta)  (used by the chance module)
out("D1 prior P(k = n)", exp(lbeta(a + n, b) - lbeta(a, b)))
out("D1 dbetabinom(n, n)", dbetabinom(n, prob = a / (a + b), size = n, theta = a + b))

# ---- Dataset D2 (no overdispersion: rates as alike as binomial noise allows).
# The MLE of theta is infinite; the beta-binomial log-likelihood then tends to the
# binomial one at p = sum(k) / sum(n).
n2 <- c(20, 20, 20, 20, 20, 20, 20, 20, 20, 20)
k2 <- c(19, 19, 18, 19, 19, 18, 19, 19, 19, 18)
out("D2 n", n2)
out("D2 k", k2)
out("D2 pooled p", sum(k2) / sum(n2))
out("D2 binomial logLik at pooled p", sum(dbinom(k2, n2, sum(k2) / sum(n2), log = TRUE)))
# Profile of the beta-binomial log-likelihood in theta (prob fixed at pooled p) increases:
for (th in c(1e2, 1e4, 1e6, 1e7))
  out(sprintf("D2 dbetabinom loglik theta=%g", th),
      sum(dbetabinom(k2, prob = sum(k2) / sum(n2), size = n2, theta = th, log = TRUE)))
