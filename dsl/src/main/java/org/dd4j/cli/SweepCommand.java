package org.dd4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dd4j.dsl.ExperimentScripts;
import org.dd4j.dsl.LoadedScript;
import org.dd4j.dsl.Overrides;
import org.dd4j.dsl.ScriptSource;
import org.dd4j.storage.RunLock;
import org.dd4j.sweep.SweepGrid;
import org.dd4j.sweep.SweepResult;
import org.dd4j.sweep.SweepRunner;
import org.dd4j.sweep.SweepTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dd4j sweep FILE.exp.kts --grid distill.lr_img=100,1000}: a grid of distillations. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = {"Run an experiment script at every point of a grid of settings: the "
        + "buffer once (SWEEP/buffer), then one distillation + evaluation per point "
        + "(SWEEP/point-NN/), and a table ranked by accuracy: SWEEP/sweep.md and "
        + "SWEEP/sweep.jsonl.",
        "The grid is the script's sweep { grid(\"distill.lr_img\", 100, 1000) } block, "
            + "with --grid entries replacing or adding keys. Points run one after another, "
            + "or as Spark tasks with --engine spark; the files are the same.",
        "A point that fails (diverged, or an error) is a failed row of the table; the sweep "
            + "then exits with status 1."})
final class SweepCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The experiment script.")
  Path script;

  @Option(names = {"--grid"}, paramLabel = "KEY=V1,V2",
      description = "A --set key and its values, e.g. --grid distill.lr_img=100,1000 "
          + "--grid distill.syn_steps=10,20 (4 points).")
  List<String> grid = new ArrayList<>();

  @Option(names = {"--set"}, paramLabel = "KEY=VALUE",
      description = "Override a setting at every point, as dd4j run --set.")
  List<String> set = new ArrayList<>();

  @Option(names = {"--out"}, paramLabel = "DIR",
      description = "Sweep directory (default: runs/<experiment name>-sweep).")
  Path out;

  @Option(names = {"--no-progress"}, description = "No progress bars.")
  boolean noProgress;

  @Mixin RuntimeOptions runtime;
  @Mixin EngineOptions engine;
  @Spec CommandSpec command;

  @Override
  public Integer call() {
    PrintWriter log = command.commandLine().getErr();
    Map<String, String> overrides = Overrides.INSTANCE.parse(set);
    LoadedScript loaded = ExperimentScripts.INSTANCE.loadScript(script, overrides);
    SweepGrid g = SweepGrid.of(loaded.getOptions().getGrid(), grid);
    Path dir = out != null ? out : Path.of("runs", loaded.getExperiment().name() + "-sweep");
    List<SweepResult> results;
    try (RunLock lock = RunLock.acquire(dir);
        var units = EngineOptions.create(engine.choice(loaded.getOptions().getEngine()),
            runtime, log, !noProgress)) {
      results = new SweepRunner(units, runtime.sessionOptions(), log, !noProgress)
          .run(ScriptSource.of(script, overrides), loaded.getExperiment(), g, dir);
    }
    PrintWriter stdout = command.commandLine().getOut();
    stdout.print(SweepTable.markdown(loaded.getExperiment().name(), results));
    stdout.printf("sweep directory: %s (%s, %s)%n", dir, SweepTable.MARKDOWN,
        SweepTable.JSONL);
    stdout.flush();
    long failed = results.stream().filter(SweepResult::failed).count();
    if (failed > 0) {
      log.printf("sweep: %d of %d points failed (see the table's last lines and each "
          + "point's task.log)%n", failed, results.size());
      log.flush();
      return 1;
    }
    return 0;
  }
}
