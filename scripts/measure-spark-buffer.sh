#!/usr/bin/env bash
# buffer of 4 small experts: local engine vs spark local[1] vs local[2]
cd "$(dirname "$0")/.."
A="--experts 4 --epochs 2 --train-images 2000 --width 16 --no-progress"
for m in local "local[1]" "local[2]"; do
  rm -rf /tmp/meas-b
  t0=$(date +%s.%N)
  if [ "$m" = local ]; then nice -n 10 ./dd4j buffer $A --threads 1 --out /tmp/meas-b > /tmp/meas-$m.log 2>&1
  else nice -n 10 ./dd4j buffer $A --threads 1 --engine spark --master "$m" --out /tmp/meas-b > "/tmp/meas-$m.log" 2>&1; fi
  t1=$(date +%s.%N)
  echo "$m $(echo "$t1 - $t0" | bc) s rc=$?"
  rm -rf /tmp/meas-b
done
