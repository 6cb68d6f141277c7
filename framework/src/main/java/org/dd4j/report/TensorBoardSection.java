package org.dd4j.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dd4j.monitor.EventFiles;
import org.dd4j.storage.AtomicFiles;
import org.dd4j.storage.RunLayout;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * The "TensorBoard" section of a run's report: where its event files are, how to open them,
 * and each tag with its number of points and step range, read back by {@link EventFiles}. A
 * truncated or corrupt event file is read as far as it is intact and gives a one-line
 * warning; it never stops the report.
 *
 * @param markdown the section, empty when the run has no event files
 * @param warnings one line per damaged event file
 */
public record TensorBoardSection(String markdown, List<String> warnings) {

  /** The section of the run directory {@code dir} (its {@code tensorboard/}). */
  public static TensorBoardSection of(Path dir) {
    Path tb = dir.resolve(RunLayout.TENSORBOARD);
    List<EventFiles.Read> reads = EventFiles.readAll(tb);
    List<String> warnings = new ArrayList<>();
    if (reads.isEmpty()) {
      return new TensorBoardSection("", warnings);
    }
    Map<String, long[]> tags = new TreeMap<>(); // tag -> {points, first step, last step}
    for (EventFiles.Read r : reads) {
      r.warning().ifPresent(warnings::add);
      for (Event e : r.events()) {
        for (Summary.Value v : e.getSummary().getValueList()) {
          long[] t = tags.computeIfAbsent(v.getTag(),
              k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
          t[0]++;
          t[1] = Math.min(t[1], e.getStep());
          t[2] = Math.max(t[2], e.getStep());
        }
      }
    }
    StringBuilder md = new StringBuilder("\n## TensorBoard\n\n");
    md.append(String.format("%d event files in `%s/` (`tensorboard --logdir %s`)%s.%n%n",
        reads.size(), RunLayout.TENSORBOARD, tb, warnings.isEmpty() ? ""
            : ", " + warnings.size() + " damaged (read as far as intact)"));
    md.append("| tag | points | steps |\n|---|---|---|\n");
    tags.forEach((tag, t) -> md.append(String.format("| %s | %d | %d..%d |%n", tag, t[0],
        t[1], t[2])));
    return new TensorBoardSection(md.toString(), warnings);
  }

  /** Appends the section of {@code dir} to its written report; returns the warnings. */
  static List<String> appendTo(Path report, Path dir) {
    TensorBoardSection s = of(dir);
    if (!s.markdown().isEmpty()) {
      try {
        AtomicFiles.writeString(report, Files.readString(report) + s.markdown());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + report, e);
      }
    }
    return s.warnings();
  }
}
