-- The walk phase: each thread plays the scenario from start to ending, over and over, as a
-- browser would: POST start (with the form's once-token), then per step GET the play page
-- and POST an answer (the first choice, with the first message marked), then GET the
-- result page.
--
-- bench/run.py runs wrk with as many connections as threads, so each thread has one
-- connection and sees its responses strictly in order: the walk's state can live in the
-- thread's Lua state. It only moves on in response(), so a request wrk resends after a
-- reconnect is simply the same step again.
--
-- Script arguments: the scenario's start path, the CSRF secret, then one signed player
-- cookie per thread (each thread plays as its own browser).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local start_path, csrf, players
local get_headers, post_headers -- built on the first request, once `id` is known
local state = "start"            -- the next request: start, page, answer or result
local attempt                    -- "/play/<uuid>/"
local answer_body
local answered = 0               -- answers posted in this walk: the next page's position
local in_walk = 0                -- requests of the walk in progress
local started = 0                -- walks begun by this thread: each Start's once-token
-- wrk runs again each round with the same players: the time it starts keeps tokens apart.
local run_stamp = tostring(os.time())

function init(args)
  -- args[0] is the URL; the script's own arguments follow.
  start_path, csrf = args[1], args[2]
  players = {}
  for i = 3, #args do
    table.insert(players, args[i])
  end
end

local function headers_for_thread()
  -- Django accepts the bare 32-character secret as the form token when it equals the cookie.
  local cookie = "csrftoken=" .. csrf .. "; saq_player=" .. players[id]
  get_headers = { Cookie = cookie }
  post_headers = { Cookie = cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }
end

function request()
  if not get_headers then
    headers_for_thread()
  end
  if state == "start" then
    -- The Start form's once-token, as the page gives a browser: a new one for each walk, so
    -- each walk's Start acts (trainer/web/once.py) and a resent one would not.
    started = started + 1
    local once = string.format("walk%s%02d%08d", run_stamp, id, started)
    return wrk.format(
      "POST", start_path, post_headers, "csrfmiddlewaretoken=" .. csrf .. "&once=" .. once
    )
  elseif state == "page" then
    return wrk.format("GET", attempt, get_headers)
  elseif state == "answer" then
    return wrk.format("POST", attempt, post_headers, answer_body)
  else
    return wrk.format("GET", attempt .. "result/", get_headers)
  end
end

local function location(headers)
  return headers["Location"] or headers["location"] or ""
end

-- Something went wrong: note it and begin a fresh walk (run.py fails the run on any error).
local function fail(message)
  unexpected(state .. " " .. (attempt or start_path) .. ": " .. message)
  state, attempt, answered, in_walk = "start", nil, 0, 0
end

local on = {}

function on.start(status, headers)
  attempt = location(headers):match("/play/[%x%-]+/$")
  if status ~= 303 or not attempt then
    return fail("status " .. status .. ", Location " .. location(headers))
  end
  state = "page"
end

function on.page(status, headers, body)
  if status == 302 and location(headers):match("/result/$") then
    state = "result"
    return
  end
  if status ~= 200 then
    return fail("status " .. status)
  end
  local position = body:match('name="position" value="(%d+)"')
  local choice = body:match('name="choice" value="(%d+)"')
  local mark = body:match('name="mark" value="(%d+)"')
  if not (position and choice) then
    return fail("no step form in the page")
  end
  -- A refused or lost answer would leave the position behind.
  if tonumber(position) ~= answered then
    return fail("position " .. position .. ", expected " .. answered)
  end
  answer_body = "csrfmiddlewaretoken=" .. csrf .. "&position=" .. position .. "&choice=" .. choice
  if mark then
    answer_body = answer_body .. "&mark=" .. mark
  end
  state = "answer"
end

function on.answer(status, headers)
  local to = location(headers)
  if status ~= 303 or not (to:match("/play/[%x%-]+/$") or to:match("/result/$")) then
    return fail("status " .. status .. ", Location " .. to)
  end
  answered = answered + 1
  state = to:match("/result/$") and "result" or "page"
end

function on.result(status)
  if status ~= 200 then
    return fail("status " .. status)
  end
  walks = walks + 1
  walk_requests = walk_requests + in_walk
  state, attempt, answered, in_walk = "start", nil, 0, 0
end

function response(status, headers, body)
  count(status)
  in_walk = in_walk + 1
  on[state](status, headers, body)
end
