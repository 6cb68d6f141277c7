package org.dd4j.dsl

import kotlin.script.experimental.annotations.KotlinScript
import kotlin.script.experimental.api.ScriptAcceptedLocation
import kotlin.script.experimental.api.ScriptCompilationConfiguration
import kotlin.script.experimental.api.acceptedLocations
import kotlin.script.experimental.api.defaultImports
import kotlin.script.experimental.api.ide
import kotlin.script.experimental.jvm.dependenciesFromCurrentContext
import kotlin.script.experimental.jvm.jvm
import org.dd4j.experiment.Experiment

/**
 * The script type of `.exp.kts` experiment files. A script describes one experiment with
 * [experiment]; it trains nothing itself: `dd4j run` hands the resulting [Experiment] to the
 * Java core ([org.dd4j.experiment.ExperimentRunner]).
 *
 * Everything in `org.dd4j.dsl` is imported by default, so a script needs no import lines for
 * the DSL; TensorFlow's `Ops` and dd4j's `Params` are imported too, for matching losses
 * written in the script.
 *
 * @param overrides `--set key=value` pairs from the command line, applied to the experiment
 *     after the script's own settings (see [Overrides])
 */
@KotlinScript(
    displayName = "dd4j experiment",
    fileExtension = "exp.kts",
    compilationConfiguration = ExperimentScriptCompilation::class,
)
abstract class ExperimentScript(private val overrides: Map<String, String>) {

  internal val experiments = mutableListOf<Experiment>()
  internal val options = mutableListOf<ScriptOptions>()

  /**
   * Describes the experiment: dataset, model and the phases to run.
   *
   * @param name names the run directory (`runs/<name>` unless `--out` says otherwise)
   * @throws IllegalArgumentException naming the field, the value and what is allowed, for an
   *     invalid setting (e.g. `ipc = 0`) or override
   */
  fun experiment(name: String, block: ExperimentBuilder.() -> Unit): Experiment {
    val builder = ExperimentBuilder(name)
    builder.block()
    Overrides.apply(builder, overrides)
    val e = builder.build()
    experiments += e
    options += ScriptOptions(builder.engine, builder.sweep?.grid() ?: emptyMap())
    return e
  }
}

/** How `.exp.kts` files compile: default imports and the host's classpath. */
object ExperimentScriptCompilation : ScriptCompilationConfiguration({
  defaultImports(
      "org.dd4j.dsl.*",
      "org.dd4j.schedule.Schedule",
      "org.dd4j.models.Params",
      "org.dd4j.distill.Matching",
      "org.dd4j.distill.RegularizerInputs",
      "org.tensorflow.op.Ops",
      "org.tensorflow.Operand",
      "org.tensorflow.types.TFloat32",
  )
  jvm { dependenciesFromCurrentContext(wholeClasspath = true) }
  ide { acceptedLocations(ScriptAcceptedLocation.Everywhere) }
}) {
  private fun readResolve(): Any = ExperimentScriptCompilation
}
