package org.dd4j.buffer;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.PrintWriter;
import org.dd4j.Accuracy;

/**
 * A {@link BufferListener} that prints one line per finished epoch (lr, train loss and
 * accuracy, test accuracy, seconds, images/s) and one per expert that was already complete
 * and is reused; used by {@code dd4j buffer} and by the buffer phase of {@code dd4j run}.
 */
public final class EpochLog implements BufferListener {

  private final PrintWriter log;
  private final int epochs;

  /** @param epochs T, printed as "epoch t/T" */
  public EpochLog(PrintWriter log, int epochs) {
    this.log = checkNotNull(log, "log");
    this.epochs = epochs;
  }

  @Override
  public void onEpoch(EpochResult r) {
    log.printf("expert %d epoch %d/%d: lr %.4g train loss %.4f acc %s%%, test acc %s%% "
            + "(%.1f s, %.0f images/s)%n", r.expert(), r.epoch(), epochs, r.lr(), r.trainLoss(),
        Accuracy.percent(r.trainAccuracy()), Accuracy.percent(r.testAccuracy()), r.seconds(),
        r.imagesPerSecond());
    log.flush();
  }

  @Override
  public void onExpertSkipped(int expert) {
    log.printf("expert %d already complete, reused%n", expert);
    log.flush();
  }
}
