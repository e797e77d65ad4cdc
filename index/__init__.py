"""PlanBot's answer engine, installed as `planbot.index`: plans in, cited answers out.

Three flows, three folders: `ingest` (files → stored plans), `search` (tokens → ranked rows)
and `answer` (question → cited answer), behind `engine.Engine`. This package is the library:
it never imports Telegram or the command line; `planbot.bot` does.
"""
