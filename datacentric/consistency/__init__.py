"""Label consistency: simulated annotator panels, agreement between annotators, turning many labels into one,
and the labelling-instructions exercise on generated scratched parts."""
