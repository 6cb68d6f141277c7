package org.dd4j.spark;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.dd4j.distribute.UnitLogs;
import org.dd4j.distribute.WorkUnit;

/**
 * The body of every Spark task: runs one {@link WorkUnit} with the task's cores
 * ({@code spark.task.cpus}) and attempt number, its log in the unit's log file, and turns a
 * failure into "label: message".
 *
 * @param failFirstAttempt test hook: the label of a unit whose first attempt fails at its
 *     first {@link org.dd4j.distribute.UnitContext#checkpoint()} (empty: none)
 */
record RunUnit<R extends Serializable>(String failFirstAttempt)
    implements Function<WorkUnit<R>, R> {

  @Override
  public R call(WorkUnit<R> unit) {
    TaskContext task = TaskContext.get();
    int attempt = task.attemptNumber();
    return UnitLogs.run(unit, attempt, Math.max(1, task.cpus()), () -> {
      if (attempt == 0 && unit.label().equals(failFirstAttempt)) {
        throw new IllegalStateException("test hook spark.dd4j.test.failFirstAttempt: "
            + "first attempt of " + unit.label() + " fails on purpose");
      }
    });
  }
}
