# Reference values for design-based (clustered) proportion estimates with the
# R 'survey' package.
# Run from the repository root:
#   Rscript tests/R/reference_svyciprop.R > tests/R/reference_svyciprop.out 2>&1
# Output lines are "label: value(s)" with 15 significant digits.
source("tests/R/common.R")  # 15 digits, survey, the versions, out()

# Expand per-cluster counts (k successes out of n) into rows: y = 1 for the
# first k rows of each cluster, 0 for the rest.  'idx' is the 0-based row
# index within the cluster.
expand <- function(k, n, names = paste0("c", seq_along(k))) {
  do.call(rbind, lapply(seq_along(k), function(i) {
    data.frame(cluster = names[i],
               idx = 0:(n[i] - 1),
               y = as.numeric(seq_len(n[i]) <= k[i]))
  }))
}

kA <- c(18, 25, 9, 40, 7, 28, 14, 50); nA <- c(20, 25, 12, 42, 7, 31, 15, 55)
dA <- expand(kA, nA); dA$w <- 1
dB <- expand(c(5, 10, 3, 19, 8), c(5, 10, 3, 20, 8)); dB$w <- 1
dC <- expand(c(30, 12, 45, 2), c(40, 20, 50, 10)); dC$w <- 1
dW <- expand(kA, nA); dW$w <- 1 + (dW$idx %% 3)      # weights 1,2,3,1,2,3,... per cluster
dS <- dA; dS$stratum <- ifelse(dS$cluster %in% paste0("c", 1:4), "s1", "s2")

designs <- list(
  A = quote(svydesign(ids = ~cluster, data = dA, weights = ~w)),
  B = quote(svydesign(ids = ~cluster, data = dB, weights = ~w)),
  C = quote(svydesign(ids = ~cluster, data = dC, weights = ~w)),
  W = quote(svydesign(ids = ~cluster, data = dW, weights = ~w)),
  S = quote(svydesign(ids = ~cluster, strata = ~stratum, data = dS, weights = ~w)),
  A_SRS = quote(svydesign(ids = ~1, data = dA))
)

for (nm in names(designs)) {
  cat("\n### dataset ", nm, "\n", sep = "")
  cat("# des <- ", deparse(designs[[nm]]), "\n", sep = "")
  des <- withCallingHandlers(eval(designs[[nm]]), warning = function(w) {
    cat("# warning: ", conditionMessage(w), "\n", sep = ""); invokeRestart("muffleWarning")
  })
  d <- des$variables
  P <- function(lab, v) out(paste0(nm, " ", lab), v)

  P("nrow(des)", nrow(des))
  P("sum(weights(des))", sum(weights(des)))
  P("sum(y*w) sum(w)", c(sum(d$y * weights(des)), sum(weights(des))))
  P("degf(des)", degf(des))

  # svymean(~y, des, deff=TRUE)  [default deff: SRS-without-replacement denominator, N = sum(w)]
  m <- withCallingHandlers(svymean(~y, des, deff = TRUE), warning = function(w) {
    cat("# warning: ", conditionMessage(w), "\n", sep = ""); invokeRestart("muffleWarning")
  })
  P("svymean(~y, des, deff=TRUE) coef", coef(m))
  P("svymean(~y, des, deff=TRUE) SE", SE(m))
  P("svymean(~y, des, deff=TRUE) vcov", vcov(m))
  P("svymean(~y, des, deff=TRUE) deff", deff(m))
  # svymean(~y, des, deff="replace")  [SRS-with-replacement denominator: svyvar(y)/n]
  mr <- svymean(~y, des, deff = "replace")
  P("svymean(~y, des, deff=\"replace\") deff", deff(mr))
  # svyvar(~y, des)  (weighted variance with n/(n-1) factor)
  P("svyvar(~y, des)", coef(svyvar(~y, des)))

  for (lev in c(0.95, 0.90)) {
    # svyciprop(~y, des, method="logit", level=lev)
    cl <- suppressWarnings(svyciprop(~y, des, method = "logit", level = lev))
    P(sprintf("svyciprop(~y, des, method=\"logit\", level=%.2f) est ci", lev),
      c(coef(cl), attr(cl, "ci")))
  }
  for (lev in c(0.95, 0.90)) {
    # svyciprop(~y, des, method="beta", level=lev)
    cb <- svyciprop(~y, des, method = "beta", level = lev)
    P(sprintf("svyciprop(~y, des, method=\"beta\", level=%.2f) est ci", lev),
      c(coef(cb), attr(cb, "ci")))
  }
  # svyciprop(~y, des, method="mean", level=0.95)
  cm <- svyciprop(~y, des, method = "mean", level = 0.95)
  P("svyciprop(~y, des, method=\"mean\", level=0.95) est ci", c(coef(cm), attr(cm, "ci")))

  # --- intermediate quantities (manual reconstruction of the formulas) ---
  p <- coef(m)[[1]]; v <- vcov(m)[[1]]; df <- degf(des); n <- nrow(des)
  w <- weights(des); W <- sum(w)
  # with-replacement linearization variance of the ratio mean:
  #   z_i = w_i (y_i - p) / W ; cluster totals z_hc ;
  #   v = sum_h n_h/(n_h-1) * sum_c (z_hc - mean_c z_hc)^2
  z <- w * (d$y - p) / W
  clus <- if (is.null(d$cluster) || nm == "A_SRS") seq_len(n) else d$cluster
  strat <- if (is.null(d$stratum)) rep("all", n) else d$stratum
  zc <- tapply(z, clus, sum); sc <- tapply(strat, clus, function(s) s[1])
  vman <- sum(sapply(split(zc, sc), function(t) length(t) / (length(t) - 1) * sum((t - mean(t))^2)))
  P("manual vcov sum_h n_h/(n_h-1) sum_c (z_hc - zbar_h)^2", vman)
  # svyvar: n/(n-1) * sum(w (y-p)^2) / sum(w)
  P("manual svyvar n/(n-1)*sum(w(y-p)^2)/sum(w)", n / (n - 1) * sum(w * (d$y - p)^2) / W)
  # deff=TRUE (default): v / (svyvar * (W - n)/(W * n))   (Inf when W == n)
  # deff="replace":      v / (svyvar / n)
  sv <- n / (n - 1) * sum(w * (d$y - p)^2) / W
  P("manual deff default v/(svyvar*(W-n)/(W*n)) ; replace v/(svyvar/n)",
    c(v / (sv * (W - n) / (W * n)), v / (sv / n)))
  for (lev in c(0.95, 0.90)) {
    alpha <- 1 - lev
    neff0 <- p * (1 - p) / v
    adj <- (qt(alpha / 2, n - 1) / qt(alpha / 2, df))^2
    neff <- neff0 * adj
    P(sprintf("beta level=%.2f n.eff_raw=p(1-p)/var n.eff_adj ((qt(a/2,n-1)/qt(a/2,degf))^2)", lev),
      c(neff0, neff, adj))
    P(sprintf("beta level=%.2f manual ci", lev),
      c(qbeta(alpha / 2, neff * p, neff * (1 - p) + 1),
        qbeta(1 - alpha / 2, neff * p + 1, neff * (1 - p))))
    # logit: eta = qlogis(p); se_eta from svyglm sandwich; t quantile with df = degf(des)
    g <- suppressWarnings(svyglm(y ~ 1, des, family = quasibinomial))
    se_eta <- sqrt(vcov(g)[1, 1])
    tq <- qt(1 - alpha / 2, df)
    P(sprintf("logit level=%.2f eta se_eta(svyglm) sqrt(var)/(p(1-p)) qt(1-a/2,degf)", lev),
      c(coef(g)[[1]], se_eta, sqrt(v) / (p * (1 - p)), tq))
    P(sprintf("logit level=%.2f manual ci plogis(eta -/+ qt*se_eta)", lev),
      plogis(coef(g)[[1]] + c(-1, 1) * tq * se_eta))
    # same formula using the exact (closed-form) p and delta-method se, without glm
    # iteration error: se_eta = sqrt(v)/(p(1-p))
    P(sprintf("logit level=%.2f exact ci plogis(qlogis(p) -/+ qt*sqrt(v)/(p(1-p)))", lev),
      plogis(qlogis(p) + c(-1, 1) * tq * sqrt(v) / (p * (1 - p))))
  }
}
