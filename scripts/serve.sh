#!/usr/bin/env bash
# Starts the action server (5055) and the Rasa server (5005) on the newest
# model, waits until both answer, and stops both on Ctrl-C. The servers run
# in sessions of their own, so Ctrl-C reaches only this script, which then
# stops them in order instead of racing them.
#   scripts/serve.sh          serve the REST and socket.io channels
#   scripts/serve.sh --shell  chat in this terminal instead
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
MODEL=${MODEL:-models/agency.tar.gz}
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-180}
LOG_DIR=${LOG_DIR:-build/logs}
mkdir -p "$LOG_DIR"

# endpoints.yml points Rasa at the action server on 5055; another port gets
# its own copy of the file.
ENDPOINTS=endpoints.yml
if [ "$ACTIONS_PORT" != 5055 ]; then
    ENDPOINTS="$LOG_DIR/endpoints.yml"
    sed "s#localhost:5055#localhost:$ACTIONS_PORT#" endpoints.yml >"$ENDPOINTS"
fi

pids=()
stop_all() {
    trap - INT TERM EXIT
    if [ ${#pids[@]} -gt 0 ]; then
        kill "${pids[@]}" 2>/dev/null || true
        echo "Stopping the bot..."
        wait "${pids[@]}" 2>/dev/null || true
    fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_for() {  # wait_for NAME URL PID LOG
    local name=$1 url=$2 pid=$3 log=$4 waited=0
    until curl -fs -o /dev/null "$url"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "The $name stopped while starting; its log ($log) ends with:" >&2
            tail -n 20 "$log" >&2
            exit 1
        fi
        if [ "$waited" -ge "$STARTUP_TIMEOUT" ]; then
            echo "The $name did not answer at $url within ${STARTUP_TIMEOUT}s (log: $log)" >&2
            exit 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
}

# Leads: the SQLite file under var/ unless DATABASE_URL says otherwise. The
# sales inbox needs a token; without one, `make run` starts it in dev mode,
# which makes up a token and prints it.
export DATABASE_URL=${DATABASE_URL:-sqlite:///var/leads.db}
SALES_PORT=${SALES_PORT:-5056}
export SALES_PORT
if [ -z "${SALES_API_TOKEN:-}" ]; then
    export SALES_DEV_MODE=${SALES_DEV_MODE:-true}
fi
"$BIN/bot" db upgrade

echo "Starting the action server on port $ACTIONS_PORT..."
setsid "$BIN/python" -m rasa_sdk --actions actions --port "$ACTIONS_PORT" >"$LOG_DIR/actions.log" 2>&1 &
pids+=($!)
wait_for "action server" "http://localhost:$ACTIONS_PORT/health" "${pids[-1]}" "$LOG_DIR/actions.log"

if [ "${1:-}" = "--shell" ]; then
    "$BIN/rasa" shell --model "$MODEL" --endpoints "$ENDPOINTS"
    exit 0
fi

echo "Starting the sales inbox on port $SALES_PORT and the lead delivery worker..."
setsid "$BIN/bot" sales-server >"$LOG_DIR/sales.log" 2>&1 &
pids+=($!)
wait_for "sales inbox" "http://localhost:$SALES_PORT/health" "${pids[-1]}" "$LOG_DIR/sales.log"
setsid "$BIN/bot" deliver >"$LOG_DIR/delivery.log" 2>&1 &
pids+=($!)

echo "Starting the Rasa server on port $RASA_PORT (loading $MODEL)..."
setsid "$BIN/rasa" run --model "$MODEL" --port "$RASA_PORT" \
    --credentials credentials.yml --endpoints "$ENDPOINTS" >"$LOG_DIR/rasa.log" 2>&1 &
pids+=($!)
wait_for "Rasa server" "http://localhost:$RASA_PORT/" "${pids[-1]}" "$LOG_DIR/rasa.log"

cat <<MSG

The bot is up.
  REST:      curl -s localhost:$RASA_PORT/webhooks/rest/webhook \\
               -H 'Content-Type: application/json' \\
               -d '{"sender": "me", "message": "What is outstaffing?"}'
  socket.io: ws://localhost:$RASA_PORT/socket.io (the chat widget's channel)
  terminal:  make shell
  sales:     http://localhost:$SALES_PORT/sales (token: SALES_API_TOKEN, or the
             dev token printed in $LOG_DIR/sales.log)
  logs:      $LOG_DIR/rasa.log, $LOG_DIR/actions.log, $LOG_DIR/sales.log,
             $LOG_DIR/delivery.log
Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
echo "A server stopped unexpectedly; see the logs in $LOG_DIR." >&2
exit 1
