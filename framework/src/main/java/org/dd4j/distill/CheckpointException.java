package org.dd4j.distill;

/**
 * A checkpoint file that cannot be resumed from: not a checkpoint, of another format
 * version, truncated, corrupt, or written with other settings. The message names the file
 * and what is wrong.
 */
public final class CheckpointException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }
}
