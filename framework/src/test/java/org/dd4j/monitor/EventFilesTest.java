package org.dd4j.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * Event files written by TensorFlow's summary kernels ({@link EventWriter}) read back by
 * {@link EventFiles}: every record's checksums, the values, an image, the hparams; a cut or
 * damaged file keeps the records before the damage and says where.
 */
class EventFilesTest {

  private static List<Summary.Value> values(EventFiles.Read r) {
    return r.events().stream().flatMap(e -> e.getSummary().getValueList().stream()).toList();
  }

  @Test
  void whatTensorFlowWroteReadsBack(@TempDir Path tmp) throws Exception {
    BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    img.getRaster().setPixel(1, 1, new int[] {10, 200, 30});
    Map<String, Object> hp = new LinkedHashMap<>();
    hp.put("distill.lr_img", 1000.0);
    hp.put("distill.tensorboard", true);
    hp.put("dataset", "fashion-mnist");
    try (EventWriter w = new EventWriter(tmp)) {
      w.scalar("Grand_Loss", 3, 0.75);
      w.histogram("Pixels", 4, new float[] {-1, 0, 1, 2});
      w.image("Synthetic_Images", 4, img);
      w.tensor(HParams.SESSION_START_TAG, 0, new byte[0], HParams.sessionStart(hp, 5.0));
    }
    List<Path> files = EventFiles.list(tmp);
    assertEquals(1, files.size());
    assertTrue(files.get(0).getFileName().toString().startsWith(EventFiles.PREFIX));
    EventFiles.Read r = EventFiles.read(files.get(0));
    assertEquals(java.util.Optional.empty(), r.problem());
    assertEquals("brain.Event:2", r.events().get(0).getFileVersion());
    List<Summary.Value> v = values(r);
    assertEquals(List.of("Grand_Loss", "Pixels", "Synthetic_Images/image",
        HParams.SESSION_START_TAG), v.stream().map(Summary.Value::getTag).toList());
    assertEquals(3, r.events().get(1).getStep());
    assertEquals(0.75f, v.get(0).getSimpleValue());
    assertEquals(4, v.get(1).getHisto().getNum(), 0);
    assertEquals(2.0, v.get(1).getHisto().getMax());
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(
        v.get(2).getImage().getEncodedImageString().toByteArray()));
    assertEquals(img.getRGB(1, 1), back.getRGB(1, 1));
    assertEquals(img.getRGB(0, 0), back.getRGB(0, 0));
    assertEquals(hp, HParams.readSessionStart(
        v.get(3).getMetadata().getPluginData().getContent().toByteArray()));
  }

  @Test
  void aDamagedFileKeepsTheRecordsBeforeTheDamage(@TempDir Path tmp) throws Exception {
    try (EventWriter w = new EventWriter(tmp)) {
      for (int i = 0; i < 5; i++) {
        w.scalar("Grand_Loss", i, i);
      }
    }
    Path f = EventFiles.list(tmp).get(0);
    byte[] whole = Files.readAllBytes(f);
    int events = EventFiles.read(f).events().size(); // the file version + 5 scalars
    assertEquals(6, events);

    Files.write(f, Arrays.copyOf(whole, whole.length - 3));
    EventFiles.Read cut = EventFiles.read(f);
    assertEquals(5, cut.events().size());
    assertTrue(cut.problem().orElseThrow().contains("record 6 at byte")
        && cut.problem().get().contains("truncated"), cut.problem().toString());
    assertTrue(cut.warning().orElseThrow().startsWith("warning: " + f));

    byte[] flipped = whole.clone();
    flipped[whole.length - 10] ^= 1; // inside the last record's data
    Files.write(f, flipped);
    assertTrue(EventFiles.read(f).problem().orElseThrow().contains("data checksum"));
    assertEquals(5, EventFiles.read(f).events().size());

    // dropping steps >= 3 rewrites the file with the rest: step 3 dropped, the damaged
    // record of step 4 gone with the tail
    assertEquals(1, EventFiles.drop(tmp, e -> e.hasSummary() && e.getStep() >= 3));
    EventFiles.Read kept = EventFiles.read(f);
    assertEquals(java.util.Optional.empty(), kept.problem());
    assertEquals(List.of(0L, 1L, 2L), kept.events().stream().filter(Event::hasSummary)
        .map(Event::getStep).toList());
  }
}
