package org.dd4j.spark;

import java.io.PrintWriter;
import java.io.Serializable;
import java.util.List;
import org.dd4j.distribute.Engine;
import org.dd4j.distribute.UnitContext;
import org.dd4j.distribute.WorkUnit;

/**
 * A test engine: {@code engine} with the first attempt of the unit labelled {@code label}
 * (e.g. "expert 1") failing at its first {@link UnitContext#checkpoint()}, so that the
 * engine's retry runs it again. Test code only; the units travel to the executors wrapped in
 * {@link Once}, which is on their (test) classpath.
 */
record FailFirstAttempt(Engine engine, String label) implements Engine {

  @Override
  public String describe() {
    return engine.describe();
  }

  @Override
  public boolean distributed() {
    return engine.distributed();
  }

  @Override
  public <R extends Serializable> List<R> run(String job, List<? extends WorkUnit<R>> units) {
    return engine.run(job, units.stream().map(u -> new Once<R>(u, label)).toList());
  }

  @Override
  public void close() {
    engine.close();
  }

  /** {@code unit}, whose attempt 0 fails at its first checkpoint if it is labelled so. */
  record Once<R extends Serializable>(WorkUnit<R> unit, String failing)
      implements WorkUnit<R> {

    @Override
    public String label() {
      return unit.label();
    }

    @Override
    public String logFile() {
      return unit.logFile();
    }

    @Override
    public R run(UnitContext context) throws Exception {
      return unit.run(new UnitContext() {
        @Override
        public int attempt() {
          return context.attempt();
        }

        @Override
        public int cpus() {
          return context.cpus();
        }

        @Override
        public PrintWriter log() {
          return context.log();
        }

        @Override
        public void checkpoint() {
          if (context.attempt() == 0 && unit.label().equals(failing)) {
            throw new IllegalStateException("test: the first attempt of " + failing
                + " fails on purpose");
          }
        }
      });
    }
  }
}
