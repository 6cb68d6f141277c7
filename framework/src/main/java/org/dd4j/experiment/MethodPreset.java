package org.dd4j.experiment;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.dd4j.buffer.BufferSettings;
import org.dd4j.buffer.ExpertRecipe;
import org.dd4j.distill.DistillConfig;
import org.dd4j.settings.PieceRegistry;
import org.dd4j.settings.Setting;
import org.dd4j.settings.Settings;

/**
 * A method as its authors run it, over both phases: the expert recipe that trains the buffer
 * ({@link ExpertRecipe#PRESETS}) and the distillation settings in which the method differs
 * from MTT's defaults ({@link DistillConfig#SCHEMA}, by setting name). A preset only fills
 * what the user left unset: an explicit {@code lr_teacher}, {@code --inner-momentum} or
 * {@code buffer { preset = ... }} wins wherever it is written.
 *
 * <p>As with the expert presets, the preset named after a method reproduces what produced its
 * published tables (the authors' code as their run scripts call it) and {@code *-paper}
 * follows the paper's text; docs/methods.md lists every value and its source. Settings that
 * the papers give per dataset and ipc (syn_steps, expert_epochs, max_start_epoch, lr_img,
 * lr_lr, batch_syn, iterations) are not part of a method: the scripts set them.
 *
 * <p>Used as {@code method = method("ast")} in an {@code experiment { }} block,
 * {@code --method ast} on {@code dd4j buffer} and {@code dd4j distill}, {@code --set method=ast}
 * on {@code dd4j run}, and {@link #applyToBuffer} / {@link #applyToDistill} from Java.
 *
 * @param name the preset's name
 * @param expertPreset the buffer's expert recipe, as {@link ExpertRecipe#named} reads it
 * @param distill distillation settings by snake_case name, as text that
 *     {@link DistillConfig.Builder#parse} reads (pieces as {@code name(key=value)})
 */
public record MethodPreset(String name, String expertPreset, Map<String, String> distill) {

  /** The method presets by name: mtt, ftd, ftd-paper, ast, ast-paper, datm. */
  public static final PieceRegistry<MethodPreset> REGISTRY = new PieceRegistry<>(
      "method preset", MethodPreset.class, MethodPreset::name);

  static {
    // MTT (distill.py): DistillConfig's defaults are MTT's.
    register(new MethodPreset("mtt", "mtt", Map.of()));
    // FTD (run_distill.sh, CIFAR-10 ipc 10): --lr_teacher=0.001 --ema_decay=0.9995.
    Map<String, String> ftd = ordered("lr_teacher", "0.001", "ema_decay", "0.9995");
    register(new MethodPreset("ftd", "ftd", ftd));
    register(new MethodPreset("ftd-paper", "ftd-paper", ftd));
    // AST (distill.sh, CIFAR-10 ipc 10): --lr_teacher 0.01, --mom 0.9 (always applied),
    // balanced loss with log base 5 and middle T+ // 2, --agg_middle_loss (beta 1, the
    // code's points), weightPerturb (W + d / ||d|| * W), real-image initialisation.
    register(new MethodPreset("ast", "ast", ordered("lr_teacher", "0.01",
        "inner_momentum", "0.9", "inner_loss", "balanced-log5",
        "matching_loss", "intermediate(weights=equal, points=code)",
        "start_perturbation", "layer-wise(coefficient=1.0)")));
    // AST's text: eq. 20 (natural log, middle T+ / 2), eq. 22 (beta 1), eq. 23 (per filter,
    // rho 0.1), representative initialisation (IV-C1); no inner momentum (not mentioned).
    register(new MethodPreset("ast-paper", "ast-paper", ordered("lr_teacher", "0.01",
        "inner_loss", "balanced", "matching_loss", "intermediate(weights=equal)",
        "start_perturbation", "filter-wise(rho=0.1)", "image_init", "representative")));
    // DATM (DATM.py with configs/*/IPC*.yaml): FTD's experts as its README trains them
    // (alpha 0.3), correct-only images, soft labels from the experts that classify each image
    // correctly, lr_y 2 with momentum 0.9, updates skipped above loss 1.0 (the window and the
    // other per-ipc values stay in the scripts).
    register(new MethodPreset("datm", "ftd-paper", ordered("lr_teacher", "0.01",
        "image_init", "correct-only", "label_init", "correct-experts", "lr_y", "2",
        "label_momentum", "0.9", "loss_threshold", "1.0")));
  }

  /**
   * @throws IllegalArgumentException if the expert preset or a distillation setting is
   *     unknown or a value does not parse (checked when the preset is made)
   */
  public MethodPreset {
    checkNotNull(name, "name");
    ExpertRecipe.named(expertPreset);
    distill = Collections.unmodifiableMap(new LinkedHashMap<>(distill));
    DistillConfig.Builder check = DistillConfig.builder();
    distill.forEach((key, text) -> {
      try {
        check.parse(key, text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("method preset " + name + ": distill." + key + "="
            + text + ": " + e.getMessage(), e);
      }
    });
  }

  /**
   * The preset {@code name} names.
   *
   * @throws IllegalArgumentException for an unknown name (listing the known ones)
   */
  public static MethodPreset named(String name) {
    return REGISTRY.parse(name);
  }

  /** The buffer's expert recipe. */
  public ExpertRecipe expertRecipe() {
    return ExpertRecipe.named(expertPreset);
  }

  /** Sets the buffer's {@code preset} unless it was set explicitly. */
  public void applyToBuffer(Settings.Builder buffer) {
    if (!buffer.isSet(BufferSettings.PRESET)) {
      buffer.set(BufferSettings.PRESET, expertRecipe());
    }
  }

  /** Sets each of this method's distillation settings that was not set explicitly. */
  public void applyToDistill(DistillConfig.Builder builder) {
    distill.forEach((key, text) -> {
      if (!builder.isSet(key)) {
        builder.parse(key, text);
      }
    });
  }

  /** The label of a run whose settings differ from a preset's: "custom (datm; lr_y=3.0)". */
  public static final String CUSTOM = "custom";

  /**
   * The label a distillation is recorded under (config.json, report.md, the tables): the
   * preset the user chose when the run's method settings are that preset's, else
   * "custom (PRESET; key=value, ...)" naming the chosen preset and the settings that differ
   * from it. With no preset chosen, the preset whose method settings the run has ("mtt" for
   * the defaults), else "custom" with the nearest preset (fewest differences; the first by
   * name on a tie). Method settings are the ones some registered preset sets
   * ({@link #methodSettings}); the per-dataset ones (ipc, syn_steps, ...) never count.
   *
   * @param chosen the preset's name, or null when none was chosen
   * @throws IllegalArgumentException if {@code chosen} is not a registered preset
   */
  public static String label(String chosen, DistillConfig config) {
    if (chosen != null) {
      List<String> d = named(chosen).differences(config);
      return d.isEmpty() ? chosen : custom(chosen, d);
    }
    String nearest = null;
    List<String> fewest = null;
    for (String name : REGISTRY.names()) { // sorted: a tie goes to the first name
      List<String> d = named(name).differences(config);
      if (fewest == null || d.size() < fewest.size()) {
        nearest = name;
        fewest = d;
      }
    }
    return fewest.isEmpty() ? nearest : custom(nearest, fewest);
  }

  private static String custom(String preset, List<String> differences) {
    return CUSTOM + " (" + preset + "; " + String.join(", ", differences) + ")";
  }

  /** The distillation settings some registered preset sets, by snake_case name, sorted. */
  public static Set<String> methodSettings() {
    Set<String> keys = new TreeSet<>();
    for (String name : REGISTRY.names()) {
      named(name).distill().keySet().forEach(
          k -> keys.add(DistillConfig.SCHEMA.get(k).name()));
    }
    return keys;
  }

  /**
   * The method settings of {@code config} that differ from this preset's (its value, else the
   * setting's default), as "key=value" in {@code config}'s value.
   */
  public List<String> differences(DistillConfig config) {
    List<String> out = new ArrayList<>();
    for (String key : methodSettings()) {
      difference(DistillConfig.SCHEMA.get(key), config).ifPresent(out::add);
    }
    return out;
  }

  private <T> java.util.Optional<String> difference(Setting<T> s, DistillConfig config) {
    String text = distill.entrySet().stream().filter(e -> s.isNamed(e.getKey()))
        .map(Map.Entry::getValue).findFirst().orElse(null);
    T expected = text != null ? s.parse(text) : s.defaultValue();
    T actual = config.get(s);
    return s.plain(expected).equals(s.plain(actual)) ? java.util.Optional.empty()
        : java.util.Optional.of(s.name() + "=" + s.format(actual));
  }

  private static void register(MethodPreset m) {
    REGISTRY.register(m.name(), a -> m);
  }

  private static Map<String, String> ordered(String... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}
