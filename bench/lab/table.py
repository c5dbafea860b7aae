#!/usr/bin/env python3
"""Prints bench/lab's markdown tables from the JSON reports in OUT: table.py OUT "INGRESSES" "RATES" [SWEEP_INGRESS]."""
import json, os, sys
out, ingresses, rates = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
sweep = sys.argv[4] if len(sys.argv) > 4 else "l7"
def load(name, ingress, rate):
    path = os.path.join(out, f"{name}.{ingress}.{rate}.json")
    try:
        with open(path) as f: return json.load(f)
    except Exception: return None
names = [("baseline", "baseline"), ("baseline-prestop30", "baseline + preStop sleep 30s"),
         ("lameduck-delay5", "Lameduck, Delay 5s"), ("lameduck-quiet", "Lameduck, QuietPeriod 0.5s, MinDelay 1s"),
         ("lameduck-quiet2", "Lameduck, QuietPeriod 0.5s, MinDelay 2s")]
def kinds(d):
    parts = [f"{c}×{n}" for c, n in sorted(d["status_codes"].items()) if not c.startswith(("2", "3"))]
    parts += [f"{k}×{n}" for k, n in d["error_set"].items() if n]
    return ", ".join(parts) or "-"
print("| ingress | scenario | requests | errors | error kinds | success | p99 latency | rollout | SIGTERM→exit per pod (s) | killed |")
print("|---|---|---:|---:|---|---:|---:|---:|---|---:|")
for ingress in ingresses:
    roll = {}
    for key, label in names:
        d = load(key, ingress, 1000)
        if d is None:
            print(f"| {ingress} | {label} | run failed, see {key}.{ingress}.1000.log | | | | | | | |"); continue
        roll[key] = d["rollout_s"]
        ste = " ".join(f"{t['sigterm_to_exit_s']:.2f}" for t in d["terminations"])
        killed = sum(1 for t in d["terminations"] if t["killed"])
        print(f"| {ingress} | {label} | {d['requests']} | {d['errors']} | {kinds(d)} | {d['success_ratio']*100:.2f}% | {d['latency_ms']['p99']:.0f} ms | {d['rollout_s']} s | {ste} | {killed} |")
    for key in ("lameduck-quiet", "lameduck-quiet2"):
        if roll.get(key) and roll.get("baseline-prestop30"):
            print(f"| {ingress} | rollout ratio {key} / preStop-30 | | | | | | {roll[key]/roll['baseline-prestop30']:.2f}× | | |")
if not rates: sys.exit(0)
print()
print(f"| rate (req/s), {sweep}, Lameduck (Delay 5s) | errors | success | p99 latency | send lag p99 | SIGTERM→exit per pod (s) |")
print("|---:|---:|---:|---:|---:|---|")
best = None
for rate in rates:
    d = load("sweep-lameduck-delay5", sweep, rate)
    if d is None: print(f"| {rate} | run failed | | | | |"); continue
    ste = " ".join(f"{t['sigterm_to_exit_s']:.2f}" for t in d["terminations"])
    print(f"| {rate} | {d['errors']} | {d['success_ratio']*100:.3f}% | {d['latency_ms']['p99']:.1f} ms | {d['send_lag_ms']['p99']:.1f} ms | {ste} |")
    if d["errors"] == 0: best = rate
print()
print(f"highest rate tried with 0 errors: {best if best else 'none'} req/s")
