#!/bin/sh
# Container entrypoint. Fly mounts a new volume owned by root, but the gateway runs as the unprivileged user, so
# while still root we hand the state dir to that user, then replace this shell with the command (exec keeps the
# kill signal going straight to node).
set -eu
run_as="${CLAWDBOT_RUN_AS:-node}"
if [ "$(id -u)" = "0" ]; then
  state_dir="${CLAWDBOT_STATE_DIR:-/data}"
  mkdir -p "$state_dir"
  # Only what is not already the user's: files written as root over `fly ssh console`, or a fresh volume's root.
  run_group="$(id -g "$run_as")"
  find "$state_dir" -xdev ! -user "$run_as" -exec chown "$run_as:$run_group" {} + 2>/dev/null || true
  exec setpriv --reuid="$run_as" --regid="$run_group" --init-groups -- "$@"
fi
exec "$@"
