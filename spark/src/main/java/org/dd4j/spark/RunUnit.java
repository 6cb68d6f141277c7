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
 */
record RunUnit<R extends Serializable>() implements Function<WorkUnit<R>, R> {

  @Override
  public R call(WorkUnit<R> unit) {
    TaskContext task = TaskContext.get();
    return UnitLogs.run(unit, task.attemptNumber(), Math.max(1, task.cpus()));
  }
}
