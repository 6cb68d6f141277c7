package org.dd4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.dd4j.distribute.Engine;
import org.dd4j.distribute.EngineChoice;
import org.dd4j.engine.SessionOptions;
import org.dd4j.monitor.BufferEvents;
import org.dd4j.monitor.EventFiles;
import org.dd4j.report.RunComparison;
import org.dd4j.storage.RunLayout;
import org.dd4j.sweep.SweepGrid;
import org.dd4j.sweep.SweepResult;
import org.dd4j.sweep.SweepRunner;
import org.dd4j.sweep.SweepTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on 127.0.0.1: Spark's Master and a Worker (2 cores) as JVM
 * processes of their own from this module's test classpath, the executors started by the
 * Worker. Trains the tiny buffer with expert 1's first attempt failing ({@link
 * FailFirstAttempt}), then
 * checks that the retry left exactly one complete file per expert, equal to the local
 * buffer's, and nothing else; then a 2-point sweep on the same cluster and buffer. Both
 * processes (and their executors) are destroyed after the class.
 */
class StandaloneClusterTest {

  @TempDir static Path tmp;
  static final List<Process> processes = new ArrayList<>();
  static String master;

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static Process start(String mainClass, List<String> args, Path logFile, Path sparkHome)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(SparkEngineTest.split(System.getProperty("dd4j.spark.jvm.flags", "")));
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(SparkEngineTest.testClasspath());
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(logFile.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13"); // else it looks for a source tree
    pb.environment().put("TF_ENABLE_ONEDNN_OPTS", "1");
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  static void waitForPort(int port, long millis) throws Exception {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("nothing listens on 127.0.0.1:" + port);
  }

  @BeforeAll
  @Timeout(120)
  static void startCluster() throws Exception {
    // A Spark "installation" whose jars/ is empty: executors take everything from
    // spark.executor.extraClassPath (this test's classpath).
    Path home = Files.createDirectories(tmp.resolve("spark-home"));
    Files.createDirectories(home.resolve("jars"));
    Files.writeString(home.resolve("RELEASE"), "Spark (test stand-in)\n");
    int port = freePort();
    master = "spark://127.0.0.1:" + port;
    start("org.apache.spark.deploy.master.Master", List.of("--host", "127.0.0.1", "--port",
        String.valueOf(port), "--webui-port", String.valueOf(freePort())),
        tmp.resolve("master.log"), home);
    waitForPort(port, 60_000);
    start("org.apache.spark.deploy.worker.Worker", List.of("--host", "127.0.0.1", "--cores",
        "2", "--memory", "3g", "--webui-port", String.valueOf(freePort()), "--work-dir",
        Files.createDirectories(tmp.resolve("work")).toString(), master),
        tmp.resolve("worker.log"), home);
    SparkEngineTest.script = SparkEngineTest.tinyScript();
  }

  @AfterAll
  static void stopCluster() throws IOException {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    List<Path> logs = new ArrayList<>(List.of(tmp.resolve("master.log"),
        tmp.resolve("worker.log")));
    if (Files.isDirectory(tmp.resolve("work"))) {
      try (var s = Files.walk(tmp.resolve("work"))) {
        s.filter(f -> f.getFileName().toString().equals("stderr")).limit(2).forEach(logs::add);
      }
    }
    for (Path log : logs) {
      String f = tmp.relativize(log).toString();
      if (Files.exists(log)) {
        // kept for a failed run: target/standalone-logs/
        Path keep = Path.of("target", "standalone-logs", f.replace('/', '_'));
        Files.createDirectories(keep.getParent());
        Files.copy(log, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  static Engine clusterEngine() {
    System.setProperty("spark.executor.extraClassPath", SparkEngineTest.testClasspath());
    System.setProperty("spark.executor.extraJavaOptions",
        System.getProperty("dd4j.jvm.flags", ""));
    // two tasks at once, each with the whole of Fashion-MNIST loaded and preprocessed (~0.5 GB)
    System.setProperty("spark.executor.memory", "2500m");
    System.setProperty("spark.task.maxFailures", "2");
    try {
      return Engine.create(new EngineChoice("spark", master), 1, SparkEngineTest.log, false);
    } finally {
      System.clearProperty("spark.executor.extraClassPath");
      System.clearProperty("spark.executor.extraJavaOptions");
      System.clearProperty("spark.executor.memory");
      System.clearProperty("spark.task.maxFailures");
    }
  }

  @Test
  @Timeout(300)
  void bufferWithARetryAndASweepOnAStandaloneCluster() throws Exception {
    Path root = tmp.resolve("cluster");
    Path buf = RunLayout.experiment(root).buffer().dir();
    Path local = tmp.resolve("local");
    // expert 1's first attempt fails after its first epoch (a test wrapper around its unit)
    try (Engine engine = new FailFirstAttempt(clusterEngine(), "expert 1")) {
      SparkEngineTest.buffer(engine, root);
      Set<String> expected = new TreeSet<>(List.of("config.json", "manifest.json",
          "metrics.jsonl", "report.md", "logs", "logs/expert-00000.log",
          "logs/expert-00001.log", "logs/expert-00002.log", "expert-00000.arrow",
          "expert-00001.arrow", "expert-00002.arrow"));
      Set<String> files = SparkEngineTest.files(buf);
      files.removeIf(f -> f.startsWith("chart-") && f.endsWith(".png"));
      // each expert's TensorBoard events, from its successful attempt alone
      for (int i = 0; i < 3; i++) {
        assertEquals(1, EventFiles.list(BufferEvents.expertDir(
            RunLayout.experiment(root).buffer().tensorboard(), i)).size(), "expert " + i);
      }
      files.removeIf(f -> f.startsWith(RunLayout.TENSORBOARD));
      assertEquals(expected, files, "exactly one complete file per expert and nothing else");
      String retried = Files.readString(buf.resolve("logs/expert-00001.log"));
      assertTrue(retried.contains("attempt 0") && retried.contains("fails on purpose")
          && retried.contains("attempt 1"), retried);
      // the same bytes as experts trained one after another in this JVM
      try (Engine l = Engine.create(EngineChoice.local(), 1, SparkEngineTest.log, false)) {
        SparkEngineTest.buffer(l, local);
      }
      SparkEngineTest.assertSameExperts(RunLayout.experiment(local).buffer().dir(), buf, 3);

      // a 2-point sweep (lr_img 10, 100) reusing that buffer
      List<SweepResult> results = new SweepRunner(engine, SessionOptions.threads(1),
          SparkEngineTest.log, false).run(SparkEngineTest.script,
          SparkEngineTest.script.load(), SweepGrid.of(
              SparkEngineTest.script.load() != null ? java.util.Map.of(
                  "distill.lr_img", List.of("10", "100")) : null, List.of()), root);
      assertEquals(2, results.size());
      for (SweepResult r : results) {
        assertTrue(Files.isRegularFile(Path.of(r.runDir()).resolve("distill/syn-final.arrow")));
        assertTrue(Files.isRegularFile(Path.of(r.runDir()).resolve("task.log")));
        assertFalse(r.failed(), r.toString());
        assertTrue(r.accuracyMean() > 0 && r.accuracyMean() <= 1, r.toString());
      }
      assertEquals(3, Files.readAllLines(root.resolve(SweepTable.MARKDOWN)).stream()
          .filter(l -> l.startsWith("| ")).count(), "header and 2 points");
      assertEquals(2, Files.readAllLines(root.resolve(SweepTable.JSONL)).size());
      // the points side by side, as dd4j compare shows them: lr_img is what differs
      assertEquals(2, Files.readAllLines(root.resolve(RunComparison.JSONL)).size());
      assertTrue(Files.readString(root.resolve(RunComparison.MARKDOWN))
          .startsWith("| run | distill.lr_img |"));
    }
  }
}
