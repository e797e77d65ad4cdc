"""The edges, installed as `planbot.bot`: the command line, the terminal chat and the Telegram bot."""
