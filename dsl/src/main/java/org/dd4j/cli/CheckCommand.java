package org.dd4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dd4j.dsl.ExperimentScripts;
import org.dd4j.dsl.Overrides;
import org.dd4j.experiment.Experiment;
import org.dd4j.experiment.ExperimentRunner;
import org.dd4j.storage.ConfigJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dd4j check FILE.exp.kts...}: compiles and validates scripts without running them. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Compile experiment scripts and validate their settings without running "
        + "anything; prints each resolved configuration with --print.")
public final class CheckCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Experiment scripts.")
  List<Path> scripts;

  @Option(names = {"--set"}, paramLabel = "KEY=VALUE",
      description = "Overrides, as for dd4j run.")
  List<String> set = new ArrayList<>();

  @Option(names = {"--print"}, description = "Print the resolved configuration (JSON).")
  boolean print;

  @Spec CommandSpec command;

  @Override
  public Integer call() {
    var out = command.commandLine().getOut();
    for (Path script : scripts) {
      Experiment e = ExperimentScripts.INSTANCE.load(script, Overrides.INSTANCE.parse(set));
      out.printf("%s: ok (experiment %s)%n", script, e.name());
      if (print) {
        out.print(ConfigJson.text(ExperimentRunner.describe(e)));
      }
      out.flush();
    }
    return 0;
  }
}
