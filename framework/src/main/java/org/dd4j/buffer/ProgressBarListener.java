package org.dd4j.buffer;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.dd4j.Accuracy;

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
    bar.setExtraMessage(status(epoch, loss, lastTestAccuracy));
  }

  /**
   * The text beside the bar, e.g. {@code "ep 2 loss 0.412 test 81.25%"}; without the test
   * part before the expert's first test pass.
   *
   * @param testAccuracy last test accuracy in [0, 1], NaN when there is none yet
   */
  static String status(int epoch, double loss, double testAccuracy) {
    String s = String.format("ep %d loss %.3f", epoch, loss);
    return Double.isNaN(testAccuracy) ? s : s + " test " + Accuracy.percent(testAccuracy) + "%";
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
