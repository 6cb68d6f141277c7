package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DistillConfigTest {

  @Test
  void referenceSettingsAreValidAndMatchTheSpec() {
    for (DistillConfig c : List.of(DistillConfig.mttCifar10Ipc1(),
        DistillConfig.mttCifar10Ipc10(), DistillConfig.mttCifar10Ipc50(),
        DistillConfig.mttCifar100Ipc1(), DistillConfig.mttCifar100Ipc10(),
        DistillConfig.mttCifar100Ipc50(), DistillConfig.mttTinyImageNetIpc1(),
        DistillConfig.mttTinyImageNetIpc10())) {
      assertEquals(0.5, c.imageMomentum());
      assertEquals(0.5, c.lrMomentum());
      assertEquals(0.01, c.lrTeacher());
      assertTrue(c.dsa().isPresent());
    }
    DistillConfig c = DistillConfig.mttCifar10Ipc10();
    assertEquals(List.of(10, 30, 2, 20), List.of(c.ipc(), c.synSteps(), c.expertEpochs(),
        c.maxStartEpoch()));
    assertEquals(100, c.lrImg());
    assertEquals(1e-5, c.lrLr());
    assertEquals(100, c.batchSyn(10)); // default: C * ipc
    assertEquals(125, DistillConfig.mttCifar100Ipc50().batchSyn(100));
    // as MTT's indices_chunks: need not divide C * ipc (AST CIFAR-100 ipc 10: 128 of 1000),
    // and a chunk larger than C * ipc is all of them (torch.split)
    assertEquals(30, c.toBuilder().batchSyn(30).build().batchSyn(10));
    assertEquals(100, c.toBuilder().batchSyn(500).build().batchSyn(10));
    assertEquals(c, c.toBuilder().build());
  }

  @Test
  void rejectsInvalidValuesWithTheirName() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> DistillConfig.mttCifar10Ipc10().toBuilder().synSteps(0).build());
    assertTrue(e.getMessage().contains("synSteps"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> DistillConfig.mttCifar10Ipc10().toBuilder().lrImg(Double.NaN).build());
    assertThrows(IllegalArgumentException.class,
        () -> DistillConfig.mttCifar10Ipc10().toBuilder().dsaStrategy("colour").build());
    assertThrows(IllegalArgumentException.class,
        () -> DistillConfig.mttCifar10Ipc10().toBuilder().imageMomentum(1).build());
    assertTrue(DistillConfig.mttCifar10Ipc10().toBuilder().dsaStrategy("none").build().dsa()
        .isEmpty());
  }

  @Test
  void astAndFtdOptionsDefaultToPlainMttAndAreValidated() {
    DistillConfig c = DistillConfig.mttCifar10Ipc10();
    assertEquals(new NormalizedParameterDistance(), c.matchingLoss());
    assertEquals(InnerLossTransform.identity(), c.innerLoss());
    assertEquals(StartPerturbation.none(), c.startPerturbation());
    assertEquals(0, c.innerMomentum());
    assertTrue(c.imageEma().isEmpty());
    var e = assertThrows(IllegalArgumentException.class,
        () -> c.toBuilder().innerMomentum(1).build());
    assertTrue(e.getMessage().contains("innerMomentum"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> c.toBuilder().emaDecay(1).build());
    assertTrue(e.getMessage().contains("emaDecay"), e.getMessage());
    assertThrows(NullPointerException.class, () -> c.toBuilder().matchingLoss(null).build());
    DistillConfig ast = c.toBuilder().matchingLoss(IntermediateMatching.linear())
        .innerLoss(BalancedInnerLoss.authorsCode()).emaDecay(0.999).build();
    assertEquals(ast, ast.toBuilder().build());
    assertEquals(0.999, ast.imageEma().orElseThrow().decay());
    var m = ast.toMap();
    assertEquals("intermediate(weights=linear)", m.get("matching_loss"));
    assertEquals("balanced(theta=8.0, log_base=5.0, middle=floor)", m.get("inner_loss"));
    assertEquals("none", m.get("start_perturbation"));
    assertEquals(0.999, m.get("ema_decay"));
    // every setting, and the learning rates sampled over the run
    assertEquals(DistillConfig.SCHEMA.settings().size() + 2, m.size());
  }

  @Test
  void learningRatesTakeSchedulesThatSurviveToBuilder() {
    DistillConfig c = DistillConfig.mttCifar10Ipc10().toBuilder().iterations(100)
        .lrImg(org.dd4j.schedule.Schedule.step(100, 0.1, 50)).build();
    assertEquals(100.0, c.lrImg());
    assertEquals(10.0, c.lrImgSchedule().at(50), 1e-12);
    assertEquals(1e-5, c.lrLrSchedule().at(99));
    DistillConfig again = c.toBuilder().build();
    assertEquals(10.0, again.lrImgSchedule().at(60), 1e-12);
    assertEquals(List.of(100.0, 100.0, 10.0, 10.0, 10.0), c.toMap().get("lr_img_schedule"));
    // a constant set afterwards replaces the schedule
    assertEquals(5.0, c.toBuilder().lrImg(5).build().lrImgSchedule().at(60));
  }
}
