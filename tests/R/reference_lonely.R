# Reference values for strata with a single cluster ("lonely PSU"), every R option.
# Run from the repository root:
#   Rscript tests/R/reference_lonely.R > tests/R/reference_lonely.out 2>&1
# Output lines are "label: value(s)" with 15 significant digits.
source("tests/R/common.R")  # 15 digits, survey, the versions, out()

# Satisfied (k) of n answers per cluster, expanded to one row per answer.
expand <- function(k, n, cluster, stratum) {
  do.call(rbind, lapply(seq_along(k), function(i) {
    data.frame(cluster = cluster[i], stratum = stratum[i],
               y = as.numeric(seq_len(n[i]) <= k[i]))
  }))
}
# Strata s1 (3 clusters), s2 (1 cluster: lonely), s3 (2 clusters), s4 (1 cluster: lonely).
k <- c(18, 25, 9, 40, 7, 28, 14)
n <- c(20, 25, 12, 42, 9, 31, 15)
cl <- paste0("c", 1:7)
st <- c("s1", "s1", "s1", "s2", "s3", "s3", "s4")
d <- expand(k, n, cl, st)
des <- suppressWarnings(svydesign(ids = ~cluster, strata = ~stratum, data = d))  # equal probabilities
out("degf", degf(des))
for (opt in c("remove", "certainty", "adjust", "average")) {
  options(survey.lonely.psu = opt)
  m <- svymean(~y, des)
  out(sprintf("%s svymean coef SE", opt), c(coef(m), SE(m)))
  for (method in c("logit", "beta")) {
    ci <- svyciprop(~y, des, method = method, level = 0.95)
    out(sprintf("%s svyciprop %s est ci", opt, method), c(coef(ci), attr(ci, "ci")))
  }
}
options(survey.lonely.psu = "fail")
msg <- tryCatch({svymean(~y, des); "no error"}, error = function(e) conditionMessage(e))
cat("fail message:", msg, "\n")
