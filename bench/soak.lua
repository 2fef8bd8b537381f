-- wrk script of bench/soak.py: one request class, or the mix of all of them.
--
--   wrk ... -s bench/soak.lua <url> -- <cookies file> <mode> <path>
--
-- The cookies file has one "<class>\t<cookie value>" line per cookie (an empty
-- value: no Cookie header).  <mode> is "mix" (every class in turn, equal
-- shares) or one class name.  Each thread counts what it sent per class and
-- the statuses it received; done() prints one line, "SOAK {json}", that
-- soak.py reads.  Requests are pre-formatted in init(): request() only picks
-- the next one, so wrk's own CPU cost stays flat across classes.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   local file, mode = args[1], args[2]
   local path = args[3] or "/view"
   local by_class, names = {}, {}
   for line in io.lines(file) do
      local kind, cookie = line:match("^([%w_-]+)\t(.*)$")
      if kind and (mode == "mix" or mode == kind) then
         if not by_class[kind] then
            by_class[kind] = {}
            table.insert(names, kind)
         end
         local headers = {}
         if cookie ~= "" then headers["Cookie"] = "AUTH_TKT=" .. cookie end
         table.insert(by_class[kind], wrk.format("GET", path, headers))
      end
   end
   table.sort(names)
   -- round-robin over classes, and within a class over its cookies
   plan, kinds = {}, {}
   local longest = 0
   for _, kind in ipairs(names) do longest = math.max(longest, #by_class[kind]) end
   for i = 1, longest do
      for _, kind in ipairs(names) do
         local list = by_class[kind]
         table.insert(plan, list[((i - 1) % #list) + 1])
         table.insert(kinds, kind)
      end
   end
   counter = 0
   sent = {}
   statuses = {}
end

function request()
   counter = counter + 1
   local index = (counter % #plan) + 1
   local kind = kinds[index]
   sent[kind] = (sent[kind] or 0) + 1
   return plan[index]
end

function response(status, headers, body)
   local key = tostring(status)
   statuses[key] = (statuses[key] or 0) + 1
end

local function merge(into, from)
   for key, value in pairs(from or {}) do into[key] = (into[key] or 0) + value end
end

local function json(map)
   local parts = {}
   for key, value in pairs(map) do
      table.insert(parts, string.format('"%s": %d', key, value))
   end
   return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
   local all_sent, all_statuses = {}, {}
   for _, thread in ipairs(threads) do
      merge(all_sent, thread:get("sent"))
      merge(all_statuses, thread:get("statuses"))
   end
   io.write(string.format(
      'SOAK {"sent": %s, "statuses": %s, "requests": %d, "socket_errors": %d, "p99_ms": %.2f}\n',
      json(all_sent), json(all_statuses), summary.requests,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      latency:percentile(99) / 1000))
end
