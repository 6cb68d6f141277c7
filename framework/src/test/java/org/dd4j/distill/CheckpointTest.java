package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.dd4j.models.InputShape;
import org.dd4j.synthetic.SyntheticSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  @TempDir
  Path dir;

  static DistillConfig config() {
    return DistillConfig.builder().ipc(2).synSteps(4).expertEpochs(2).maxStartEpoch(2)
        .iterations(20).lrImg(1).lrLr(1e-5).lrTeacher(0.1).dsaStrategy(DistillConfig.NO_DSA)
        .seed(7).build();
  }

  /** A state with random images and momenta, including awkward values (-0, subnormal). */
  static DistillState state() {
    SplittableRandom r = new SplittableRandom(3);
    SyntheticSet set = SyntheticSet.initNoise(new InputShape(3, 2, 2), 3, 2, 0.0123456789, r);
    float[] mom = new float[set.images().length];
    for (int i = 0; i < mom.length; i++) {
      mom[i] = (float) r.nextGaussian();
    }
    mom[0] = -0f;
    mom[1] = Float.MIN_VALUE;
    return new DistillState(set, new SgdMomentum.State(mom, 11),
        new SgdMomentum.State(new float[] {-3.5e-4f}, 12), 13, 2);
  }

  @Test
  void roundTripsBitExactly() {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    DistillState s = state();
    Checkpoint.save(file, s, config());
    DistillState back = Checkpoint.load(file, config());
    assertEquals(s, back); // SyntheticSet and State compare arrays with Arrays.equals
    assertEquals(s.set().synLr(), back.set().synLr(), 0.0);
    assertArrayEquals(s.imageOptimizer().buffer(), back.imageOptimizer().buffer(), 0f);
    assertEquals(Float.floatToRawIntBits(-0f),
        Float.floatToRawIntBits(back.imageOptimizer().buffer()[0]));
    assertEquals(13, back.nextIteration());
    assertEquals(2, back.consecutiveFailures());
    assertEquals(12, back.lrOptimizer().steps());
    assertTrue(Checkpoint.loadIfPresent(file, config()).isPresent());
    assertTrue(Checkpoint.loadIfPresent(dir.resolve("none.bin"), config()).isEmpty());
  }

  @Test
  void saveReplacesAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    DistillState s = state();
    Checkpoint.save(file, s, config());
    DistillState later = new DistillState(s.set(), s.imageOptimizer(), s.lrOptimizer(), 20, 0);
    Checkpoint.save(file, later, config());
    assertEquals(later, Checkpoint.load(file, config()));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void truncatedFileIsRejectedClearly() throws IOException {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    Checkpoint.save(file, state(), config());
    byte[] all = Files.readAllBytes(file);
    for (int keep : new int[] {all.length - 1, all.length / 2, 20, 5}) {
      Files.write(file, Arrays.copyOf(all, keep));
      CheckpointException e = assertThrows(CheckpointException.class,
          () -> Checkpoint.load(file, config()));
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("magic")
          || e.getMessage().contains("corrupt header"), keep + ": " + e.getMessage());
    }
  }

  @Test
  void flippedBitIsDetected() throws IOException {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    Checkpoint.save(file, state(), config());
    byte[] all = Files.readAllBytes(file);
    all[all.length - 20] ^= 1; // inside the syn_lr momentum / last image values
    Files.write(file, all);
    var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, config()));
    assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
  }

  @Test
  void otherVersionOrNotACheckpointIsRejected() throws IOException {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    Checkpoint.save(file, state(), config());
    byte[] all = Files.readAllBytes(file);
    all[8] = 9; // version, little-endian low byte
    Files.write(file, all);
    var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, config()));
    assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    Files.writeString(file, "{\"not\": \"a checkpoint\"}");
    e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, config()));
    assertTrue(e.getMessage().contains("not a dd4j distillation checkpoint"), e.getMessage());
  }

  @Test
  void differentSettingsAreNamed() {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    Checkpoint.save(file, state(), config());
    DistillConfig other = config().toBuilder().synSteps(5).seed(8).build();
    var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, other));
    assertTrue(e.getMessage().contains("syn_steps = 4 in the checkpoint, 5 now")
        && e.getMessage().contains("seed = 7 in the checkpoint, 8 now"), e.getMessage());
    assertTrue(!e.getMessage().contains("iterations"), e.getMessage());
  }

  /** A run may be extended, and lr_img / lr_lr lowered after a divergence. */
  @Test
  void iterationsAndLearningRatesMayChange() {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    Checkpoint.save(file, state(), config());
    DistillConfig changed = config().toBuilder().iterations(500).lrImg(0.1).lrLr(1e-6)
        .maxConsecutiveFailures(3).build();
    assertEquals(state(), Checkpoint.load(file, changed));
  }

  /** FTD's image EMA is stored beside the images and comes back bit-exactly. */
  @Test
  void roundTripsTheImageEma() {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    DistillConfig withEma = config().toBuilder().emaDecay(0.999).build();
    DistillState s = state();
    float[] ema = s.set().images();
    ema[0] = -0f;
    ema[2] = 1e-3f;
    DistillState withState = new DistillState(s.set(), s.imageOptimizer(), s.lrOptimizer(),
        s.nextIteration(), s.consecutiveFailures(), Optional.of(new ImageEma.State(ema, 13)));
    Checkpoint.save(file, withState, withEma);
    DistillState back = Checkpoint.load(file, withEma);
    assertEquals(withState, back);
    assertEquals(13, back.imageEma().orElseThrow().steps());
    assertArrayEquals(ema, back.emaSet().orElseThrow().images(), 0f);
    var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, config()));
    assertTrue(e.getMessage().contains("ema_decay = 0.999 in the checkpoint, 0.0 now"),
        e.getMessage());
  }

  /** The AST settings change what the state means, so they must match on resume. */
  @Test
  void astSettingsAreChecked() {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    DistillConfig ast = config().toBuilder().matchingLoss(IntermediateMatching.equal())
        .innerLoss(BalancedInnerLoss.paper()).startPerturbation(FilterWisePerturbation.paper())
        .innerMomentum(0.9).build();
    Checkpoint.save(file, state(), ast);
    assertEquals(state(), Checkpoint.load(file, ast));
    DistillConfig other = ast.toBuilder().matchingLoss(IntermediateMatching.linear())
        .startPerturbation(new FilterWisePerturbation(0.2)).build();
    var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, other));
    assertTrue(e.getMessage().contains("matching_loss = intermediate(weights=equal) in the"
        + " checkpoint, intermediate(weights=linear) now")
        && e.getMessage().contains("start_perturbation = filter-wise(rho=0.1) in the"
        + " checkpoint, filter-wise(rho=0.2) now"), e.getMessage());
  }

  /**
   * A format-1 checkpoint (before the AST and FTD settings and the EMA) resumes as a plain
   * MTT run, and only as one. The file is rebuilt as version 1 wrote it: the new header
   * fields and config keys removed, no EMA section.
   */
  @Test
  void readsVersion1CheckpointsOfMttRuns() throws IOException {
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    Checkpoint.save(file, state(), config());
    byte[] v2 = Files.readAllBytes(file);
    ByteBuffer in = ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = in.getInt(12);
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode h = (ObjectNode) mapper.readTree(new String(v2, 16, headerLength,
        StandardCharsets.UTF_8));
    h.remove(List.of("ema_values", "ema_steps"));
    ((ObjectNode) h.get("config")).remove(List.of("matching_loss", "inner_loss",
        "start_perturbation", "inner_momentum", "ema_decay"));
    byte[] header = mapper.writeValueAsBytes(h);
    int body = v2.length - 16 - headerLength - 4; // images, their momentum, syn_lr's
    ByteBuffer out = ByteBuffer.allocate(16 + header.length + body + 4)
        .order(ByteOrder.LITTLE_ENDIAN);
    out.put(v2, 0, 8).putInt(1).putInt(header.length).put(header)
        .put(v2, 16 + headerLength, body);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    Files.write(file, out.array());

    assertEquals(state(), Checkpoint.load(file, config()));
    DistillConfig ast = config().toBuilder().matchingLoss(IntermediateMatching.equal()).build();
    var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, ast));
    assertTrue(e.getMessage().contains("matching_loss = normalized-parameter-distance in the"
        + " checkpoint, intermediate(weights=equal) now"), e.getMessage());
  }
}
