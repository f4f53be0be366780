# What every design reference script starts with (sourced from the repository root):
# 15 digits, the survey package, the versions printed first, and out("label", values)
# writing one "label: value(s)" line with 15 significant digits.
options(digits = 15)
suppressMessages(library(survey))
cat("R.version.string:", R.version.string, "\n")
cat("survey version:", as.character(packageVersion("survey")), "\n")
f <- function(v) paste(sprintf("%.15g", as.numeric(v)), collapse = " ")
out <- function(label, v) cat(label, ": ", f(v), "\n", sep = "")
