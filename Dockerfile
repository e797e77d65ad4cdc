# PlanBot: `planbot serve` on a slim Python, as a non-root user, database on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PLANBOT_DB=/data/planbot.db

WORKDIR /app
COPY pyproject.toml setup.py README.md ./
COPY index ./index
COPY bot ./bot
COPY plan_texts ./plan_texts
# gcc only for the install: it builds the ranking's C kernel (index/search/_kernel.c), then goes
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && pip install . \
    && python -c "import planbot.index.search._kernel" \
    && apt-get purge -y gcc libc6-dev && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 planbot \
    && mkdir -p /data \
    && chown planbot:planbot /data

USER planbot
VOLUME ["/data"]
# `serve` never indexes the bundled samples: add plans with `docker exec … planbot index /path`
# or by sending files to the bot. (A first `planbot ask` indexes them, into a brand-new database only.)
CMD ["planbot", "serve"]
