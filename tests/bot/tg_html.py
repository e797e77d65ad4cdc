"""Telegram's HTML parse mode, approximated: what it would refuse, and the plain text it keeps.

Shared by the stand-in Bot API (conftest.py) and the rendering tests.
"""

import html.parser
import re

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "blockquote", "tg-spoiler", "span", "tg-emoji"}


class TelegramHTML(html.parser.HTMLParser):
    """Parses like Telegram's HTML mode closely enough to catch what it would refuse."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.plain: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.errors.append(f'Unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f'Unmatched end tag "{tag}"')
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.plain.append(data)


def check_html(text: str) -> tuple[str, list[str]]:
    """(plain text, problems) for a text sent with parse_mode HTML."""
    problems = []
    for m in re.finditer(r"<", text):
        if not re.match(r"</?[a-zA-Z][\w-]*(\s[^<>]*)?>", text[m.start():]):
            problems.append(f"stray < at {m.start()}")
    for m in re.finditer(r"&", text):
        if not re.match(r"&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);", text[m.start():]):
            problems.append(f"stray & at {m.start()}")
    parser = TelegramHTML()
    parser.feed(text)
    parser.close()
    problems += parser.errors
    if parser.stack:
        problems.append(f"unclosed tags {parser.stack}")
    return "".join(parser.plain), problems


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


