package org.dd4j.distill;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar over the distillation iterations, with the loss (with regularizers
 * the whole objective L and the matching loss) and syn_lr.
 */
public final class DistillProgressBar implements DistillListener, AutoCloseable {

  private final ProgressBar bar;
  private int skipped;

  /**
   * @param from the first iteration of this run (non-zero when resumed)
   * @param total the run's last iteration + 1
   */
  public DistillProgressBar(long from, long total) {
    bar = new ProgressBarBuilder().setTaskName("distill").setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).startsFrom(from,
            java.time.Duration.ZERO).setUnit(" it", 1).build();
  }

  @Override
  public void onIteration(IterationResult r) {
    bar.stepTo(r.iteration() + 1L);
    // with regularizers the objective L (matching + weighted terms), else the matching loss
    String loss = r.terms().isEmpty() ? String.format("loss %.4f", r.loss())
        : String.format("L %.4f (matching %.4f)", r.objective(), r.loss());
    bar.setExtraMessage(String.format("%s syn_lr %.4g%s", loss, r.synLr(),
        skipped > 0 ? " skipped " + skipped : ""));
  }

  @Override
  public void onSkipped(SkippedIteration s) {
    skipped++;
    bar.stepTo(s.iteration() + 1L);
  }

  @Override
  public void close() {
    bar.close();
  }
}
