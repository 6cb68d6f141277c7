package org.dd4j.dsl

import kotlin.reflect.KClass
import kotlin.reflect.KMutableProperty1
import kotlin.reflect.full.memberProperties
import org.dd4j.experiment.ModelChoice

/**
 * `--set key=value` overrides, applied to an experiment's builders after the script has set
 * them, so a script can be run at another size without editing it.
 *
 * Keys: `dataset`, `preprocess`, `model.name|depth|width`, and `<phase>.<setting>` for the
 * simple settings of `buffer`, `distill` and `evaluate` (e.g. `distill.ipc=1`,
 * `distill.syn_steps=10`, `buffer.experts=2`, `evaluate.epochs=50`); snake_case and
 * camelCase both work. Values are parsed as the setting's type (Int, Long, Double, Boolean,
 * String).
 */
object Overrides {

  /**
   * @throws IllegalArgumentException for an unknown key (listing the known ones), a phase the
   *     script does not have, or a value of the wrong type
   */
  fun apply(e: ExperimentBuilder, overrides: Map<String, String>) {
    for ((key, value) in overrides) {
      val parts = key.split('.', limit = 2)
      when {
        key == "dataset" -> e.dataset = dataset(value, e.dataset.defaultPreprocess)
        key == "preprocess" -> e.preprocess = value
        parts[0] == "model" && parts.size == 2 -> e.model = model(e.model, parts[1], value, key)
        parts.size == 2 && parts[0] in PHASES -> {
          val target: Any = when (parts[0]) {
            "buffer" -> e.buffer
            "distill" -> e.distill
            else -> e.evaluate
          } ?: throw IllegalArgumentException(
              "--set $key: the script has no ${parts[0]} { } block to override")
          set(target, camel(parts[1]), value, key)
        }
        else -> throw IllegalArgumentException("--set $key: unknown key; use dataset, "
            + "preprocess, model.<name|depth|width> or <buffer|distill|evaluate>.<setting>")
      }
    }
  }

  private val PHASES = setOf("buffer", "distill", "evaluate")

  private fun model(m: ModelChoice, field: String, value: String, key: String): ModelChoice =
      when (field) {
        "name" -> ModelChoice(value, m.depth(), m.width())
        "depth" -> ModelChoice(m.name(), int(value, key), m.width())
        "width" -> ModelChoice(m.name(), m.depth(), int(value, key))
        else -> throw IllegalArgumentException("--set $key: model has name, depth and width")
      }

  private fun camel(s: String): String =
      s.split('_', '-').mapIndexed { i, p -> if (i == 0) p else p.replaceFirstChar { it.uppercase() } }
          .joinToString("")

  @Suppress("UNCHECKED_CAST")
  private fun set(target: Any, name: String, value: String, key: String) {
    val props = (target::class as KClass<Any>).memberProperties
        .filterIsInstance<KMutableProperty1<Any, Any?>>()
        .filter { it.returnType.classifier in SIMPLE }
    val p = props.find { it.name == name } ?: throw IllegalArgumentException(
        "--set $key: no such setting; ${key.substringBefore('.')} has "
            + props.map { it.name }.sorted().joinToString(", "))
    val parsed: Any = when (p.returnType.classifier) {
      Int::class -> int(value, key)
      Long::class -> value.toLongOrNull() ?: bad(key, value, "an integer")
      Double::class -> value.toDoubleOrNull() ?: bad(key, value, "a number")
      Boolean::class -> value.toBooleanStrictOrNull() ?: bad(key, value, "true or false")
      else -> value
    }
    p.set(target, parsed)
  }

  private val SIMPLE = setOf(Int::class, Long::class, Double::class, Boolean::class, String::class)

  private fun int(value: String, key: String): Int = value.toIntOrNull() ?: bad(key, value, "an integer")

  private fun bad(key: String, value: String, expected: String): Nothing =
      throw IllegalArgumentException("--set $key=$value: expected $expected")

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
