#!/usr/bin/env Rscript
# psych-reference.R — the reference figures of instrument health, from R's
# psych package (Revelle), for scoring's TestInstrumentHealthMatchesPsych.
#
# Usage (Debian: apt-get install r-cran-psych; psych.csv was made with
# R 4.2.2 and psych 2.2.9):
#   Rscript scripts/psych-reference.R scoring/testdata/health/answers.csv \
#     > scoring/testdata/health/psych.csv
#
# answers.csv: one row per respondent, one column per item named
# competence.item, values 1-5, 0 for "ved ikke", empty for no answer.
# For each competence, alpha and each item's r.drop (item against the sum
# of the other items) come from psych::alpha over the respondents who
# answered every item of the competence on the scale; an item's mean and
# sd over those who answered it on the scale; its "ved ikke" share over
# those who answered it at all.
suppressPackageStartupMessages(library(psych))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], check.names = FALSE, na.strings = "")
items <- setdiff(names(d), "person")
competences <- unique(sub("\\..*$", "", items))
out <- data.frame()
for (comp in competences) {
  cols <- items[startsWith(items, paste0(comp, "."))]
  x <- d[, cols]
  scale <- as.data.frame(lapply(x, function(v) ifelse(v >= 1 & v <= 5, v, NA)))
  names(scale) <- cols
  complete <- scale[complete.cases(scale), ]
  a <- psych::alpha(complete, check.keys = FALSE, warnings = FALSE)
  for (it in cols) {
    v <- x[[it]]
    answered <- v[!is.na(v)]
    on_scale <- answered[answered >= 1]
    out <- rbind(out, data.frame(
      competence = comp, item = it,
      alpha = a$total$raw_alpha, n_complete = nrow(complete),
      mean = mean(on_scale), sd = sd(on_scale),
      dont_know = sum(answered == 0) / length(answered),
      r_drop = a$item.stats[it, "r.drop"]))
  }
}
write.csv(out, stdout(), row.names = FALSE, quote = FALSE)
