-- wrk script for bench/run: one file, the scenario picked by arguments.
--
--   wrk … -s scenario.lua URL -- MODE [ARGS…]
--
--   fixed                       the URL as given (GET)
--   rand   TEMPLATE LO HI       GET TEMPLATE with every {n} replaced by a random
--                               integer in [LO, HI] (ids, author ids, …)
--   create PATH AUTHORS         POST PATH with a new post as JSON (author 1..AUTHORS)
--   update TEMPLATE LO HI       PATCH TEMPLATE ({n} a random id in [LO, HI]) with a JSON body
--   post   PATH BODY            POST PATH with the JSON BODY as given (login)
--   refresh PATH N R PER_ROUND  POST PATH {"refreshToken":…}: each connection chains the
--                               token its last answer gave; starts from round R's slice
--                               (PER_ROUND tokens) of $BENCH_REFRESH_TOKENS (comma-
--                               separated), thread k taking its k-th, k+N-th, … (N: wrk's
--                               thread count), so every round starts from unspent tokens
--   delete TEMPLATE LO HI N [R RS]
--                               DELETE TEMPLATE for every id of [LO, HI] once; N is
--                               wrk's thread count (thread k takes LO+k, LO+k+N, …);
--                               with R and RS, only round R's slice (0-based) of RS
--                               equal slices, so every round deletes other ids.
--                               Past the end it goes on with ids beyond it (answered
--                               4xx, counted as errors.status: the pool was too small)
--
-- $BENCH_TOKEN, when set, is sent as "Authorization: Bearer …" with every request.
-- Random numbers are seeded per thread, so a run sends the same sequence.
-- done() prints one line "BENCH_JSON {…}" with the counts and latency
-- percentiles in microseconds; bench/run reads it.

local nextThreadId = 0

function setup(thread)
   thread:set("tid", nextThreadId)
   nextThreadId = nextThreadId + 1
end

local mode, template, lo, hi, step, path, authors, body
local counter = 0
local jsonHeaders = { ["Content-Type"] = "application/json" }
local refreshTokens = {} -- refresh mode: tokens ready to be spent

-- About 500 characters, like the seeded descriptions.
local description = string.rep("Load test post written by wrk for the Hearth benchmark. ", 9)

local function fill(n)
   return (template:gsub("{n}", tostring(n)))
end

local types = { "news", "blog", "review" }

local function dynamicRequest()
   if mode == "rand" then
      return wrk.format("GET", fill(math.random(lo, hi)))
   elseif mode == "create" then
      counter = counter + 1
      local body = string.format(
         '{"title":"Bench post %d-%d","description":"%s","public":%s,"type":"%s","author":%d}',
         tid or 0, counter, description, math.random(100) <= 30 and "true" or "false",
         types[math.random(3)], math.random(authors))
      return wrk.format("POST", path, jsonHeaders, body)
   elseif mode == "update" then
      counter = counter + 1
      local body = string.format('{"title":"Updated by wrk %d-%d","public":%s}', tid or 0, counter,
         math.random(2) == 1 and "true" or "false")
      return wrk.format("PATCH", fill(math.random(lo, hi)), jsonHeaders, body)
   elseif mode == "post" then
      return wrk.format("POST", path, jsonHeaders, body)
   elseif mode == "refresh" then
      local token = table.remove(refreshTokens)
      if token == nil then
         token = "exhausted" -- answered 400 and counted: more connections than tokens
      end
      return wrk.format("POST", path, jsonHeaders, '{"refreshToken":"' .. token .. '"}')
   elseif mode == "delete" then
      local id = counter
      if id > hi then
         counter = counter + 1 -- pool exhausted: ids past the pool, answered 4xx
      else
         counter = counter + step
      end
      return wrk.format("DELETE", fill(id))
   end
end

local function refreshResponse(status, headers, answer)
   local token = answer and answer:match('"refreshToken":"([^"]+)"')
   if token then
      table.insert(refreshTokens, token)
   end
end

function init(args)
   mode = args[1] or "fixed"
   math.randomseed(7919 * ((tid or 0) + 1))
   local bearer = os.getenv("BENCH_TOKEN")
   if bearer and bearer ~= "" then
      wrk.headers["Authorization"] = "Bearer " .. bearer
      jsonHeaders["Authorization"] = "Bearer " .. bearer
   end
   if mode == "post" then
      path, body = args[2], args[3]
   elseif mode == "refresh" then
      path = args[2]
      local threads, round, perRound = tonumber(args[3]), tonumber(args[4]), tonumber(args[5])
      local index = 0
      for token in string.gmatch(os.getenv("BENCH_REFRESH_TOKENS") or "", "[^,]+") do
         local slot = index - round * perRound
         if slot >= 0 and slot < perRound and slot % threads == (tid or 0) then
            table.insert(refreshTokens, token)
         end
         index = index + 1
      end
      response = refreshResponse
   elseif mode == "rand" or mode == "update" then
      template, lo, hi = args[2], tonumber(args[3]), tonumber(args[4])
   elseif mode == "create" then
      path, authors = args[2], tonumber(args[3])
   elseif mode == "delete" then
      template, lo, hi, step = args[2], tonumber(args[3]), tonumber(args[4]), tonumber(args[5])
      local round, rounds = tonumber(args[6] or 0), tonumber(args[7] or 1)
      local size = math.floor((hi - lo + 1) / rounds)
      lo = lo + round * size
      hi = lo + size - 1
      counter = lo + (tid or 0)
   elseif mode ~= "fixed" then
      error("unknown mode " .. tostring(mode))
   end
   -- wrk decides after init() whether the request is static: "fixed" keeps
   -- wrk's prebuilt request (no Lua per request), the others build each one.
   if mode ~= "fixed" then
      request = dynamicRequest
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.min, latency.mean, latency.stdev, latency.max,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
end
