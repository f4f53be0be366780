# Prints the R 'survey' source relevant to svyciprop / svymean(deff=) / variance
# estimation, for reference when porting the formulas to Python.
# Run from the repository root:
#   Rscript tests/R/print_svyciprop_source.R > tests/R/svyciprop_source.txt 2>&1
suppressMessages(library(survey))
options(width = 100)
cat("R.version.string:", R.version.string, "\n")
cat("survey version:", as.character(packageVersion("survey")), "\n")
fns <- c("svyciprop",              # single function (not an S3 generic) in survey 4.1.1
         "svymean.survey.design2", # estimate, linearization variance, deff
         "svyvar.survey.design",   # denominator variance used by deff
         "svyrecvar", "multistage", "onestage", "onestrat",  # with-replacement cluster variance
         "degf.survey.design2",
         "svyglm.survey.design", "svy.varcoef", "vcov.svyglm",  # logit method
         "confint.svyglm", "confint.svystat", "tconfint")
for (fn in fns) {
  cat("\n\n######## survey:::", fn, "\n", sep = "")
  print(get(fn, envir = asNamespace("survey")))
}
cat("\n\n######## stats::prop.test (note YATES <- min(0.5, abs(x - n*p)))\n")
print(stats::prop.test)
