package org.dd4j.settings;

/**
 * The one switch of TensorBoard event files, declared here once and added to the schema of
 * every phase that writes them ({@code buffer.tensorboard}, {@code distill.tensorboard}; the
 * same option {@code --[no-]tensorboard} on {@code dd4j buffer}, {@code dd4j distill} and
 * {@code dd4j evaluate}). Run-only: it never changes what a phase computes, so it never
 * blocks reusing a phase. A run writes event files only while no phase turns it off.
 */
public final class EventSettings {

  /** Whether the run writes TensorBoard event files (default: true). */
  public static final Setting<Boolean> TENSORBOARD = Setting.flag("tensorboard", true,
      "write TensorBoard event files (loss, syn_lr, accuracies, images, configuration)"
          + " into the run's tensorboard/ directories: tensorboard --logdir runs/").runOnly();

  private EventSettings() {}
}
