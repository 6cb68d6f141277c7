package org.dd4j.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.dd4j.data.Preprocessing;
import org.dd4j.models.InputShape;
import org.dd4j.synthetic.SyntheticSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {

  @TempDir Path dir;

  /** Maps [0, 1] to [-1, 1]; invert goes back. */
  private static final Preprocessing TWICE_MINUS_ONE = new Preprocessing() {
    @Override
    public String name() {
      return "twice_minus_one";
    }

    @Override
    public float[] apply(float[] x) {
      float[] y = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        y[i] = 2 * x[i] - 1;
      }
      return y;
    }

    @Override
    public float[] invert(float[] x) {
      float[] y = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        y[i] = (x[i] + 1) / 2;
      }
      return y;
    }

    @Override
    public Map<String, Object> describe() {
      return Map.of("name", name());
    }
  };

  /** numClasses x ipc images of {@code shape}, all black except one all-white image. */
  private static SyntheticSet oneWhite(InputShape shape, int numClasses, int ipc,
      int whiteIndex) {
    float[] x = new float[numClasses * ipc * shape.size()];
    Arrays.fill(x, whiteIndex * shape.size(), (whiteIndex + 1) * shape.size(), 1f);
    return new SyntheticSet(x, SyntheticSet.classMajorLabels(numClasses, ipc), shape,
        numClasses, ipc, 0.01);
  }

  private static int[] rgb(BufferedImage img, int x, int y) {
    Raster r = img.getRaster();
    int[] px = new int[r.getNumBands()];
    return r.getPixel(x, y, px);
  }

  @Test
  void rgbGridHasExpectedSizeAndWhiteCell() throws IOException {
    InputShape shape = new InputShape(8, 8, 3);
    assertEquals(8, ImageGrid.autoScale(shape));
    SyntheticSet set = oneWhite(shape, 2, 3, 1 * 3 + 2); // class 1, image 2
    Path png = dir.resolve("grid.png");
    ImageGrid.Layout layout = ImageGrid.write(png, set, null, 8);
    BufferedImage img = ImageIO.read(png.toFile());
    // 3 cells of 64 px + 2 gaps of 2 px; 2 rows of 64 px + 1 gap.
    assertEquals(3 * 64 + 2 * 2, img.getWidth());
    assertEquals(2 * 64 + 2, img.getHeight());
    assertEquals(img.getWidth(), layout.width());
    assertEquals(img.getHeight(), layout.height());
    assertEquals(3, img.getRaster().getNumBands());
    int x0 = 2 * 66;
    int y0 = 66;
    assertArrayEquals(new int[] {x0, y0}, layout.cellOrigin(1, 2));
    for (int[] p : new int[][] {{x0, y0}, {x0 + 63, y0 + 63}, {x0 + 30, y0 + 17}}) {
      assertArrayEquals(new int[] {255, 255, 255}, rgb(img, p[0], p[1]));
    }
    assertArrayEquals(new int[] {0, 0, 0}, rgb(img, x0 - 3, y0)); // class 1 image 1
    assertArrayEquals(new int[] {0, 0, 0}, rgb(img, x0, y0 - 3)); // class 0 image 2
    int g = ImageGrid.GAP_LEVEL;
    assertArrayEquals(new int[] {g, g, g}, rgb(img, x0 - 1, y0)); // gap
    assertEquals(List.of(png.getFileName()), listDir()); // no temporary file left
  }

  @Test
  void channelsKeepTheirPlaceAndInverseAndClippingApply() throws IOException {
    InputShape shape = new InputShape(2, 2, 3);
    // In [-1, 1] space: pixel (0,0) = (1, -1, 0) -> RGB (255, 0, 128); pixel (0,1) = 7 -> 255.
    float[] x = new float[shape.size()];
    x[0] = 1f;
    x[1] = -1f;
    x[2] = 0f;
    x[3] = 7f;
    x[4] = 7f;
    x[5] = -7f;
    SyntheticSet set = new SyntheticSet(x, new int[] {0}, shape, 1, 1, 0.01);
    Path png = dir.resolve("grid.png");
    ImageGrid.write(png, set, TWICE_MINUS_ONE, 3);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(6, img.getWidth());
    assertArrayEquals(new int[] {255, 0, 128}, rgb(img, 2, 2));
    assertArrayEquals(new int[] {255, 255, 0}, rgb(img, 3, 0));
  }

  @Test
  void oneChannelGivesGreyPng() throws IOException {
    InputShape shape = new InputShape(4, 4, 1);
    SyntheticSet set = oneWhite(shape, 3, 2, 3); // class 1, image 1
    Path png = dir.resolve("grey.png");
    ImageGrid.write(png, set, null, ImageGrid.autoScale(shape));
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
    assertEquals(2 * 64 + 2, img.getWidth());
    assertEquals(3 * 64 + 2 * 2, img.getHeight());
    assertEquals(255, img.getRaster().getSample(66 + 5, 66 + 5, 0));
    assertEquals(0, img.getRaster().getSample(5, 66 + 5, 0));
  }

  @Test
  void moreThanTenPerClassWraps() {
    InputShape shape = new InputShape(2, 2, 1);
    SyntheticSet set = oneWhite(shape, 2, 12, 12 + 11); // class 1, image 11
    ImageGrid.Layout layout = ImageGrid.layout(set, 1);
    assertEquals(10, layout.columns());
    assertEquals(2, layout.rowsPerClass());
    BufferedImage img = ImageGrid.render(set, null, 1);
    assertEquals(10 * 2 + 9 * 2, img.getWidth());
    assertEquals(4 * 2 + 3 * 2, img.getHeight());
    int[] o = layout.cellOrigin(1, 11); // row 3, column 1
    assertArrayEquals(new int[] {4, 12}, o);
    assertEquals(255, img.getRaster().getSample(o[0] + 1, o[1] + 1, 0));
    assertEquals(ImageGrid.GAP_LEVEL, img.getRaster().getSample(16, 12, 0)); // unused cell
  }

  @Test
  void twoChannelsAreRefused() {
    SyntheticSet set = oneWhite(new InputShape(2, 2, 2), 1, 1, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageGrid.write(dir.resolve("x.png"), set, null, 1));
    assertEquals("image grid needs 1 or 3 channels, got 2", e.getMessage());
  }

  private List<Path> listDir() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(Path::getFileName).sorted().toList();
    }
  }
}
