package org.dd4j.cli;

import java.io.PrintWriter;
import org.dd4j.distribute.Engine;
import org.dd4j.distribute.EngineChoice;
import picocli.CommandLine.Option;

/** {@code --engine local|spark} and {@code --master URL}, for the commands with many units. */
final class EngineOptions {

  @Option(names = {"--engine"}, paramLabel = "NAME",
      description = "Where independent units (experts, evaluation networks, sweep points) run: local (this "
          + "process, one after another; the default) or spark (one Spark task each; needs "
          + "the dd4j-spark module, which ./dd4j adds when it was built).")
  String engine;

  @Option(names = {"--master"}, paramLabel = "URL",
      description = "Spark master of --engine spark: local[*] (embedded, all cores; the "
          + "default), local[N], local[N,F] (F attempts per task) or spark://HOST:7077.")
  String master;

  /** The command line's choice, else the script's, else local. */
  EngineChoice choice(EngineChoice fromScript) {
    if (engine == null && master == null) {
      return fromScript != null ? fromScript : EngineChoice.local();
    }
    String name = engine != null ? engine
        : fromScript != null && !fromScript.isLocal() ? fromScript.name() : "spark";
    String url = master != null ? master : fromScript != null ? fromScript.master() : null;
    return new EngineChoice(name, url);
  }

  static Engine create(EngineChoice choice, RuntimeOptions runtime, PrintWriter log,
      boolean progress) {
    return Engine.create(choice, runtime.sessionOptions().intraOpThreads(), log, progress);
  }
}
