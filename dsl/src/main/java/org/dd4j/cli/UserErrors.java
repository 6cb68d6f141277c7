package org.dd4j.cli;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.dd4j.data.DatasetException;
import org.dd4j.storage.TrajectoryFormatException;

/** Which exceptions are the user's to fix, and how to word them. */
final class UserErrors {

  private UserErrors() {}

  static boolean isUserError(Throwable e) {
    return e instanceof IllegalArgumentException || e instanceof DatasetException
        || e instanceof TrajectoryFormatException || e instanceof UncheckedIOException
        || e instanceof NoSuchFileException
        || (e instanceof IllegalStateException && e.getMessage() != null
            && e.getMessage().contains("diverged"));
  }

  static String message(Throwable e) {
    if (e instanceof UncheckedIOException u && u.getCause() != null) {
      return u.getMessage() + " (" + u.getCause() + ")";
    }
    return String.valueOf(e.getMessage());
  }
}
