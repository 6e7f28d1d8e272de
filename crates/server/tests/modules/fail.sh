#!/bin/sh
# A processing module that refuses: the panel is down.
cat >/dev/null
echo '{"ok": false, "message": "control panel unreachable"}'
