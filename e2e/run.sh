#!/usr/bin/env bash
# Drive `planbot serve` through the tg_e2e Telegram Bot API emulator with a script of user
# actions and print the harness's verdict. Not part of the test suite (it needs Node.js and the
# harness, which live outside this repository); run it before a release:
#
#   e2e/run.sh [SCRIPT.json ...]            (default: every script in e2e/)
#   TG_E2E=/path/to/tg_e2e e2e/run.sh       (default: ../shared/tools/tg_e2e beside the checkout)
#
# Each script runs against a fresh database holding the bundled sample plans; results go to
# e2e/out/ (ignored by git).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
harness="${TG_E2E:-$root/../shared/tools/tg_e2e}"
cd "$root"  # a script's uploaded files are named relative to the checkout (e2e/files/…)
[ -f "$harness/harness.py" ] || { echo "tg_e2e harness not found at $harness (set TG_E2E)" >&2; exit 2; }
[ -d "$harness/node_modules" ] || (cd "$harness" && ./install.sh)
mkdir -p "$here/out"
scripts=("$@")
[ ${#scripts[@]} -gt 0 ] || scripts=("$here"/*.json)
status=0
for script in "${scripts[@]}"; do
    name="$(basename "$script" .json)"
    db="$here/out/$name.db"
    rm -f "$db" "$db-wal" "$db-shm"
    "$root/.venv/bin/planbot" --db "$db" index "$root/plan_texts" >/dev/null
    extra=()
    if grep -q '"privacy_mode": *true' "$script"; then extra+=(--privacy-mode); fi
    # A script's own settings (its "planbot_env" object), e.g. PLANBOT_ALLOWED_CHATS.
    while IFS= read -r kv; do extra+=(--env "$kv"); done < <("$root/.venv/bin/python" -c \
        'import json, sys; [print(f"{k}={v}") for k, v in json.load(open(sys.argv[1])).get("planbot_env", {}).items()]' "$script")
    "$harness/.venv/bin/python" "$harness/harness.py" --cwd "$root" \
        --bot-cmd "$root/.venv/bin/planbot serve" --script "$script" --out "$here/out/$name.result.json" \
        --env "PLANBOT_DB=$db" --env "PLANBOT_ADMINS=${PLANBOT_ADMINS:-4242}" "${extra[@]}" || status=1
done
exit $status
