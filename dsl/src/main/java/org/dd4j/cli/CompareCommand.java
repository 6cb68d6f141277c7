package org.dd4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.dd4j.report.RunComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dd4j compare RUN_DIR...}: runs side by side, from their files ({@link RunComparison}). */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Put distillation runs side by side: one row per run with the settings "
        + "that differ between them (from config.json), the final accuracy mean +- std per "
        + "set and architecture (eval.jsonl), the last syn_lr, the iterations done and their "
        + "seconds (metrics.jsonl). Prints the Markdown table (or JSON Lines with --jsonl); "
        + "with --out also writes compare.md, compare.jsonl and chart-compare.png (matching "
        + "loss and syn_lr per iteration, one line per run)."})
final class CompareCommand implements Callable<Integer> {

  @Parameters(paramLabel = "RUN_DIR", arity = "1..*",
      description = "Distillation directories (dd4j distill --out), experiment directories "
          + "(dd4j run --out, with distill/) or sweep points (point-NN).")
  List<Path> dirs;

  @Option(names = "--jsonl", description = "Print JSON Lines (one object per run) instead of "
      + "the Markdown table.")
  boolean jsonl;

  @Option(names = "--out", paramLabel = "DIR", description = "Also write compare.md, "
      + "compare.jsonl and chart-compare.png into DIR.")
  Path out;

  @Spec CommandSpec command;

  @Override
  public Integer call() {
    RunComparison c = RunComparison.of(dirs);
    PrintWriter err = command.commandLine().getErr();
    c.warnings().forEach(err::println);
    err.flush();
    PrintWriter o = command.commandLine().getOut();
    o.print(jsonl ? c.jsonLines() : c.markdown());
    if (out != null) {
      o.println("wrote " + c.write(out));
    }
    o.flush();
    return 0;
  }
}
