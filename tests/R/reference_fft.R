# Reference values for tests/test_real_data.py: the bundled NHS Friends and Family Test file
# (data/real/nhs_fft/fft_respondents.csv). Run from the repository root:
#   Rscript tests/R/reference_fft.R > tests/R/reference_fft.out
# R 4.2.2, survey 4.1.1.
suppressMessages(library(survey))
options(digits = 15)
cat("R.version.string:", R.version.string, "\n")
cat("survey version:", as.character(packageVersion("survey")), "\n")
d <- read.csv("data/real/nhs_fft/fft_respondents.csv", colClasses = "character",
              encoding = "UTF-8")
d <- d[d$fft_code %in% c("1", "2", "3", "4", "5"), ]   # 6 = don't know, 7 = undocumented
d$unit <- apply(d[, c("trust", "service_type_1", "service_type_2")], 1,
                function(r) paste(r[r != ""], collapse = " / "))
d$sat <- as.numeric(d$fft_code %in% c("1", "2"))
d$top <- as.numeric(d$fft_code == "1")
cat("answers", nrow(d), "units", length(unique(d$unit)), "range", range(table(d$unit)), "\n")

des <- suppressWarnings(svydesign(ids = ~unit, data = d))   # equal probabilities
p <- svyciprop(~sat, des, method = "logit")
cat("pooled", coef(p), confint(p), "\n")
m <- svymean(~sat, des)
cat("design effect", SE(m)^2 / (coef(m) * (1 - coef(m)) / (nrow(d) - 1)), "\n")
cat("naive wilson", prop.test(sum(d$sat), nrow(d), correct = FALSE)$conf.int, "\n")
t <- svyciprop(~top, des, method = "logit")
cat("top box", coef(t), confint(t), "\n")

for (trust in c("NEAS", "NHFT")) {
  s <- d[d$trust == trust, ]
  cat(trust, "n", nrow(s), "satisfied", sum(s$sat),
      "wilson", prop.test(sum(s$sat), nrow(s), correct = FALSE)$conf.int, "\n")
  q <- svyciprop(~sat, suppressWarnings(svydesign(ids = ~unit, data = s)), method = "logit")
  cat(trust, "units as clusters", coef(q), confint(q), "\n")
}
cat("binom 22 of 22", binom.test(22, 22, alternative = "greater")$conf.int[1], "\n")
cat("binom 13 of 13", binom.test(13, 13, alternative = "greater")$conf.int[1], "\n")

n <- as.vector(table(d$unit)); k <- as.vector(tapply(d$sat, d$unit, sum))
nll <- function(p) -sum(lchoose(n, k) + lbeta(k + exp(p[1]), n - k + exp(p[2])) -
                         lbeta(exp(p[1]), exp(p[2])))
fit <- optim(c(log(5), 0), nll, method = "BFGS", control = list(reltol = 1e-15))
a <- exp(fit$par[1]); b <- exp(fit$par[2])
p100 <- exp(lbeta(a + n, b) - lbeta(a, b))
pmf <- 1
for (q in p100) pmf <- c(pmf * (1 - q), 0) + c(0, pmf * q)
cdf <- cumsum(pmf)
cat("beta-binomial", a, b, "expected at 100%", sum(p100),
    "95% range", which(cdf >= 0.025)[1] - 1, which(cdf >= 0.975)[1] - 1,
    "P(>= 6)", sum(pmf[7:length(pmf)]), "\n")
