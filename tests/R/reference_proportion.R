# Reference values for issue 24 (any proportion under the design): svyciprop of a 0/1
# column over the whole design and over a domain (subset), and svyby domain means.
# Run from the repository root:
#   Rscript tests/R/reference_proportion.R > tests/R/reference_proportion.out 2>&1
# It writes the data it uses to tests/data/reference/proportion.csv (synthetic: drawn here
# with a fixed seed, no real respondent); output lines are "label: value(s)", 15 digits.
source("tests/R/common.R")  # 15 digits, survey, the versions, out()

# 20 items (clusters) in 2 districts (strata); each answer has a channel (phone / web /
# visit), a respondent group g (a / b) and a cn3 rank (1 满意, 2 基本满意, 3 不满意).
set.seed(20261206)
rows <- list()
for (i in 1:20) {
  n <- sample(5:15, 1)
  web <- plogis(rnorm(1, -0.3, 0.8))
  rows[[i]] <- data.frame(item_id = sprintf("I%02d", i), district = if (i <= 10) "D1" else "D2",
                          channel = ifelse(runif(n) < web, "web", sample(c("phone", "visit"), n, TRUE)),
                          g = sample(c("a", "b"), n, TRUE, prob = c(0.6, 0.4)),
                          rank = sample(1:3, n, TRUE, prob = c(0.6, 0.25, 0.15)))
}
d <- do.call(rbind, rows)
d$w <- round(runif(nrow(d), 0.5, 3), 2)
dir.create("tests/data/reference", showWarnings = FALSE)
write.csv(d, "tests/data/reference/proportion.csv", row.names = FALSE)
out("rows", nrow(d)); out("web", sum(d$channel == "web"))

d$y <- as.numeric(d$channel == "web")
d$sat <- as.numeric(d$rank <= 2)
des <- svydesign(ids = ~item_id, strata = ~district, weights = ~w, data = d)
out("degf", degf(des))

## 1. The whole design: svyciprop(~y) and its SE --------------------------------------------
ci <- svyciprop(~y, des, method = "logit")
out("web svyciprop logit coef SE ci", c(coef(ci), SE(ci), confint(ci)))
ci <- svyciprop(~y, des, method = "beta")
out("web svyciprop beta ci", confint(ci))
ci <- svyciprop(~sat, des, method = "logit")
out("satisfied svyciprop logit coef SE ci", c(coef(ci), SE(ci), confint(ci)))

## 2. A domain: subset(design, g == "a"), and among the dissatisfied -------------------------
# (degf of a subset counts the clusters holding the domain, minus their strata)
ci <- svyciprop(~y, subset(des, g == "a"), method = "logit")
out("web among g=a svyciprop logit coef SE ci", c(coef(ci), SE(ci), confint(ci)))
out("among g=a degf", degf(subset(des, g == "a")))
ci <- svyciprop(~y, subset(des, sat == 0), method = "logit")
out("web among dissatisfied svyciprop logit coef SE ci", c(coef(ci), SE(ci), confint(ci)))
out("among dissatisfied degf", degf(subset(des, sat == 0)))

## 3. By a column: svyby(~y, ~g, design, svymean) --------------------------------------------
b <- svyby(~y, ~g, des, svymean)
out("web by g svyby coef", coef(b)); out("web by g svyby SE", SE(b))
b <- svyby(~y, ~g, subset(des, sat == 1), svymean)
out("web by g among satisfied svyby coef", coef(b)); out("web by g among satisfied svyby SE", SE(b))
