-- wrk script of scripts/bench-scale: two modes, one summary format (scripts/proof/load.lua's
-- `loadtest key value` lines, whose `done` and `response` it reuses).
--
--   wrk ... -s bench-scale.lua URL -- paths DATA_FILE
--     GETs the paths of DATA_FILE (Lua returning {"/v1/...", ...}) in turn, anonymously: one
--     kind of request (a point read over many ids, a search, a deep page).
--   wrk ... -s bench-scale.lua URL -- mixed DATA_FILE KEY [MIX]
--     scripts/proof/load.lua's mix of reads and writes, with EVERY request (reads too) sent
--     with the write key KEY, as the SDK does: a writer reading its own writes.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "proof/load.lua")

-- load.lua signs only its writes; in `mixed` mode every request carries the key.
local bench_key = nil
local format = wrk.format
wrk.format = function(method, path, headers, body)
  if bench_key then
    headers = headers or {}
    headers["Authorization"] = "Bearer " .. bench_key
  end
  return format(method, path, headers, body)
end

local mixed_init, mixed_request = init, request
local mode, paths
local sent = 0

function init(args)
  mode = args[1]
  if mode == "paths" then
    paths = dofile(args[2])
  elseif mode == "mixed" then
    bench_key = args[3]
    mixed_init({ args[2], args[3], args[4] })
  else
    error("bench-scale.lua: the first argument is `paths` or `mixed`, not " .. tostring(mode))
  end
end

function request()
  if mode == "paths" then
    sent = sent + 1
    return wrk.format("GET", paths[(sent % #paths) + 1])
  end
  return mixed_request()
end
