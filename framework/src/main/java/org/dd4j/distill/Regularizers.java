package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.dd4j.schedule.ScheduleText;
import org.dd4j.settings.PieceArgs;
import org.dd4j.settings.PieceRegistry;
import org.dd4j.settings.SettingType;

/**
 * Open registry of {@link Regularizer}s by name. Every registered term takes a
 * {@code weight=} argument besides its own (a number, or {@code cosine(base=B, steps=S,
 * final=F)} / {@code linear(from=A, to=B, steps=S)} over the outer iterations,
 * {@link ScheduleText}; default 1), so {@code total-variation(weight=1e-3)} is the weighted
 * term {@code 1e-3 * R_TV}. A run's list is {@code none} or terms joined by {@code +}
 * ({@link #parse}), the text of the {@code regularizers} setting
 * ({@link DistillConfig#REGULARIZERS}, {@code --regularizer} repeatable, {@code --set
 * distill.regularizers=...}).
 *
 * <p>Built in:
 * <ul>
 *   <li>{@code total-variation(norm=l2|l1)}: {@link TotalVariation} (DeepInversion, Yin et al.
 *       CVPR 2020, R_prior's R_TV as the authors' {@code get_image_prior_losses});
 *   <li>{@code image-l2}: {@link ImageL2Prior} (DeepInversion's R_l2);
 *   <li>{@code pixel-range}: {@link PixelRangePenalty} (squared distance outside the data's
 *       preprocessed range);
 *   <li>{@code label-entropy(goal=sharpen|smooth)}: {@link LabelEntropy} (entropy of DATM's
 *       soft labels softmax(y / T)).
 * </ul>
 *
 * <p>To add one: a class implementing {@link Regularizer} and one {@link #register} line in
 * the static block below.
 */
public final class Regularizers {

  /** The text of no regularizer. */
  public static final String NONE = "none";

  /** The registry of single weighted terms; lists are read by {@link #parse}. */
  public static final PieceRegistry<WeightedRegularizer> REGISTRY = new PieceRegistry<>(
      "regularizer", WeightedRegularizer.class, WeightedRegularizer::describe);

  static {
    register(TotalVariation.NAME, a -> new TotalVariation(
        TotalVariation.Norm.named(a.text("norm", TotalVariation.Norm.L2.id()))));
    register(ImageL2Prior.NAME, a -> new ImageL2Prior());
    register(PixelRangePenalty.NAME, a -> new PixelRangePenalty());
    register(LabelEntropy.NAME, a -> new LabelEntropy(
        LabelEntropy.Goal.named(a.text("goal", LabelEntropy.Goal.SHARPEN.id()))));
  }

  /**
   * The text type of the {@code regularizers} setting: {@link #parse} and
   * {@link RegularizerList#describe}, stored in config.json and checkpoints as the
   * description.
   */
  public static final SettingType<RegularizerList> SETTING_TYPE = SettingType.of(
      "none or terms name(key=value, weight=W) joined by '+', e.g. total-variation(weight=1e-3)"
          + " (known: " + names() + ")",
      RegularizerList.class, Regularizers::parse, RegularizerList::describe,
      RegularizerList::describe).repeatable(" + ");

  private Regularizers() {}

  /**
   * Adds a regularizer: {@code factory} reads the term's own arguments; {@code weight} is
   * read here for every term.
   *
   * @throws IllegalArgumentException if the name is registered already
   */
  public static void register(String name, Function<PieceArgs, ? extends Regularizer> factory) {
    REGISTRY.register(name, weighted(factory));
  }

  /** Adds or deliberately replaces a regularizer (a script evaluated again). */
  public static void replace(String name, Function<PieceArgs, ? extends Regularizer> factory) {
    REGISTRY.replace(name, weighted(factory));
  }

  private static Function<PieceArgs, WeightedRegularizer> weighted(
      Function<PieceArgs, ? extends Regularizer> factory) {
    checkNotNull(factory, "factory");
    return a -> new WeightedRegularizer(factory.apply(a),
        ScheduleText.parse(a.text("weight", "1")));
  }

  /** The registered names, sorted. */
  public static Set<String> names() {
    return REGISTRY.names();
  }

  /**
   * One weighted term, e.g. "total-variation(norm=l1, weight=1e-3)".
   *
   * @throws IllegalArgumentException for an unknown name (listing the known ones), an unknown
   *     argument or a negative weight
   */
  public static WeightedRegularizer create(String description) {
    return REGISTRY.parse(description);
  }

  /**
   * A run's list: {@code none}, or terms joined by {@code +} (outside parentheses).
   *
   * @throws IllegalArgumentException as {@link #create}, naming the term
   */
  public static RegularizerList parse(String text) {
    checkNotNull(text, "text");
    String s = text.strip();
    if (s.isEmpty() || s.equals(NONE)) {
      return RegularizerList.NONE;
    }
    List<WeightedRegularizer> terms = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '+';
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '+' && depth == 0) {
        String term = s.substring(start, i).strip();
        checkArgument(!term.isEmpty() && !term.equals(NONE), "cannot read regularizers '%s':"
            + " an empty term or 'none' among terms", s);
        terms.add(create(term));
        start = i + 1;
      }
    }
    return new RegularizerList(terms);
  }
}
