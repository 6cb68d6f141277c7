package org.dd4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RegistrationReportTest {

  @Test
  void everyListedOpEndsUpWithAGradient() {
    SecondOrderGradients.register();
    Set<String> all = new TreeSet<>(SecondOrderGradients.registeredByDd4j());
    all.addAll(SecondOrderGradients.nativeGradients());
    System.out.println("dd4j-registered: " + SecondOrderGradients.registeredByDd4j()
        + "; native: " + SecondOrderGradients.nativeGradients());
    assertEquals(new TreeSet<>(SecondOrderGradients.opNames()), all);
  }
}
