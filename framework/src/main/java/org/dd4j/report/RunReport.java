package org.dd4j.report;

import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dd4j.storage.RunLayout;

/**
 * The report of a run directory: {@value #REPORT_FILE} (configuration, results table, timing,
 * the charts and images inline) and {@code chart-*.png} beside it, written only from the files
 * already in the directory, so that {@code dd4j report DIR} can regenerate it at any time.
 *
 * <p>A directory with {@code manifest.json} is a buffer ({@link BufferReport}); one whose
 * {@code config.json} says {@code "command": "distill"} is a distillation run ({@link
 * DistillReport}).
 *
 * @param kind what the directory holds
 * @param markdown the written {@value #REPORT_FILE}
 * @param charts the PNG charts written this time, in the order the report shows them
 * @param warnings one line per damaged input that was read only in part (an event file)
 */
public record RunReport(Kind kind, Path markdown, List<Path> charts, List<String> warnings) {

  /** The report's file name in the run directory. */
  public static final String REPORT_FILE = RunLayout.REPORT;

  /** What a run directory holds. */
  public enum Kind {
    /** Expert trajectories from {@code dd4j buffer}. */
    BUFFER,
    /** A synthetic set from {@code dd4j distill}. */
    DISTILL
  }

  public RunReport {
    checkNotNull(kind, "kind");
    checkNotNull(markdown, "markdown");
    charts = List.copyOf(charts);
    warnings = List.copyOf(warnings);
  }

  /** A report without warnings. */
  public RunReport(Kind kind, Path markdown, List<Path> charts) {
    this(kind, markdown, charts, List.of());
  }

  /**
   * Writes the report of {@code dir}, buffer or distillation run (see {@link #detect}).
   *
   * @throws IllegalArgumentException naming {@code dir} and what was expected if it is not a
   *     run directory, or naming the file (and line) if a file in it is corrupt
   * @throws java.io.UncheckedIOException if a file cannot be read or the report written
   */
  public static RunReport write(Path dir) {
    RunReport r = switch (detect(dir)) {
      case BUFFER -> BufferReport.write(dir);
      case DISTILL -> DistillReport.write(dir);
    };
    return new RunReport(r.kind(), r.markdown(), r.charts(),
        TensorBoardSection.appendTo(r.markdown(), dir));
  }

  /**
   * What {@code dir} holds: {@link Kind#BUFFER} if it has {@code manifest.json}, {@link
   * Kind#DISTILL} if its {@code config.json} has {@code "command": "distill"}.
   *
   * @throws IllegalArgumentException naming {@code dir} and what was expected otherwise
   */
  public static Kind detect(Path dir) {
    checkNotNull(dir, "dir");
    String expected = "expected a buffer directory (manifest.json, from dd4j buffer) or a "
        + "distillation run directory (config.json with \"command\": \"distill\", from dd4j "
        + "distill)";
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is not a directory; " + expected);
    }
    if (Files.isRegularFile(new RunLayout.Buffer(dir).manifest())) {
      return Kind.BUFFER;
    }
    Path config = new RunLayout.Distill(dir).config();
    if (Files.isRegularFile(config)) {
      JsonNode c = RunFiles.readObject(config);
      String command = c.path("command").asText("");
      if (command.equals("distill")) {
        return Kind.DISTILL;
      }
      throw new IllegalArgumentException(String.format("%s is not a run directory: its "
          + "config.json has \"command\": \"%s\"%s; %s", dir, command,
          command.equals("buffer") ? " but there is no manifest.json" : "", expected));
    }
    throw new IllegalArgumentException(dir + " is not a run directory (no manifest.json or "
        + "config.json); " + expected);
  }
}
