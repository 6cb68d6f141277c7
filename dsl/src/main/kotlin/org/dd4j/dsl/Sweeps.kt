package org.dd4j.dsl

import org.dd4j.distribute.EngineChoice
import org.dd4j.experiment.Experiment

/** Units run in this process, one after another (the default). */
fun local(): EngineChoice = EngineChoice.local()

/**
 * Units run as Apache Spark tasks: [master] `local[*]` (embedded, all cores), `local[N]`,
 * `local[N,F]` (F attempts per task) or `spark://host:7077` (a standalone cluster). Needs the
 * dd4j-spark module on the classpath (`./dd4j` adds it when it was built).
 */
fun spark(master: String = EngineChoice.DEFAULT_MASTER): EngineChoice =
    EngineChoice("spark", master)

/**
 * `sweep { grid("distill.lr_img", 100, 1000); grid("distill.syn_steps", 10, 20) }`: the
 * settings `dd4j sweep` varies, each key a `--set` key ([Overrides]) and each point of the
 * grid (every combination) one distillation + evaluation sharing the experiment's buffer.
 * `--grid key=v1,v2` on the command line replaces a key's values or adds a key.
 */
@Dd4jDsl
class SweepBuilder internal constructor() {
  private val grid = LinkedHashMap<String, List<String>>()

  /** The values of [key] (a `--set` key such as `distill.lr_img`), in this order. */
  fun grid(key: String, vararg values: Any) {
    require(values.isNotEmpty()) { "grid(\"$key\") needs at least one value" }
    grid[key] = values.map { it.toString() }
  }

  internal fun grid(): Map<String, List<String>> = LinkedHashMap(grid)
}

/** What a script chose besides its experiment: where units run and the sweep grid. */
data class ScriptOptions(val engine: EngineChoice?, val grid: Map<String, List<String>>)

/** A loaded script: its experiment and [ScriptOptions]. */
data class LoadedScript(val experiment: Experiment, val options: ScriptOptions)
