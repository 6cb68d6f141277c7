package org.dd4j.train;

/**
 * Expert training stopped on a non-finite loss. The message gives the step, the learning
 * rate and what to change (the data, or a lower lr_teacher).
 */
public final class NetworkDivergedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public NetworkDivergedException(String message) {
    super(message);
  }
}
