#!/usr/bin/env bash
# Checks the spark-submit path (README, "A standalone cluster") end to end on this machine:
# builds the shaded jar (mvn -Pshade), puts Spark 4.0.1's own jars (spark-core_2.13 and its
# dependencies from Maven Central, as a Spark distribution's jars/ holds them) in a stand-in
# SPARK_HOME, starts Spark's Master and a Worker on 127.0.0.1 from those jars alone, then
# spark-submits the shaded jar twice: `dd4j buffer --engine spark` (2 tiny experts, compared
# byte for byte with the same buffer trained locally by ./dd4j) and `dd4j sweep` of the
# spark module's tiny test script (2 points). Everything stops at the end. About 3 minutes.
#   scripts/check-spark-submit.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
W=$(realpath -m "${1:-/tmp/dd4j-spark-submit}")
SPARK=4.0.1
rm -rf "$W"; mkdir -p "$W/home/jars" "$W/dist"

echo "building the shaded jar (mvn -Pshade)..."
mvn -B -q -ntp -Pshade -DskipTests package -pl spark -am > "$W/build.log" 2>&1
JARS=("$ROOT"/spark/target/dd4j-spark-*-all.jar)
JAR=${JARS[0]}
test -f "$JAR"

echo "fetching Spark $SPARK's jars..."
cat > "$W/dist/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>spark-dist</artifactId><version>1</version>
  <dependencyManagement><dependencies>
    <!-- Spark's distribution ships jackson-core 2.18.2; Maven's nearest-wins picks 2.17.2 -->
    <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-core</artifactId>
      <version>2.18.2</version></dependency>
  </dependencies></dependencyManagement>
  <dependencies><dependency><groupId>org.apache.spark</groupId>
    <artifactId>spark-core_2.13</artifactId><version>$SPARK</version></dependency></dependencies>
</project>
EOF
(cd "$W/dist" && mvn -B -q -ntp dependency:copy-dependencies -DoutputDirectory="$W/home/jars") \
  > "$W/fetch.log" 2>&1
echo "Spark $SPARK (jars from Maven Central)" > "$W/home/RELEASE"

# the flags of org.apache.spark.launcher.JavaModuleOptions (spark-submit's script adds them)
FLAGS=(-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true)
export SPARK_HOME="$W/home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do pkill -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
  pkill -f "$W/work" 2>/dev/null || true; }
trap cleanup EXIT
java "${FLAGS[@]}" -Xmx512m -cp "$W/home/jars/*" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$PORT" --webui-port "$(free_port)" > "$W/master.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do (echo > /dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 1; done
java "${FLAGS[@]}" -Xmx512m -cp "$W/home/jars/*" org.apache.spark.deploy.worker.Worker \
  --host 127.0.0.1 --cores 2 --memory 6g --webui-port "$(free_port)" --work-dir "$W/work" \
  "spark://127.0.0.1:$PORT" > "$W/worker.log" 2>&1 &
PIDS+=($!)
sleep 5

submit() {  # submit LOG DD4J-ARGS...
  local log=$1; shift
  java "${FLAGS[@]}" -Xmx2g -cp "$W/home/jars/*" org.apache.spark.deploy.SparkSubmit \
    --master "spark://127.0.0.1:$PORT" \
    --conf spark.executor.memory=2500m --conf spark.task.maxFailures=2 \
    --conf "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxPhysicalBytes=0" \
    --conf spark.executorEnv.TF_ENABLE_ONEDNN_OPTS=1 \
    --driver-java-options "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0" \
    --class org.dd4j.cli.Dd4j "$JAR" "$@" > "$log" 2>&1 \
    || { echo "spark-submit failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
}
BUF=(--experts 2 --epochs 1 --train-images 300 --width 8 --depth 2 --threads 1 --no-progress)
t0=$(date +%s)
submit "$W/submit-buffer.log" buffer --engine spark "${BUF[@]}" --out "$W/cluster-buffer"
echo "spark-submit buffer: $(( $(date +%s) - t0 )) s"
./dd4j buffer "${BUF[@]}" --out "$W/local-buffer" > "$W/local-buffer.log" 2>&1
for f in expert-00000.arrow expert-00001.arrow; do
  cmp "$W/local-buffer/$f" "$W/cluster-buffer/$f"
done
echo "the cluster's experts equal the local ones byte for byte"
t0=$(date +%s)
submit "$W/submit-sweep.log" sweep "$ROOT/spark/src/test/resources/tiny.exp.kts" --engine spark \
  --threads 1 --out "$W/sweep"
echo "spark-submit sweep: $(( $(date +%s) - t0 )) s"
cat "$W/sweep/sweep.md"
echo "OK (logs in $W)"
