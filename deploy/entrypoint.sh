#!/bin/sh
# Container entrypoint for SoundStream (POSIX sh; see deploy/Dockerfile and docs/deploy.md).
#
# It maps the platform conventions onto SoundStream's own settings, then runs the command:
#
#   database  SOUNDSTREAM_DATABASE_URL if set, else DATABASE_URL (Render, Heroku-style
#             platforms, compose.yaml), else sqlite:///data/soundstream.db (the /data volume).
#   address   SOUNDSTREAM_ADDR if set, else 0.0.0.0:$PORT when PORT is set (Render, Cloud Run),
#             else 0.0.0.0:8000.
#
# The defaults live here rather than as ENV in the Dockerfile: a baked-in
# SOUNDSTREAM_DATABASE_URL would always be "set", and DATABASE_URL or PORT could never apply.
#
# Arguments:
#   (none)                  -> soundstream serve
#   serve | import | ...    -> soundstream serve | import | ...   (a subcommand or an option)
#   any other program       -> run as is, with the mapped environment (e.g. `env`, `sh`)
#
# The image also installs this script as /usr/local/bin/soundstream (a symlink): invoked under
# that name it always runs the binary, so `docker compose exec api soundstream keys create ...`
# (which bypasses the entrypoint) still talks to the database named by DATABASE_URL.
set -eu

: "${SOUNDSTREAM_BIN:=/usr/local/lib/soundstream/soundstream}"

if [ -z "${SOUNDSTREAM_DATABASE_URL:-}" ]; then
    if [ -n "${DATABASE_URL:-}" ]; then
        SOUNDSTREAM_DATABASE_URL=$DATABASE_URL
    else
        SOUNDSTREAM_DATABASE_URL=sqlite:///data/soundstream.db
    fi
fi
export SOUNDSTREAM_DATABASE_URL

if [ -z "${SOUNDSTREAM_ADDR:-}" ]; then
    if [ -n "${PORT:-}" ]; then
        case $PORT in
            *[!0-9]*)
                echo "entrypoint: error: PORT must be a number, got '$PORT'" >&2
                exit 1
                ;;
        esac
        SOUNDSTREAM_ADDR=0.0.0.0:$PORT
    else
        SOUNDSTREAM_ADDR=0.0.0.0:8000
    fi
fi
export SOUNDSTREAM_ADDR

# Invoked as `soundstream`: always the binary.
case ${0##*/} in
    soundstream) exec "$SOUNDSTREAM_BIN" "$@" ;;
esac

if [ "$#" -eq 0 ]; then
    set -- serve
fi

case $1 in
    serve | import | evaluate | keys | help | -*)
        exec "$SOUNDSTREAM_BIN" "$@"
        ;;
    *)
        exec "$@"
        ;;
esac
