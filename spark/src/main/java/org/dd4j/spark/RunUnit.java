package org.dd4j.spark;

import java.io.PrintWriter;
import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.dd4j.distribute.UnitContext;
import org.dd4j.distribute.UnitLogs;
import org.dd4j.distribute.WorkUnit;

/**
 * The body of every Spark task: runs one {@link WorkUnit} with the task's cores
 * ({@code spark.task.cpus}) and attempt number, its log in the unit's log file, and turns a
 * failure into "label: message".
 *
 * @param failFirstAttempt test hook: the label of a unit whose first attempt fails at its
 *     first {@link UnitContext#checkpoint()} (empty: none)
 */
record RunUnit<R extends Serializable>(String failFirstAttempt)
    implements Function<WorkUnit<R>, R> {

  @Override
  public R call(WorkUnit<R> unit) {
    TaskContext task = TaskContext.get();
    int attempt = task.attemptNumber();
    int cpus = Math.max(1, task.cpus());
    PrintWriter log = UnitLogs.open(unit, attempt);
    try {
      return unit.run(new UnitContext() {
        @Override
        public int attempt() {
          return attempt;
        }

        @Override
        public int cpus() {
          return cpus;
        }

        @Override
        public PrintWriter log() {
          return log;
        }

        @Override
        public void checkpoint() {
          if (attempt == 0 && unit.label().equals(failFirstAttempt)) {
            throw new IllegalStateException("test hook spark.dd4j.test.failFirstAttempt: "
                + "first attempt of " + unit.label() + " fails on purpose");
          }
        }
      });
    } catch (Exception | Error e) {
      throw UnitLogs.failed(unit, log, e); // before the log closes
    } finally {
      log.close();
    }
  }
}
