-- The bare and play-page phases: the same GET again and again (URL and cookies come from
-- bench/run.py's command line); anything but 200 is an error.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

function response(status)
  count(status)
  if status ~= 200 then
    unexpected("GET " .. wrk.path .. ": status " .. status)
  end
end
