package org.dd4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.dd4j.buffer.BufferSettings;
import org.dd4j.buffer.ExpertRecipe;
import org.dd4j.distill.BalancedInnerLoss;
import org.dd4j.distill.DistillConfig;
import org.dd4j.distill.LayerWisePerturbation;
import org.dd4j.settings.Settings;
import org.junit.jupiter.api.Test;

/** The method presets: what each sets, and that explicit settings win. */
class MethodPresetTest {

  @Test
  void registersTheMethodsAndTheirPaperVariants() {
    assertEquals(Set.of("mtt", "ftd", "ftd-paper", "ast", "ast-paper", "datm"),
        MethodPreset.REGISTRY.names());
    var e = assertThrows(IllegalArgumentException.class, () -> MethodPreset.named("datm2"));
    assertTrue(e.getMessage().contains("ast-paper"), e.getMessage());
  }

  @Test
  void mttIsTheDefaults() {
    DistillConfig.Builder b = DistillConfig.builder();
    MethodPreset.named("mtt").applyToDistill(b);
    assertEquals(DistillConfig.builder().build(), b.build());
    assertEquals(ExpertRecipe.named("mtt"), MethodPreset.named("mtt").expertRecipe());
  }

  /** AST's distill.sh (CIFAR-10 ipc 10): docs/methods.md, "Distillation settings per method". */
  @Test
  void astSetsTheCodesDistillationPieces() {
    DistillConfig.Builder b = DistillConfig.builder();
    MethodPreset.named("ast").applyToDistill(b);
    DistillConfig c = b.build();
    assertEquals(0.9, c.get(DistillConfig.INNER_MOMENTUM));
    assertEquals(0.01, c.lrTeacher());
    assertEquals(BalancedInnerLoss.authorsCode(), c.get(DistillConfig.INNER_LOSS));
    assertEquals("intermediate(weights=equal, points=code)",
        DistillConfig.MATCHING_LOSS.format(c.matchingLoss()));
    assertEquals(new LayerWisePerturbation(1.0), c.startPerturbation());
    assertEquals(0.0, c.get(DistillConfig.EMA_DECAY));
  }

  @Test
  void ftdSetsSynLrStartAndImageEma() {
    DistillConfig.Builder b = DistillConfig.builder();
    MethodPreset.named("ftd").applyToDistill(b);
    assertEquals(0.001, b.build().lrTeacher());
    assertEquals(0.9995, b.build().get(DistillConfig.EMA_DECAY));
    assertEquals("gsam", MethodPreset.named("ftd").expertRecipe().optimizer());
    assertEquals(0.3, MethodPreset.named("ftd-paper").expertRecipe().alpha());
  }

  @Test
  void explicitSettingsWin() {
    DistillConfig.Builder b = DistillConfig.builder().lrTeacher(0.02);
    b.set(DistillConfig.INNER_MOMENTUM, 0.0);
    MethodPreset.named("ast").applyToDistill(b);
    assertEquals(0.02, b.build().lrTeacher());
    assertEquals(0.0, b.build().get(DistillConfig.INNER_MOMENTUM));
    assertEquals(BalancedInnerLoss.authorsCode(), b.build().get(DistillConfig.INNER_LOSS));

    Settings.Builder buffer = Settings.builder(BufferSettings.SCHEMA);
    MethodPreset.named("ast").applyToBuffer(buffer);
    assertEquals(ExpertRecipe.named("ast"), buffer.build().get(BufferSettings.PRESET));
    Settings.Builder own = Settings.builder(BufferSettings.SCHEMA)
        .parse("preset", "ast(lr_decay_epochs=5)");
    MethodPreset.named("ast").applyToBuffer(own);
    assertEquals(ExpertRecipe.named("ast(lr_decay_epochs=5)"),
        own.build().get(BufferSettings.PRESET));
  }

  @Test
  void aPresetWithAnUnknownSettingIsRefusedWhenMade() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new MethodPreset("x", "mtt", java.util.Map.of("inner_momentom", "0.9")));
    assertTrue(e.getMessage().contains("inner_momentom"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new MethodPreset("x", "sam", java.util.Map.of()));
  }

  private static DistillConfig with(String preset, String... keyValues) {
    DistillConfig.Builder b = DistillConfig.builder();
    for (int i = 0; i < keyValues.length; i += 2) {
      b.parse(keyValues[i], keyValues[i + 1]);
    }
    if (preset != null) {
      MethodPreset.named(preset).applyToDistill(b);
    }
    return b.build();
  }

  /** Issue 20: --method datm was recorded as "mtt" (describe() compared with a dummy). */
  @Test
  void theLabelIsTheChosenPreset() {
    for (String name : MethodPreset.REGISTRY.names()) {
      assertEquals(name, MethodPreset.label(name, with(name)), name);
    }
    // the per-dataset settings are not part of a method
    assertEquals("datm", MethodPreset.label("datm", with("datm", "ipc", "50", "syn_steps",
        "80", "lr_img", "100", "save_every", "3")));
  }

  @Test
  void aPresetWithOneSettingChangedIsCustomNamingIt() {
    assertEquals("custom (datm; lr_y=3)", MethodPreset.label("datm", with("datm", "lr_y",
        "3")));
    assertEquals("custom (mtt; inner_momentum=0.5)", MethodPreset.label("mtt",
        with("mtt", "inner_momentum", "0.5")));
  }

  @Test
  void withoutAChoiceTheMatchingPresetElseTheNearestNamesTheLabel() {
    assertEquals("mtt", MethodPreset.label(null, DistillConfig.builder().build()));
    assertEquals("datm", MethodPreset.label(null, with("datm")));
    assertEquals("ast", MethodPreset.label(null, with("ast")));
    assertEquals("custom (ast; inner_momentum=0.5)", MethodPreset.label(null,
        with("ast", "inner_momentum", "0.5")));
    assertEquals("custom (mtt; ema_decay=0.9)", MethodPreset.label(null,
        with(null, "ema_decay", "0.9")));
  }

  @Test
  void methodSettingsAreTheOnesSomePresetSets() {
    assertEquals(Set.of("lr_teacher", "ema_decay", "inner_momentum", "inner_loss",
        "matching_loss", "start_perturbation", "image_init", "label_init", "lr_y",
        "label_momentum", "loss_threshold"), MethodPreset.methodSettings());
  }
}
