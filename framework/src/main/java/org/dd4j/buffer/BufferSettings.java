package org.dd4j.buffer;

import org.dd4j.augment.DsaConfig;
import org.dd4j.settings.EventSettings;
import org.dd4j.settings.Setting;
import org.dd4j.settings.SettingsSchema;

/**
 * The buffer phase's settings, described once: {@code dd4j buffer}'s options, the DSL's
 * {@code buffer { }} properties and {@code --set buffer.KEY} derive from {@link #SCHEMA}.
 * How each expert is trained is a {@link #PRESET} ({@link ExpertRecipe}: mtt, ftd,
 * ftd-paper, ast, ast-paper, each field overridable), or pieces composed in Java or the DSL.
 *
 * <p>References: MTT's buffer.py ({@code --num_experts}, {@code --train_epochs},
 * {@code --batch_train}); spec section 4.
 */
public final class BufferSettings {

  /** The buffer settings, in the order config.json lists them. */
  public static final SettingsSchema SCHEMA = new SettingsSchema("buffer");

  public static final Setting<Integer> EXPERTS = SCHEMA.add(Setting.integer("experts", 10,
      "E, the number of experts (MTT: 100)").check(v -> v > 0, "> 0").aliases("num_experts")
      .label("E"));
  public static final Setting<Integer> EPOCHS = SCHEMA.add(Setting.integer("epochs", 50,
      "T, training epochs per expert; T + 1 snapshots are stored").check(v -> v > 0, "> 0")
      .aliases("train_epochs").label("T"));
  public static final Setting<ExpertRecipe> PRESET = SCHEMA.add(Setting.piece("preset",
      ExpertRecipe.PRESETS, "mtt", "expert training recipe: mtt, ftd (GSAM), ast (AST's code "
          + "and scripts), ftd-paper or ast-paper (the papers' text), with field overrides, "
          + "e.g. ast(gp_mu=2)")
      .label("PRESET"));
  public static final Setting<Integer> BATCH_TRAIN = SCHEMA.add(Setting.integer("batch_train",
      256, "real images per expert SGD step").check(v -> v > 0, "> 0").label("B"));
  public static final Setting<String> DSA = SCHEMA.add(DsaConfig.setting(
      "DSA of the training batches (one group per batch), or none"));
  public static final Setting<Long> SEED = SCHEMA.add(Setting.longInteger("seed", 0,
      "run seed; expert i is seeded from (seed, i)"));
  public static final Setting<Integer> TRAIN_IMAGES = SCHEMA.add(Setting.integer(
      "train_images", 0, "train the experts on the first N training images only; 0 = all "
          + "(preprocessing is still fitted on the whole split)").check(v -> v >= 0, ">= 0")
      .label("N"));
  /** {@link EventSettings#TENSORBOARD}, the switch of every phase. */
  public static final Setting<Boolean> TENSORBOARD = SCHEMA.add(EventSettings.TENSORBOARD);

  private BufferSettings() {}
}
