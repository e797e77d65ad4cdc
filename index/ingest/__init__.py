"""Ingest: plan files → stored plans (read → clean → number → tables → parse → owners and
deadlines → prepare → the one write pipeline)."""
