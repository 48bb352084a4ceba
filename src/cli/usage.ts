import type { CliCommand } from './parse-cli-args.js'

type HelpTopic = Extract<CliCommand, { kind: 'help' }>['topic']

const MAIN = `Usage: clawdbot-edge [--dev] [--profile <name>] <command> [options]

Commands:
  gateway [run]        Run the gateway (HTTP + WebSocket on one port)
  config validate      Check the config file and print every problem
  health               Probe a running gateway (exit 1 when unhealthy)
  doctor [--fix]       Check config, state dir, model keys, Discord token, MCP servers and lock (--fix migrates legacy keys)
  pairing approve <discord|telegram> <code>
                       Let the Discord or Telegram user who got this pairing code talk to the bot
  cron list|add|rm|run Manage scheduled jobs and reminders on a running gateway

Options:
  -V, --version        Print the version
  -h, --help           Show help (also: <command> --help)`

const GATEWAY = `Usage: clawdbot-edge gateway [run] [options]

Run the gateway.

Options:
  --port <port>             Port to listen on (default: $CLAWDBOT_GATEWAY_PORT, gateway.port, then 18789)
  --bind <mode>             loopback | lan | auto | custom (default: gateway.bind, else loopback)
  --token <token>           Shared token clients must present (also sets CLAWDBOT_GATEWAY_TOKEN)
  --password <password>     Password clients must present instead of a token
  --auth <mode>             token | password
  --allow-unconfigured      Start even when the config has no gateway.mode=local (or no config file)
  --force                   Stop whatever is listening on the port first
  --verbose                 Print debug lines
  --dev                     Use the dev profile (~/.clawdbot-dev, port 19001)
  --reset                   With --dev: start from an empty dev state dir
  -h, --help                Show this help`

const CONFIG = `Usage: clawdbot-edge config validate [options]

Check the config file (JSON5) and print every problem with its path.

Options:
  --path <path>   Config file to check (default: the file the gateway would read)
  --json          Print the result as JSON`

const HEALTH = `Usage: clawdbot-edge health [options]

Probe a running gateway. Exits 0 when it is healthy, 1 otherwise.

Options:
  --url <url>            Gateway base URL (default: http://127.0.0.1:<resolved port>)
  --token <token>        Gateway token (default: config or CLAWDBOT_GATEWAY_TOKEN) for the full report
  --password <password>  Gateway password instead of a token
  --json                 Print the health report as JSON
  --timeout <ms>         Give up after this long (default 10000)`

const DOCTOR = `Usage: clawdbot-edge doctor [options]

Check what the gateway would use: the config file (valid, legacy keys), the state dir (writable, on a volume on
Fly), a key for every model in the chain, each Discord bot token, and the single-gateway lock. Exits 0 when nothing
failed, 1 otherwise.

Options:
  --fix    Move legacy config keys to their current place (the old file is kept as <config>.bak)
  --json   Print the findings as JSON`

const PAIRING = `Usage: clawdbot-edge pairing approve <discord|telegram> <code>

Approve a DM pairing request (channels.discord.dm.policy or channels.telegram.dmPolicy = "pairing"). The user gets
the code when they first message the bot; codes expire after an hour. Same as POST /api/pairing/<channel>/approve.
A Telegram approval also tells the user, with the default account's bot token, that they can start chatting.`

const CRON = `Usage: clawdbot-edge cron <list|add|rm|run> [options]

Manage scheduled jobs on a running gateway (over its WebSocket, with the gateway token).

  cron list [--all] [--json]            Jobs by next run (--all includes paused ones)
  cron add --name <name> <when> <what> [options]
      when:  --at <20m|2h|1d|ISO time|epoch ms> | --every <30m|2h|1d> | --cron "<expr>" [--tz <IANA zone>]
      what:  --message <text>       an agent turn whose reply is delivered (to where you last talked, or --channel/--to)
             --system-event <text>  a note for the main session, picked up by its next turn
      --channel <discord|webchat|last>  --to <channel:ID|user:ID>  --no-deliver  --keep-after-run
      --wake <now|next-heartbeat>  --agent <id>  --description <text>  --disabled  --json
  cron rm <id>                          Delete a job
  cron run <id> [--due]                 Run a job now (--due: only if it is due)

Gateway options: --url <ws://host:port>  --token <token>  --password <password>  --timeout <ms> (default 10000)
Example: clawdbot-edge cron add --name stretch --at 20m --message "Remind me to stretch" --channel discord --to channel:123`

/** Help text for the whole CLI or one command. */
export function usage(topic?: HelpTopic): string {
  if (topic === 'gateway') return GATEWAY
  if (topic === 'config') return CONFIG
  if (topic === 'health') return HEALTH
  if (topic === 'pairing') return PAIRING
  if (topic === 'doctor') return DOCTOR
  if (topic === 'cron') return CRON
  return MAIN
}
