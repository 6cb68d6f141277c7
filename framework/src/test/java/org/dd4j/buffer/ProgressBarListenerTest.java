package org.dd4j.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class ProgressBarListenerTest {

  @Test
  void noTestAccuracyBeforeTheFirstTestPass() {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.ROOT);
    try {
      assertEquals("ep 0 loss 2.303", ProgressBarListener.status(0, 2.3026, Double.NaN));
      assertEquals("ep 2 loss 0.412 test 81.25%",
          ProgressBarListener.status(2, 0.4123, 0.8125));
    } finally {
      Locale.setDefault(saved);
    }
  }
}
