-- The request mix of scripts/load-test, for wrk: reads of every kind (artist, user, their
-- lists, search, analytics, recommendations) and authenticated writes that can only succeed,
-- so that any non-2xx is the server's fault:
--   PUT a listen (an upsert: 201 then 200) on users of the first half of `users`;
--   POST a tag assignment with a tag made for this wrk thread alone, on a (user, artist) pair
--     no other request of the thread uses: always new, so 201;
--   DELETE a real listen of a user of the second half of `users` (never PUT to), each once,
--     from this thread's share of `deletable`; once that share is used up, a PUT instead.
-- Requests go round a fixed cycle (no randomness): two runs send the same sequence.
--
-- Usage: wrk ... -s load.lua URL -- DATA_FILE KEY [MIX]
-- MIX: how many reads come before each round of 3 writes (default 17: 15 % writes), or
-- `reads` for reads alone.
-- DATA_FILE is Lua returning {users = {...}, artists = {...}, tags = {one per thread},
-- deletable = {{user, artist}, ...}}, written by scripts/load-test from the live server.
-- `done` prints `loadtest key value` lines that scripts/load-test reads.

local threads = {}

-- In the main state: number the threads. `thread:set` makes a global of the thread's own state.
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)
end

-- Globals of each thread's state, read back by `done` with `thread:get`.
bad_count, bad_by_status, bad_sample = 0, "", nil

local data, key, index, nthreads
-- The request cycle, built by `init`.
local cycle
local users, artists, listen_users, tag_id
local deletable = {}
local n = 0
local next_delete = 1
local assignments = 0
local bad = {}

local function get(path)
  return wrk.format("GET", path)
end

local function write(method, path, body)
  local headers = { ["Authorization"] = "Bearer " .. key }
  if body then
    headers["Content-Type"] = "application/json"
  end
  return wrk.format(method, path, headers, body)
end


local function pick(list, i)
  return list[(i % #list) + 1]
end

local function put_listen(i)
  local path = string.format("/v1/users/%d/artists/%d", pick(listen_users, i), pick(artists, i * 7))
  return write("PUT", path, string.format('{"weight": %d}', i % 1000))
end

-- The reads, taken in turn.
local reads = {
  function(i) return get("/v1/artists/" .. pick(artists, i)) end,
  function(i) return get("/v1/users/" .. pick(users, i)) end,
  function(i) return get("/v1/users/" .. pick(users, i) .. "/artists?limit=20") end,
  function(i) return get("/v1/artists/" .. pick(artists, i) .. "/listeners?limit=20") end,
  function(i) return get("/v1/artists/" .. pick(artists, i) .. "/similar?limit=10") end,
  function(i) return get("/v1/users/" .. pick(users, i) .. "/recommendations?limit=10") end,
  function(i)
    return get("/v1/users/" .. pick(users, i) .. "/recommendations?strategy=collaborative&limit=10")
  end,
  function(i) return get("/v1/search/artists?tags_all=rock&min_listeners=" .. (i % 50) .. "&limit=20") end,
  function(i) return get("/v1/search/artists?tags_any=jazz,blues&sort=plays&limit=20&skip=" .. (i % 40)) end,
  function(i) return get("/v1/artists?name=the&sort=listeners&limit=20&skip=" .. (i % 100)) end,
  function() return get("/v1/analytics/summary") end,
  function() return get("/v1/analytics/top-artists?by=plays&limit=10") end,
  function() return get("/v1/analytics/top-tags?limit=10") end,
  function() return get("/v1/analytics/tag-trends?tags=rock,pop&granularity=year") end,
  function() return get("/v1/analytics/tag-cloud?limit=50") end,
  function(i) return get("/v1/users/" .. pick(users, i) .. "/friends?limit=20") end,
  function(i) return get("/v1/tag-assignments?user_id=" .. pick(users, i) .. "&limit=20") end,
}

-- The writes, one of each per round.
local writes = {
  put_listen,
  function()
    -- (user, artist) runs through users x artists without repeating: a new assignment.
    local u = users[(assignments % #users) + 1]
    local a = artists[(math.floor(assignments / #users) % #artists) + 1]
    assignments = assignments + 1
    local body = string.format(
      '{"user_id": %d, "artist_id": %d, "tag_id": %d, "timestamp": %d}',
      u, a, tag_id, 1230768000000 + assignments * 1000)
    return write("POST", "/v1/tag-assignments", body)
  end,
  function(i)
    local pair = deletable[next_delete]
    if pair == nil then
      return put_listen(i)
    end
    next_delete = next_delete + 1
    return write("DELETE", string.format("/v1/users/%d/artists/%d", pair[1], pair[2]))
  end,
}

-- One round: `reads_per_round` reads (the list in turn), then the 3 writes; none with `reads`.
local function build_cycle(mode)
  cycle = {}
  local reads_per_round = tonumber(mode) or #reads
  for k = 1, reads_per_round do
    cycle[#cycle + 1] = reads[((k - 1) % #reads) + 1]
  end
  if mode ~= "reads" then
    for _, w in ipairs(writes) do
      cycle[#cycle + 1] = w
    end
  end
end

function init(args)
  data = dofile(args[1])
  key = args[2]
  index = thread_index
  nthreads = #data.tags
  users, artists = data.users, data.artists
  tag_id = data.tags[index]
  -- Listens are PUT only for the first half of the users; the second half's are deleted.
  listen_users = {}
  for i = 1, math.floor(#users / 2) do
    listen_users[i] = users[i]
  end
  build_cycle(args[3])
  for i, pair in ipairs(data.deletable) do
    if (i - 1) % nthreads == index - 1 then
      deletable[#deletable + 1] = pair
    end
  end
end

function request()
  n = n + 1
  return cycle[(n % #cycle) + 1](n)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bad[status] = (bad[status] or 0) + 1
    bad_count = bad_count + 1
    if bad_sample == nil then
      bad_sample = status .. " " .. string.sub(body or "", 1, 300)
    end
    local parts = {}
    for code, count in pairs(bad) do
      parts[#parts + 1] = code .. "x" .. count
    end
    bad_by_status = table.concat(parts, ",")
  end
end

function done(summary, latency, requests)
  local bad_total_all, by_status, samples = 0, {}, {}
  for _, thread in ipairs(threads) do
    bad_total_all = bad_total_all + (thread:get("bad_count") or 0)
    local b = thread:get("bad_by_status")
    if b and b ~= "" then by_status[#by_status + 1] = b end
    local s = thread:get("bad_sample")
    if s then samples[#samples + 1] = s end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format("loadtest requests %d\n", summary.requests))
  io.write(string.format("loadtest seconds %.2f\n", seconds))
  io.write(string.format("loadtest rps %.1f\n", summary.requests / seconds))
  io.write(string.format("loadtest p50_ms %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("loadtest p99_ms %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("loadtest max_ms %.2f\n", latency.max / 1000))
  io.write(string.format("loadtest non_2xx %d\n", bad_total_all))
  io.write(string.format("loadtest non_2xx_by_status %s\n", table.concat(by_status, ",")))
  io.write(string.format("loadtest socket_errors connect=%d read=%d write=%d timeout=%d\n",
    e.connect, e.read, e.write, e.timeout))
  io.write(string.format("loadtest errors %d\n", e.connect + e.read + e.write + e.timeout))
  for _, s in ipairs(samples) do
    io.write("loadtest sample " .. string.gsub(s, "\n", " ") .. "\n")
  end
end
