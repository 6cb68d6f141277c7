package org.dd4j.spark;

import java.io.PrintWriter;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.Success$;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.dd4j.distribute.Engine;
import org.dd4j.distribute.UnitFailedException;
import org.dd4j.distribute.UnitProgress;
import org.dd4j.distribute.WorkUnit;

/**
 * Runs units as Spark tasks: one partition, hence one task, per unit, retried by Spark
 * ({@code spark.task.maxFailures}, 4 on a cluster; {@code local[N,F]} for F attempts
 * embedded). The driver shows one {@link UnitProgress} bar fed by a {@link SparkListener}.
 *
 * <p>Settings: the master is {@code --master} (default {@code local[*]}, embedded) unless
 * spark-submit set {@code spark.master}; any {@code spark.*} system property or spark-submit
 * {@code --conf} applies ({@code spark.task.cpus} sizes each task's TensorFlow intra-op
 * threads). With a local master or one on 127.0.0.1 the driver binds to the loopback
 * interface; Spark's web UI is off unless {@code spark.ui.enabled=true}.
 */
public final class SparkEngine implements Engine {

  private static final Pattern UNIT_FAILURE =
      Pattern.compile(Pattern.quote(UnitFailedException.class.getName()) + ": (.*)");

  private final JavaSparkContext sc;
  private final PrintWriter log;
  private final boolean progress;
  private volatile UnitProgress current;

  SparkEngine(String master, PrintWriter log, boolean progress) {
    this.log = log;
    this.progress = progress;
    quietLogs();
    SparkConf conf = new SparkConf().setAppName("dd4j").setIfMissing("spark.master", master)
        .setIfMissing("spark.ui.enabled", "false")
        .setIfMissing("spark.executorEnv.TF_ENABLE_ONEDNN_OPTS", "1")
        .setIfMissing("spark.executorEnv.TF_CPP_MIN_LOG_LEVEL", "2");
    if (loopback(conf.get("spark.master"))) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1")
          .setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    long t0 = System.nanoTime();
    this.sc = new JavaSparkContext(conf);
    sc.setLogLevel("WARN");
    sc.sc().addSparkListener(new SparkListener() {
      @Override
      public void onTaskStart(SparkListenerTaskStart start) {
        UnitProgress p = current;
        if (p != null) {
          p.started();
        }
      }

      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        UnitProgress p = current;
        if (p != null) {
          p.finished(end.reason() == Success$.MODULE$);
        }
      }
    });
    log.printf("spark: %s, %d cores by default, started in %.1f s%n", sc.master(),
        sc.defaultParallelism(), (System.nanoTime() - t0) / 1e9);
    log.flush();
  }

  /** Whether the master runs on this machine's loopback interface (or embedded). */
  static boolean loopback(String master) {
    if (master.startsWith("local")) {
      return true;
    }
    try {
      String host = URI.create(master.replaceFirst(",.*", "")).getHost();
      return "127.0.0.1".equals(host) || "localhost".equals(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Spark's own INFO lines would drown dd4j's; slf4j-simple reads these per logger. */
  private static void quietLogs() {
    for (String name : List.of("org.apache.spark", "org.sparkproject", "io.netty",
        "org.apache.hadoop")) {
      System.setProperty("org.slf4j.simpleLogger.log." + name, "warn");
    }
  }

  @Override
  public String describe() {
    return "spark(master=" + sc.master() + ")";
  }

  @Override
  public boolean distributed() {
    return true;
  }

  @Override
  public <R extends Serializable> List<R> run(String job, List<? extends WorkUnit<R>> units) {
    if (units.isEmpty()) {
      return List.of();
    }
    List<WorkUnit<R>> list = new ArrayList<>(units);
    sc.setJobDescription(job);
    try (UnitProgress bar = new UnitProgress(job, list.size(), progress)) {
      current = bar;
      return sc.parallelize(list, list.size())
          .map(new RunUnit<R>())
          .collect();
    } catch (Exception e) { // Scala throws SparkException, a checked exception, undeclared
      UnitFailedException failure = unitFailure(e);
      log.println(failure.getMessage());
      log.flush();
      throw failure;
    } finally {
      current = null;
    }
  }

  /** The unit's own failure inside Spark's job failure, else the job failure as it is. */
  static UnitFailedException unitFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnitFailedException u) {
        return u;
      }
    }
    String text = String.valueOf(e.getMessage());
    Matcher m = UNIT_FAILURE.matcher(text);
    if (m.find()) {
      String line = m.group(1);
      int colon = line.indexOf(": ");
      return new UnitFailedException(colon > 0 ? line.substring(0, colon) : "task",
          colon > 0 ? line.substring(colon + 2) : line, e);
    }
    return new UnitFailedException("spark job", UnitFailedException.describe(e), e);
  }

  @Override
  public void close() {
    sc.stop();
  }
}
