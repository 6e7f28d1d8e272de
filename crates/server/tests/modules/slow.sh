#!/bin/sh
# A processing module that never answers in time.
cat >/dev/null
sleep 30
echo '{"ok": true}'
