#!/bin/sh
# A processing module that succeeds: reads the request, answers with parameters to store.
input=$(cat)
case "$input" in
  *'"operation":"check"'*) op=check ;;
  *) op=other ;;
esac
printf '{"ok": true, "parameters": {"host": "vps-17.example.net", "secret_seen": "%s"}, "message": "%s passed"}\n' "${BURSAR_MODULE_SECRET:-none}" "$op"
