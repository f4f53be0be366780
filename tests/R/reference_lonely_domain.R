# Reference values for issue 23: a domain held by one cluster of a stratum that has several
# (options(survey.adjust.domain.lonely = TRUE)), and a lonely stratum outside the domain.
# Run from the repository root:
#   Rscript tests/R/reference_lonely_domain.R > tests/R/reference_lonely_domain.out 2>&1
# Output lines are "label: value(s)", 15 digits.
source("tests/R/common.R")  # 15 digits, survey, the versions, out()

# Satisfied (k) of n answers per cluster and domain, one row per answer.
# Strata: s1 (c1 c2 c3), s2 (c4: a lonely stratum), s3 (c5 c6), s4 (c7 c8 c9).
# Domain X: c1, c2, half of c3 (s1) and c5 (s3: one of its two clusters, lonely in X).
# Domain Y: the other half of c3, c4 (s2), c6 (s3), c7-c9 (s4).
cl  <- c("c1", "c2", "c3", "c3", "c4", "c5", "c6", "c7", "c8", "c9")
st  <- c("s1", "s1", "s1", "s1", "s2", "s3", "s3", "s4", "s4", "s4")
dom <- c("X",  "X",  "X",  "Y",  "Y",  "X",  "Y",  "Y",  "Y",  "Y")
k   <- c(8,    11,   4,    5,    14,   3,    9,    12,   6,    10)
n   <- c(10,   12,   6,    6,    15,   7,    10,   13,   9,    11)
d <- do.call(rbind, lapply(seq_along(k), function(i)
  data.frame(cluster = cl[i], stratum = st[i], domain = dom[i],
             y = as.numeric(seq_len(n[i]) <= k[i]))))
write.csv(d, "tests/data/reference/lonely_domain.csv", row.names = FALSE)
des <- suppressWarnings(svydesign(ids = ~cluster, strata = ~stratum, data = d))
out("degf", degf(des))
for (adjust in c(FALSE, TRUE)) for (rule in c("remove", "certainty", "adjust", "average")) {
  options(survey.lonely.psu = rule, survey.adjust.domain.lonely = adjust)
  label <- sprintf("%s adjust.domain.lonely=%s", rule, adjust)
  b <- suppressWarnings(svyby(~y, ~domain, des, svymean, covmat = TRUE))
  out(paste(label, "svyby coef"), coef(b))
  out(paste(label, "SE(svyby)"), SE(b))
  out(paste(label, "sqrt(diag(vcov(svyby covmat=TRUE)))"), sqrt(diag(vcov(b))))
  mx <- suppressWarnings(svymean(~y, subset(des, domain == "X")))
  out(paste(label, "svymean subset X coef SE"), c(coef(mx), SE(mx)))
}
options(survey.lonely.psu = "fail", survey.adjust.domain.lonely = TRUE)
msg <- tryCatch(withCallingHandlers(SE(svymean(~y, subset(des, domain == "X"))),
                                    warning = function(w) {cat("fail warning:", conditionMessage(w), "\n");
                                                           invokeRestart("muffleWarning")}),
                error = function(e) conditionMessage(e))
cat("fail adjust.domain.lonely=TRUE subset X SE:", f(msg), "\n")
