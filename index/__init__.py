"""PlanBot's answer engine: plans in, cited answers out.

This package is the library. It never imports Telegram or the command line; `bot/` does.
"""
