package org.dd4j.augment;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What DSA draws from: the strategy (groups, one chosen uniformly per call) and each op's
 * ratio. Defaults are the paper's and MTT's ({@code ParamDiffAug}).
 *
 * <p>References: Zhao &amp; Bilen, ICML 2021; spec section 3 (table of parameters).
 *
 * @param groups the strategy, at least one group
 * @param brightness brightness shift range: shift = (U - 0.5) * brightness (1.0)
 * @param saturation saturation factor range: factor = U * saturation (2.0)
 * @param contrast contrast factor offset: factor = U + contrast (0.5)
 * @param cropRatio largest crop shift as a fraction of the side, rounded half up (0.125)
 * @param cutoutRatio cutout side as a fraction of the image side, rounded half up (0.5)
 * @param flipProbability probability of a horizontal flip (0.5)
 * @param scaleRatio scale factors are drawn from U(1/scaleRatio, scaleRatio), > 1 (1.2)
 * @param rotateDegrees rotation angles are drawn from U(-rotateDegrees, rotateDegrees),
 *     in degrees (15)
 * @param alignCorners PyTorch's grid convention for scale and rotate (TRUE, as MTT's
 *     {@code rand_scale} / {@code rand_rotate} call {@code affine_grid} and
 *     {@code grid_sample}); for square images both give the same sampling positions, since
 *     DSA's matrices have no translation, but a rotation of a non-square image differs
 *     (checked against the authors' code in {@code GoldenDsaTest})
 */
public record DsaConfig(List<DsaGroup> groups, double brightness, double saturation,
    double contrast, double cropRatio, double cutoutRatio, double flipProbability,
    double scaleRatio, double rotateDegrees, DsaParams.AlignCorners alignCorners) {

  /** MTT's default strategy. */
  public static final String DEFAULT_STRATEGY = "color_crop_cutout_flip_scale_rotate";

  public DsaConfig {
    checkArgument(groups != null && !groups.isEmpty(), "DSA strategy needs at least one group");
    groups = List.copyOf(groups);
    checkArgument(brightness >= 0, "brightness must be >= 0, got %s", brightness);
    checkArgument(saturation >= 0, "saturation must be >= 0, got %s", saturation);
    checkArgument(contrast >= 0, "contrast must be >= 0, got %s", contrast);
    checkArgument(cropRatio >= 0 && cropRatio < 1, "cropRatio must be in [0, 1), got %s",
        cropRatio);
    checkArgument(cutoutRatio >= 0 && cutoutRatio <= 1, "cutoutRatio must be in [0, 1], got %s",
        cutoutRatio);
    checkArgument(flipProbability >= 0 && flipProbability <= 1,
        "flipProbability must be in [0, 1], got %s", flipProbability);
    checkArgument(scaleRatio >= 1, "scaleRatio must be >= 1, got %s", scaleRatio);
    checkArgument(rotateDegrees >= 0 && rotateDegrees <= 180,
        "rotateDegrees must be in [0, 180], got %s", rotateDegrees);
    checkArgument(alignCorners != null, "alignCorners must be set");
  }

  /** The strategy string that turns DSA off. */
  public static final String NONE = "none";

  /**
   * The augmentation setting of a phase, one type everywhere: a DSA strategy (groups joined
   * by '_', default MTT's {@link #DEFAULT_STRATEGY}) or {@link #NONE}; {@link #optional}
   * turns its value into the configuration.
   */
  public static org.dd4j.settings.Setting<String> setting(String doc) {
    return org.dd4j.settings.Setting.text("dsa", DEFAULT_STRATEGY, doc)
        .check(DsaConfig::isStrategy, "'none' or DSA groups joined by '_' (e.g. "
            + DEFAULT_STRATEGY + ")").aliases("dsa_strategy").label("STRATEGY|none");
  }

  /** The DSA settings of a strategy string, or empty for {@link #NONE}. */
  public static java.util.Optional<DsaConfig> optional(String strategy) {
    return strategy.equals(NONE) ? java.util.Optional.empty()
        : java.util.Optional.of(parse(strategy));
  }

  private static boolean isStrategy(String s) {
    if (s.equals(NONE)) {
      return true;
    }
    try {
      parse(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The default strategy with the default ratios. */
  public static DsaConfig defaults() {
    return parse(DEFAULT_STRATEGY);
  }

  /**
   * A strategy string with the default ratios.
   *
   * @param strategy group names joined by '_', e.g. {@code "color_crop_cutout_flip_scale_rotate"}
   * @throws IllegalArgumentException for an empty strategy or an unknown group name
   */
  public static DsaConfig parse(String strategy) {
    checkArgument(strategy != null && !strategy.isBlank(), "DSA strategy must be non-empty");
    List<DsaGroup> groups = new ArrayList<>();
    for (String token : strategy.split("_", -1)) {
      groups.add(DsaGroup.named(token));
    }
    return new DsaConfig(groups, 1.0, 2.0, 0.5, 0.125, 0.5, 0.5, 1.2, 15.0,
        DsaParams.AlignCorners.TRUE);
  }

  /** The same ratios with another strategy. */
  public DsaConfig withStrategy(String strategy) {
    return new DsaConfig(parse(strategy).groups(), brightness, saturation, contrast, cropRatio,
        cutoutRatio, flipProbability, scaleRatio, rotateDegrees, alignCorners);
  }

  /** The strategy string, group names joined by '_'. */
  public String strategy() {
    return groups.stream().map(DsaGroup::name).collect(Collectors.joining("_"));
  }

  /** {@code int(side * ratio + 0.5)}, DSA's rounding of shift and cutout sizes. */
  static int roundHalfUp(int side, double ratio) {
    return (int) (side * ratio + 0.5);
  }
}
