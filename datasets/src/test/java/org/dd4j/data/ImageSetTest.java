package org.dd4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The one-array ceiling of an ImageSet, checked before anything is allocated. */
class ImageSetTest {

  @Test
  void aDatasetAboveOneArrayIsOneClearLineBeforeAllocating() {
    // 43,690 images of 128x128x3 = 2,147,450,880 floats fit; one more image does not
    assertEquals(2_147_450_880, ImageSet.floats("big", 43_690, 128, 128, 3));
    DatasetException e = assertThrows(DatasetException.class,
        () -> ImageSet.floats("image-folder:/data/big (/data/big/train)", 43_691, 128, 128,
            3));
    assertEquals("image-folder:/data/big (/data/big/train): 43,691 images x 128x128x3 = "
        + "2,147,500,032 floats exceed the 2,147,483,639 that one Java float[] holds (dd4j "
        + "keeps a dataset in memory as one array); use fewer or smaller images",
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    // far above: no overflow of the count
    assertThrows(DatasetException.class,
        () -> ImageSet.floats("huge", 3_000_000_000L, 32, 32, 3));
  }
}
