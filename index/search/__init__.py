"""Search: tokens → ranked rows (tokenize → synonyms → bags of words → BM25 over the corpus
held in memory)."""
