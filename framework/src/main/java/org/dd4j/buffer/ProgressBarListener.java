package org.dd4j.buffer;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A console progress bar per expert (steps of all its epochs), with loss and accuracy. */
public final class ProgressBarListener implements BufferListener {

  private ProgressBar bar;
  private double lastTestAccuracy = Double.NaN;

  @Override
  public void onExpertStart(int expert, int epochs, int stepsPerEpoch) {
    bar = new ProgressBarBuilder().setTaskName(String.format("expert %d", expert))
        .setInitialMax((long) epochs * stepsPerEpoch).setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(500).setUnit(" steps", 1).build();
    lastTestAccuracy = Double.NaN;
  }

  @Override
  public void onStep(int expert, int epoch, int step, double loss) {
    bar.step();
    bar.setExtraMessage(String.format("ep %d loss %.3f test %.2f%%", epoch, loss,
        100 * lastTestAccuracy));
  }

  @Override
  public void onEpoch(EpochResult r) {
    lastTestAccuracy = r.testAccuracy();
  }

  @Override
  public void onExpertEnd(int expert, java.nio.file.Path file) {
    if (bar != null) {
      bar.close();
    }
  }
}
