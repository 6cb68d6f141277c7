package org.dd4j.data;

import java.util.Map;
import java.util.Optional;

/**
 * The fixed per-channel mean and std the reference code normalizes each dataset with (it
 * does not fit them on the data). For CIFAR-10 they differ from the fitted ones (std 0.2023
 * against the population std 0.247), so the same lr_img moves the pixels differently.
 *
 * <p>Sources, as read in the authors' code:
 * <ul>
 *   <li>CIFAR-10 (and its JPEG export): MTT utils.py get_dataset 'CIFAR10' (also FTD);
 *   <li>CIFAR-100: MTT utils.py get_dataset 'CIFAR100' reuses CIFAR-10's constants (so do
 *       FTD's utils_baseline.py and AST); DC's utils.py has CIFAR-100's own
 *       (0.5071, 0.4866, 0.4409) / (0.2673, 0.2564, 0.2762), not used here because dd4j
 *       follows the trajectory-matching code;
 *   <li>MNIST and Fashion-MNIST: absent from MTT; DC's utils.py (which MTT's adapts):
 *       0.1307 / 0.3081 and 0.2861 / 0.3530.
 * </ul>
 *
 * <p>References: GeorgeCazenavette/mtt-distillation utils.py get_dataset (commit 50dccea);
 * VICO-UoE/DatasetCondensation utils.py get_dataset; spec section 2.
 *
 * @param mean per channel, in [0, 1] pixel units
 * @param std per channel, > 0
 * @param source where the constants come from (recorded in the preprocessing description)
 */
public record ReferenceNormalization(float[] mean, float[] std, String source) {

  private static final ReferenceNormalization CIFAR10 = new ReferenceNormalization(
      new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2023f, 0.1994f, 0.2010f},
      "mtt-distillation utils.py get_dataset CIFAR10");

  private static final Map<String, ReferenceNormalization> BY_DATASET = Map.of(
      "cifar10", CIFAR10,
      "cifar10-jpeg", CIFAR10,
      "cifar100", new ReferenceNormalization(CIFAR10.mean, CIFAR10.std,
          "mtt-distillation utils.py get_dataset CIFAR100 (CIFAR-10's constants)"),
      "mnist", new ReferenceNormalization(new float[] {0.1307f}, new float[] {0.3081f},
          "DatasetCondensation utils.py get_dataset MNIST"),
      "fashion-mnist", new ReferenceNormalization(new float[] {0.2861f},
          new float[] {0.3530f}, "DatasetCondensation utils.py get_dataset FashionMNIST"));

  public ReferenceNormalization {
    mean = mean.clone();
    std = std.clone();
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  /**
   * The reference constants of a registered dataset name ({@code cifar10}, {@code cifar10-jpeg},
   * {@code cifar100}, {@code mnist}, {@code fashion-mnist}), or empty for any other dataset.
   */
  public static Optional<ReferenceNormalization> forDataset(String dataset) {
    return Optional.ofNullable(dataset == null ? null : BY_DATASET.get(dataset));
  }
}
