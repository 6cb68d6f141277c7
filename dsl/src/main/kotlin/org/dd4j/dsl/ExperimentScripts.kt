package org.dd4j.dsl

import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import kotlin.script.experimental.api.EvaluationResult
import kotlin.script.experimental.api.ResultValue
import kotlin.script.experimental.api.ResultWithDiagnostics
import kotlin.script.experimental.api.ScriptDiagnostic
import kotlin.script.experimental.api.ScriptEvaluationConfiguration
import kotlin.script.experimental.api.constructorArgs
import kotlin.script.experimental.host.ScriptingHostConfiguration
import kotlin.script.experimental.host.toScriptSource
import kotlin.script.experimental.jvm.compilationCache
import kotlin.script.experimental.jvm.defaultJvmScriptingHostConfiguration
import kotlin.script.experimental.jvm.jvm
import kotlin.script.experimental.jvmhost.BasicJvmScriptingHost
import kotlin.script.experimental.jvmhost.CompiledScriptJarsCache
import kotlin.script.experimental.jvmhost.createJvmCompilationConfigurationFromTemplate
import org.dd4j.Dd4jVersion
import org.dd4j.data.CacheDir
import org.dd4j.experiment.Experiment

/**
 * A mistake in an experiment script: a compile error, an invalid setting, or an exception
 * thrown while the script ran. [message] holds one `file:line:column: message` line per
 * diagnostic.
 */
class ScriptException(message: String, cause: Throwable? = null) :
    IllegalArgumentException(message, cause)

/**
 * Compiles and evaluates `.exp.kts` files with the Kotlin scripting host.
 *
 * Compiled scripts are cached as jars (the host's [CompiledScriptJarsCache]) under
 * `$DD4J_CACHE/scripts` (default `~/.cache/dd4j/scripts`), keyed by the script's text and the
 * dd4j build, so a second run of an unchanged script skips the compiler.
 */
object ExperimentScripts {

  /**
   * Compiles (or takes from the cache) and runs [file], which must describe exactly one
   * experiment.
   *
   * @param overrides `--set key=value` pairs (see [Overrides])
   * @throws ScriptException for a missing file, compile errors, an invalid setting or an
   *     exception in the script, with file:line:column
   */
  fun load(file: Path, overrides: Map<String, String> = emptyMap()): Experiment =
      loadScript(file, overrides).experiment

  /** As [load], with the script's `engine = ...` and `sweep { }` choices. */
  fun loadScript(file: Path, overrides: Map<String, String> = emptyMap()): LoadedScript {
    if (!Files.isRegularFile(file)) {
      throw ScriptException("$file: no such script file")
    }
    if (!file.fileName.toString().endsWith(".exp.kts")) {
      throw ScriptException("$file: experiment scripts end in .exp.kts")
    }
    val host = BasicJvmScriptingHost(hostConfiguration())
    val compilation = createJvmCompilationConfigurationFromTemplate<ExperimentScript>(
        hostConfiguration())
    val evaluation = ScriptEvaluationConfiguration { constructorArgs(overrides) }
    val result = host.eval(file.toFile().toScriptSource(), compilation, evaluation)
    val where = file.toString()
    val value = when (result) {
      is ResultWithDiagnostics.Success -> result.value
      is ResultWithDiagnostics.Failure -> throw ScriptException(format(where, result.reports))
    }
    val instance = scriptInstance(where, value)
    return when (instance.experiments.size) {
      1 -> LoadedScript(instance.experiments[0], instance.options[0])
      0 -> throw ScriptException("$where: the script describes no experiment; add "
          + "experiment(\"name\") { ... }")
      else -> throw ScriptException("$where: the script describes "
          + "${instance.experiments.size} experiments (${instance.experiments.joinToString { it.name() }}); "
          + "put each in its own file")
    }
  }

  private fun scriptInstance(where: String, value: EvaluationResult): ExperimentScript {
    when (val rv = value.returnValue) {
      is ResultValue.Error -> {
        val e = rv.error
        val scriptClass = rv.scriptClass?.qualifiedName
        val frame = e.stackTrace.firstOrNull { scriptClass != null && it.className.startsWith(scriptClass) }
        val line = frame?.lineNumber?.takeIf { it > 0 }
        val what = if (e is IllegalArgumentException || e is IllegalStateException) e.message
            else "${e.javaClass.simpleName}: ${e.message}"
        throw ScriptException(if (line != null) "$where:$line: $what" else "$where: $what", e)
      }
      is ResultValue.NotEvaluated -> throw ScriptException("$where: the script was not run")
      else -> return rv.scriptInstance as? ExperimentScript
          ?: throw ScriptException("$where: not an experiment script")
    }
  }

  /** One `file:line:column: severity: message` line per error or warning. */
  internal fun format(where: String, reports: List<ScriptDiagnostic>): String {
    val shown = reports.filter { it.severity >= ScriptDiagnostic.Severity.WARNING }
    val lines = shown.map { d ->
      val loc = d.location?.start
      val path = d.sourcePath ?: where
      val pos = if (loc != null) "$path:${loc.line}:${loc.col}" else path
      val severity = d.severity.name.lowercase()
      val cause = d.exception?.let { " (${it.javaClass.simpleName}: ${it.message})" } ?: ""
      "$pos: $severity: ${d.message}$cause"
    }
    return if (lines.isEmpty()) "$where: the script failed to compile" else lines.joinToString("\n")
  }

  private fun hostConfiguration() = ScriptingHostConfiguration(defaultJvmScriptingHostConfiguration) {
    jvm {
      compilationCache(CompiledScriptJarsCache { source, _ ->
        val dir = cacheDir()
        Files.createDirectories(dir)
        dir.resolve(key(source.text) + ".jar").toFile()
      })
    }
  }

  /** `scripts` in dd4j's cache ([CacheDir]: `$DD4J_CACHE`, else `~/.cache/dd4j`). */
  fun cacheDir(): Path = CacheDir.resolve().resolve("scripts")

  /** SHA-256 of the script text, the dd4j version and the DSL build (jar size and time). */
  internal fun key(text: String): String {
    val build = runCatching {
      val location = File(ExperimentScript::class.java.protectionDomain.codeSource.location.toURI())
      val f = if (location.isDirectory) location.resolve("org/dd4j/dsl/ExperimentScript.class")
          else location
      "${f.length()}-${f.lastModified()}"
    }.getOrDefault("unknown")
    val digest = MessageDigest.getInstance("SHA-256")
        .digest("$text\u0000${Dd4jVersion.VERSION}\u0000$build".toByteArray())
    return digest.joinToString("") { "%02x".format(it) }.take(32)
  }
}
