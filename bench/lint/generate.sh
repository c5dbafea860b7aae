#!/usr/bin/env bash
# Writes a multi-document manifest of N Kubernetes objects (default 10,000) to stdout, for the lint benchmark.
# A mix like a real cluster dump: Deployments (with env, probes, preStop hooks), Services, ConfigMaps and Pods,
# some of them with hazards so every rule has work to do. Usage: bench/lint/generate.sh 10000 > objects.yaml
set -euo pipefail
count=${1:-10000}
awk -v n="$count" 'BEGIN {
  for (i = 0; i < n; i++) {
    kind = i % 4
    print "---"
    print "# Source: bench/templates/object-" i ".yaml"
    if (kind == 0) {
      print "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-" i "\n  namespace: ns-" (i % 50) "\n  labels:\n    app: web-" i
      print "spec:\n  replicas: " (i % 3 + 1) "\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: " (i % 5 == 0 ? "100%" : "0") "\n      maxSurge: 1"
      print "  selector:\n    matchLabels:\n      app: web-" i "\n  template:\n    metadata:\n      labels:\n        app: web-" i
      print "    spec:\n      terminationGracePeriodSeconds: " (i % 7 == 0 ? 10 : 30) "\n      containers:"
      print "        - name: app\n          image: " (i % 6 == 0 ? "gcr.io/distroless/base-debian12" : "example.com/web:" i)
      print "          ports:\n            - name: http\n              containerPort: 8080"
      print "          env:\n            - name: Lameduck__Delay\n              value: \"00:00:05\"\n            - name: LOG_LEVEL\n              value: info"
      print "          lifecycle:\n            preStop:\n              exec:\n                command: [\"/bin/sh\", \"-c\", \"sleep " (i % 11) "\"]"
      print "          readinessProbe:\n            httpGet:\n              path: /healthz/ready\n              port: http\n            periodSeconds: 2"
      print "          livenessProbe:\n            httpGet:\n              path: " (i % 8 == 0 ? "/healthz/ready" : "/healthz/live") "\n              port: http"
      print "          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi"
      print "        - name: nginx\n          image: " (i % 9 == 0 ? "ubuntu:24.04" : "nginx:1.27") "\n          command: [\"nginx\", \"-g\", \"daemon off;\"]"
    } else if (kind == 1) {
      print "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-" (i - 1) "\n  namespace: ns-" ((i - 1) % 50)
      print "spec:\n  selector:\n    app: web-" (i - 1) "\n  ports:\n    - name: http\n      port: 80\n      targetPort: http"
    } else if (kind == 2) {
      print "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-" i "\n  namespace: ns-" (i % 50) "\ndata:"
      print "  www.conf: |\n    [www]\n    pm = dynamic\n    pm.max_children = 10" (i % 8 == 2 ? "\n    process_control_timeout = 20s" : "")
      print "  app.properties: |\n    feature.a=true\n    feature.b=false"
    } else {
      print "apiVersion: v1\nkind: Pod\nmetadata:\n  name: job-" i "\n  namespace: ns-" (i % 50)
      print "spec:\n  containers:\n    - name: task\n      image: example.com/task:" i "\n      args: [\"--once\", \"--id\", \"" i "\"]"
      print "      lifecycle:\n        preStop:\n          sleep:\n            seconds: " (i % 40)
    }
  }
}'
