package org.dd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dd4j.evaluate.EvalResult;
import org.junit.jupiter.api.Test;

class AccuracyTest {

  @Test
  void percentHasTwoDecimalsWithoutUnit() {
    assertEquals("78.40", Accuracy.percent(0.78404));
    assertEquals("100.00", Accuracy.percent(1.0));
    assertEquals("NaN", Accuracy.percent(Double.NaN));
  }

  @Test
  void meanStdIsInPercent() {
    assertEquals("78.40 +- 0.42 %", Accuracy.meanStd(0.78404, 0.0042));
  }

  @Test
  void anEvaluationWritesItsNetworksThroughIt() {
    // mean 0.5, population std 0.1 (np.std), as the tables and reports show them
    assertEquals("50.00 +- 10.00 % (2 networks)", new EvalResult(new double[] {0.4, 0.6})
        .toString());
  }
}
