package org.dd4j.data;

import java.nio.file.Path;

/**
 * A dataset could not be read: a file or directory is missing, malformed, truncated or
 * inconsistent. The message names the file and says what was expected and what was found.
 */
public class DatasetException extends RuntimeException {

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }

  /** "{file}: {expected}, found {found}" — the common shape of a format error. */
  static DatasetException mismatch(Path file, String expected, String found) {
    return new DatasetException(file + ": expected " + expected + ", found " + found);
  }
}
