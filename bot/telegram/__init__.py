"""The Telegram edge: updates in, Engine calls, HTML replies out.

`build_application(settings, engine=None)` in `app.py` is the one entry point.
"""
