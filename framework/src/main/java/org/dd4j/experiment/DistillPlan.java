package org.dd4j.experiment;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import org.dd4j.distill.DistillConfig;

/**
 * The distillation phase of an experiment.
 *
 * @param config the distillation settings (spec section 5), save_every and eval_every among
 *     them
 * @param buffer an existing buffer directory to match (e.g. from {@code dd4j buffer}), or null
 *     for the experiment's own buffer phase
 * @param method the {@link MethodPreset} the user chose ({@code --method}, {@code method =
 *     method("datm")}, {@code --set method=datm}), or null for none; with the settings it
 *     gives the run's label ({@link MethodPreset#label})
 */
public record DistillPlan(DistillConfig config, Path buffer, String method) {

  /** Distillation from the experiment's own buffer, with no method preset chosen. */
  public DistillPlan(DistillConfig config) {
    this(config, null, null);
  }

  /** @throws IllegalArgumentException for a method that is not a registered preset */
  public DistillPlan {
    checkNotNull(config, "config");
    if (method != null) {
      MethodPreset.named(method);
    }
  }

  /** Iterations between checkpoints and saved synthetic sets ({@code save_every}). */
  public int saveEvery() {
    return config.get(DistillConfig.SAVE_EVERY);
  }

  /** Iterations between evaluations during the run ({@code eval_every}); 0 = at the end. */
  public int evalEvery() {
    return config.get(DistillConfig.EVAL_EVERY);
  }

  /** The run's method label: the chosen preset, the matching one, or "custom (...)". */
  public String methodLabel() {
    return MethodPreset.label(method, config);
  }
}
