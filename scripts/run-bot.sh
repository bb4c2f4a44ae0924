#!/bin/sh
# npm start / web / worker: bundles the bot, then becomes it (exec: SIGTERM from the service
# manager reaches Node). BOT_ROLE comes from the npm script.
#   --max-old-space-size: without a limit, Node lets garbage pile up to gigabytes on a large machine.
#   MALLOC_ARENA_MAX: glibc gives each thread that allocates its own arena, and freed memory stays
#   in them; two arenas took 15 MiB off each process's peak RSS at 100,000 projects.
set -e
node scripts/build.mjs
MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-$npm_package_config_mallocArenaMax}" exec node --max-old-space-size="${BOT_HEAP_MB:-$npm_package_config_heapMb}" dist/bot.mjs
