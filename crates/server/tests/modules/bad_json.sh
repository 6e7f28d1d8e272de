#!/bin/sh
# A processing module that answers something that is not the expected JSON.
cat >/dev/null
echo 'Segmentation fault (core dumped)'
