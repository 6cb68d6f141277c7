package org.dd4j.distribute;

import java.io.PrintWriter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs units one after another in this JVM, each with all of {@code threads} cores: what
 * dd4j does without {@code --engine spark}. Stops at the first failure.
 */
public final class LocalEngine implements Engine {

  private final int threads;
  private final PrintWriter log;
  private final boolean progress;

  public LocalEngine(int threads, PrintWriter log, boolean progress) {
    this.threads = threads;
    this.log = log;
    this.progress = progress;
  }

  @Override
  public String describe() {
    return EngineChoice.LOCAL;
  }

  @Override
  public boolean distributed() {
    return false;
  }

  @Override
  public <R extends Serializable> List<R> run(String job, List<? extends WorkUnit<R>> units) {
    List<R> out = new ArrayList<>(units.size());
    try (UnitProgress bar = new UnitProgress(job, units.size(), progress)) {
      for (WorkUnit<R> u : units) {
        bar.started();
        try {
          out.add(UnitLogs.run(u, 0, threads));
          bar.finished(true);
        } catch (UnitFailedException f) {
          bar.finished(false);
          log.println(f.getMessage() + " (log: " + u.logFile() + ")");
          log.flush();
          throw f;
        }
      }
    }
    return out;
  }

  @Override
  public void close() {}
}
