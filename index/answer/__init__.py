"""Answer: question → cited answer (intent → rank over the corpus → cite → phrase)."""
