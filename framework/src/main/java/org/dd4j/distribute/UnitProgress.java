package org.dd4j.distribute;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The driver's one progress bar over a job's units: done of total with the bar's ETA
 * (elapsed / done x left, fit for units of similar size) and "running N, failed M" beside
 * it; a failed attempt that Spark retries counts as failed and runs again. Thread-safe:
 * Spark reports from its listener thread.
 */
public final class UnitProgress implements AutoCloseable {

  private final ProgressBar bar; // null without progress
  private int running;
  private int failed;

  public UnitProgress(String job, int units, boolean show) {
    this.bar = show ? new ProgressBarBuilder().setTaskName(job).setInitialMax(units)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000)
        .setUnit(" units", 1).build() : null;
    message();
  }

  public synchronized void started() {
    running++;
    message();
  }

  public synchronized void finished(boolean success) {
    running = Math.max(0, running - 1);
    if (success) {
      if (bar != null) {
        bar.step();
      }
    } else {
      failed++;
    }
    message();
  }

  /** Failed attempts so far. */
  public synchronized int failed() {
    return failed;
  }

  private void message() {
    if (bar != null) {
      bar.setExtraMessage("running " + running + (failed > 0 ? ", failed " + failed : ""));
    }
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
