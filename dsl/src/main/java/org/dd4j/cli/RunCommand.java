package org.dd4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.dd4j.dsl.ExperimentScripts;
import org.dd4j.dsl.LoadedScript;
import org.dd4j.dsl.ScriptSource;
import org.dd4j.dsl.Overrides;
import org.dd4j.experiment.Experiment;
import org.dd4j.experiment.ExperimentRunner;
import org.dd4j.experiment.Phase;
import org.dd4j.storage.ExperimentRecord;
import org.dd4j.storage.RunLayout;
import org.dd4j.storage.RunLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dd4j run FILE.exp.kts}: compiles an experiment script and runs its phases. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Compile an experiment script (.exp.kts) and run its phases: buffer, "
        + "distill, evaluate.",
        "Outputs go to one run directory (default runs/<experiment name>): experiment.json "
            + "(the resolved configuration), buffer/ (as dd4j buffer writes it) and distill/ "
            + "(as dd4j distill writes it, with eval.jsonl, summary.md and report.md).",
        "Phases whose outputs already exist are reused when their recorded settings "
            + "(config.json) equal the script's: complete experts are kept, a finished "
            + "distillation is reused and an interrupted one resumed. A phase whose settings "
            + "changed stops the run, naming them; --force PHASE redoes it."})
public final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The experiment script.")
  Path script;

  @Option(names = {"--only"}, paramLabel = "PHASE", split = ",",
      description = "Run only these phases (buffer, distill, evaluate); the others' outputs "
          + "must exist when needed.")
  List<String> only = new ArrayList<>();

  @Option(names = {"--set"}, paramLabel = "KEY=VALUE",
      description = "Override a setting after the script's own, e.g. --set distill.ipc=1 "
          + "--set buffer.experts=2 --set evaluate.epochs=50 --set model.width=32.")
  List<String> set = new ArrayList<>();

  @Option(names = {"--out"}, paramLabel = "DIR",
      description = "Run directory (default: runs/<experiment name>).")
  Path out;

  @Option(names = {"--no-progress"}, description = "No progress bars.")
  boolean noProgress;

  @Option(names = {"--force"}, paramLabel = "PHASE", split = ",",
      description = "Delete this phase's outputs (buffer, distill) and redo it, with the "
          + "phases that use it, e.g. after changing its settings.")
  List<String> force = new ArrayList<>();

  @Mixin RuntimeOptions runtime;
  @Mixin EngineOptions engine;
  @Spec CommandSpec command;

  @Override
  public Integer call() {
    PrintWriter log = command.commandLine().getErr();
    PrintWriter stdout = command.commandLine().getOut();
    Map<String, String> overrides = Overrides.INSTANCE.parse(set);
    Set<Phase> phases = EnumSet.noneOf(Phase.class);
    only.forEach(p -> phases.add(Phase.named(p.trim())));
    Set<Phase> redo = EnumSet.noneOf(Phase.class);
    force.forEach(p -> redo.add(Phase.named(p.trim())));
    long t0 = System.nanoTime();
    LoadedScript loaded = ExperimentScripts.INSTANCE.loadScript(script, overrides);
    Experiment e = loaded.getExperiment();
    log.printf("%s: experiment %s (script ready in %.1f s)%n", script, e.name(),
        (System.nanoTime() - t0) / 1e9);
    log.flush();
    Path dir = out != null ? out : Path.of("runs", e.name());
    ExperimentRecord record = ExperimentRecord.run(
        script.toAbsolutePath().normalize().toString(), overrides, ExperimentRunner.describe(e));
    ExperimentRunner.Outcome outcome;
    try (RunLock lock = RunLock.acquire(dir);
        var units = EngineOptions.create(engine.choice(loaded.getOptions().getEngine()),
            runtime, log, !noProgress)) {
      outcome = new ExperimentRunner(runtime.sessionOptions(), log)
          .withEngine(units, ScriptSource.of(script, overrides))
          .run(e, RunLayout.experiment(dir), new ExperimentRunner.Options(phases, redo,
              ExperimentRunner.Existing.REUSE_IF_UNCHANGED, !noProgress), record.toMap());
    }
    if (!outcome.rows().isEmpty()) {
      stdout.println(outcome.markdown());
    }
    stdout.printf("run directory: %s%n", dir);
    stdout.flush();
    return 0;
  }
}
