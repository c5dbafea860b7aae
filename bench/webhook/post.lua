-- wrk script for bench/webhook/run.sh: POST bench/webhook/review.json to /mutate on every request.
local f = assert(io.open(os.getenv("REVIEW"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
