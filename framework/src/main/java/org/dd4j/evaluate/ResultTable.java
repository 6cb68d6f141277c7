package org.dd4j.evaluate;

import java.util.List;
import org.dd4j.Accuracy;

/**
 * The accuracy table of {@link ResultRow}s, as Markdown for files ({@code summary.md}) and as
 * aligned text for the terminal. Both list the rows in the order given.
 */
public final class ResultTable {

  private ResultTable() {}

  /**
   * The table as Markdown: a heading, the protocol, then set | model | ipc | lr | labels |
   * test accuracy | file.
   *
   * @param title the heading (e.g. the experiment's name)
   * @param dataset the dataset whose test split was used
   */
  public static String markdown(String title, String dataset, EvalConfig config,
      List<ResultRow> rows) {
    StringBuilder s = new StringBuilder();
    s.append("# ").append(title).append("\n\n");
    s.append(String.format("Test accuracy on the %s test split, %d networks per row, %d "
        + "epochs each, mean +- std.%n%n", dataset, config.runs(), config.epochs()));
    s.append("| set | model | ipc | lr | labels | test accuracy | file |\n"
        + "|---|---|---|---|---|---|---|\n");
    for (ResultRow r : rows) {
      s.append(String.format("| %s | %s | %d | %.4g | %s | %s | %s |%n", r.set(), r.model(),
          r.ipc(), r.lr(), r.labels(), r.diverged() ? r.accuracy()
              : Accuracy.meanStd(r.result().mean(), r.result().std()),
          r.source() == null ? "-" : "`" + r.source() + "`"));
    }
    return s.toString();
  }

  /**
   * The table as aligned text: a line with the protocol, a header, one line per row.
   *
   * @param testImages the number of test images
   */
  public static String text(String dataset, int testImages, EvalConfig config,
      List<ResultRow> rows) {
    StringBuilder s = new StringBuilder(String.format(
        "evaluation on %s test (%d images), %d epochs, %d networks each%n", dataset,
        testImages, config.epochs(), config.runs()));
    int width = Math.max(34, rows.stream().mapToInt(r -> r.setWithSource().length()).max()
        .orElse(0));
    String line = "  %-" + width + "s %5s  %-18s %10s  %-13s  %s%n";
    s.append(String.format(line, "set", "ipc", "model", "lr", "labels", "test accuracy"));
    for (ResultRow r : rows) {
      s.append(String.format("  %-" + width + "s %5d  %-18s %10.4g  %-13s  %s%n",
          r.setWithSource(), r.ipc(), r.model(), r.lr(), r.labels(), r.accuracy()));
    }
    return s.toString();
  }
}
