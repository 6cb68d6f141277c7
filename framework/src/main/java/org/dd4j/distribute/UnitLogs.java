package org.dd4j.distribute;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A unit's log file, and one attempt of a unit run with it: what every {@link Engine} does
 * with a unit once it has decided where the unit runs. Each attempt appends to the log, so a
 * retry follows the failure before it.
 */
public final class UnitLogs {

  private UnitLogs() {}

  /**
   * Runs one attempt of {@code unit} with its log open, and closes the log.
   *
   * @param attempt 0 for the first attempt
   * @param cpus the cores the unit may use ({@link UnitContext#cpus()})
   * @throws UnitFailedException "label: message" for any failure of the unit, also written
   *     to its log
   */
  public static <R extends Serializable> R run(WorkUnit<R> unit, int attempt, int cpus) {
    PrintWriter log = open(unit, attempt);
    try {
      return unit.run(new UnitContext() {
        @Override
        public int attempt() {
          return attempt;
        }

        @Override
        public int cpus() {
          return cpus;
        }

        @Override
        public PrintWriter log() {
          return log;
        }
      });
    } catch (Exception | Error e) {
      throw failed(unit, log, e); // before the log closes
    } finally {
      log.close();
    }
  }

  /** The log of {@code unit}, its directory created; attempt {@code attempt} is noted. */
  public static PrintWriter open(WorkUnit<?> unit, int attempt) {
    Path file = Path.of(unit.logFile());
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
      w.printf("--- %s, attempt %d%n", unit.label(), attempt);
      return w;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the log " + file, e);
    }
  }

  /** Writes {@code t} to the log and returns it as the user reads it. */
  public static UnitFailedException failed(WorkUnit<?> unit, PrintWriter log, Throwable t) {
    if (log != null) {
      log.println("failed: " + t);
      t.printStackTrace(log);
      log.flush();
    }
    return t instanceof UnitFailedException u ? u
        : new UnitFailedException(unit.label(), UnitFailedException.describe(t), t);
  }
}
