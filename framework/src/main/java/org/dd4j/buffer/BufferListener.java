package org.dd4j.buffer;

/** Typed events of the buffer phase; every method has an empty default. */
public interface BufferListener {

  /** Expert {@code expert} starts: {@code stepsPerEpoch} SGD steps per epoch. */
  default void onExpertStart(int expert, int epochs, int stepsPerEpoch) {}

  /** One SGD step of the current expert finished with this batch loss. */
  default void onStep(int expert, int epoch, int step, double loss) {}

  /** An epoch finished and its snapshot was written. */
  default void onEpoch(EpochResult result) {}

  /** The expert's trajectory file is complete. */
  default void onExpertEnd(int expert, java.nio.file.Path file) {}

  /** Expert {@code expert} was already complete and is skipped. */
  default void onExpertSkipped(int expert) {}
}
