package org.dd4j.cli;

import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.List;
import org.dd4j.data.DatasetException;
import org.dd4j.distill.CheckpointException;
import org.dd4j.distill.DistillationDivergedException;
import org.dd4j.distribute.UnitFailedException;
import org.dd4j.dsl.ScriptException;
import org.dd4j.storage.RunLockedException;
import org.dd4j.storage.SyntheticSetFormatException;
import org.dd4j.storage.TrajectoryFormatException;
import org.dd4j.train.NetworkDivergedException;

/**
 * Which exceptions are the user's to fix, and how to word them. This is the one place that
 * maps them: {@link Dd4j} prints a user error as one line naming the file (exit code 2), any
 * other exception with its stack trace (exit code 1).
 */
final class UserErrors {

  /**
   * Mistakes in the input, subclasses included: bad values, and every format and dataset
   * error (their messages name the file, what is wrong and what to do).
   */
  static final List<Class<? extends Throwable>> TYPES = List.of(
      IllegalArgumentException.class, // bad option values and settings
      TrajectoryFormatException.class, // expert .arrow files, buffer manifests
      SyntheticSetFormatException.class, // syn-*.arrow files
      org.dd4j.interop.TorchFormatException.class, // PyTorch .pt files (dd4j import/evaluate)
      CheckpointException.class, // checkpoint.bin
      DatasetException.class, // IDX, CIFAR binary, image folders and archives
      ScriptException.class, // .exp.kts compile errors, invalid settings in a script
      DistillationDivergedException.class, // says which settings to lower
      NetworkDivergedException.class, // likewise
      UncheckedIOException.class, // a file that cannot be read or written
      UnitFailedException.class, // "expert 17: ...", the unit's log has the stack trace
      RunLockedException.class, // another dd4j run writes the directory
      FileSystemException.class); // NoSuchFileException, AccessDeniedException, ...

  private UserErrors() {}

  static boolean isUserError(Throwable e) {
    return TYPES.stream().anyMatch(t -> t.isInstance(e));
  }

  /** The message on one line: a line break inside a message (e.g. from Arrow) becomes "; ". */
  static String message(Throwable e) {
    String m = String.valueOf(e.getMessage());
    if (e instanceof UncheckedIOException u && u.getCause() != null) {
      m = m + " (" + u.getCause() + ")";
    }
    // several diagnostics of one script stay one per line, each naming file:line:column
    return e instanceof ScriptException ? m : m.replaceAll("\\s*\\R\\s*", "; ");
  }
}
