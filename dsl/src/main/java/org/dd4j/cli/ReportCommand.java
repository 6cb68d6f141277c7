package org.dd4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dd4j.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dd4j report RUN_DIR}: writes report.md and its charts from a run's files. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Write report.md and chart-*.png into a buffer or distillation run "
        + "directory, from the files already there (configuration, metrics.jsonl, "
        + "eval.jsonl, expert files, syn-*.png). dd4j buffer and dd4j distill do this at the "
        + "end of a run; this command does it again, e.g. for an interrupted run."})
final class ReportCommand implements Callable<Integer> {

  @Parameters(paramLabel = "RUN_DIR",
      description = "A buffer directory (manifest.json) or a distillation run directory "
          + "(config.json of dd4j distill).")
  Path dir;

  @Spec CommandSpec command;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    RunReport r = RunReport.write(dir);
    PrintWriter err = command.commandLine().getErr();
    r.warnings().forEach(err::println);
    err.flush();
    out.println(describe(r));
    out.flush();
    return 0;
  }

  /** One line naming the report and its charts, as the run commands print it. */
  static String describe(RunReport r) {
    StringBuilder s = new StringBuilder("report: ").append(r.markdown());
    if (!r.charts().isEmpty()) {
      s.append(" (charts:");
      r.charts().forEach(c -> s.append(' ').append(c.getFileName()));
      s.append(')');
    }
    return s.toString();
  }
}
