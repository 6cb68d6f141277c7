package org.dd4j.distribute;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens a unit's log file for appending (each attempt appends; a retry follows a failure). */
public final class UnitLogs {

  private UnitLogs() {}

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
