package org.dd4j.dsl

import org.dd4j.models.ModelChoice

/**
 * `--set key=value` overrides, applied to an experiment's builders after the script has set
 * them, so a script can be run at another size without editing it.
 *
 * Keys: `dataset`, `preprocess`, `method` (a [org.dd4j.experiment.MethodPreset]),
 * `model.name|depth|width`, and `<phase>.<setting>` for every
 * setting of `buffer` ([org.dd4j.buffer.BufferSettings]), `distill`
 * ([org.dd4j.distill.DistillConfig.SCHEMA]) and `evaluate`
 * ([org.dd4j.evaluate.EvalConfig.SCHEMA]), snake_case, kebab-case or camelCase, e.g.
 * `distill.syn_steps=10`, `distill.matching=intermediate(weights=linear)`,
 * `buffer.experts=2`, `evaluate.epochs=50`. Values are read by the setting's type, pieces by
 * their registry, exactly as the command line reads them.
 */
object Overrides {

  /**
   * @throws IllegalArgumentException for an unknown key (listing the known ones), a phase the
   *     script does not have, or a value the setting rejects
   */
  fun apply(e: ExperimentBuilder, overrides: Map<String, String>) {
    for ((key, value) in overrides) {
      val parts = key.split('.', limit = 2)
      try {
        when {
          key == "dataset" -> e.dataset = dataset(value, e.dataset.givenPreprocess)
          key == "preprocess" -> e.preprocess = value
          key == "method" -> e.method = method(value)
          parts[0] == "model" && parts.size == 2 -> e.model = model(e.model, parts[1], value, key)
          parts.size == 2 && parts[0] == "buffer" -> phase(e.buffer, key).set(parts[1], value)
          parts.size == 2 && parts[0] == "evaluate" -> phase(e.evaluate, key).set(parts[1], value)
          parts.size == 2 && parts[0] == "distill" -> phase(e.distill, key).parse(parts[1], value)
          else -> throw IllegalArgumentException("unknown key; use dataset, preprocess, method, "
              + "model.<name|depth|width> or <buffer|distill|evaluate>.<setting>")
        }
      } catch (ex: IllegalArgumentException) {
        throw IllegalArgumentException("--set $key=$value: ${ex.message}", ex)
      }
    }
  }

  private fun <T> phase(builder: T?, key: String): T = builder ?: throw IllegalArgumentException(
      "the script has no ${key.substringBefore('.')} { } block to override")

  private fun model(m: ModelChoice, field: String, value: String, key: String): ModelChoice =
      when (field) {
        "name" -> ModelChoice(value, m.depth(), m.width())
        "depth" -> ModelChoice(m.name(), int(value, key), m.width())
        "width" -> ModelChoice(m.name(), m.depth(), int(value, key))
        else -> throw IllegalArgumentException("model has name, depth and width")
      }

  private fun int(value: String, key: String): Int =
      value.toIntOrNull() ?: throw IllegalArgumentException("expected an integer")

  /**
   * Parses `key=value` strings.
   *
   * @throws IllegalArgumentException for an entry without '='
   */
  fun parse(entries: List<String>): Map<String, String> = entries.associate {
    val i = it.indexOf('=')
    require(i > 0) { "--set expects key=value, got '$it'" }
    it.substring(0, i).trim() to it.substring(i + 1).trim()
  }
}
