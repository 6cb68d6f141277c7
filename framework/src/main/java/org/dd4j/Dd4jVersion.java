package org.dd4j;

/** The dd4j version written into every output file. */
public final class Dd4jVersion {

  /** Kept equal to the Maven project version. */
  public static final String VERSION = "0.1.0-SNAPSHOT";

  private Dd4jVersion() {}
}
