package org.dd4j.storage;

import java.nio.file.Path;

/**
 * The second process of {@link RunLockTest}: {@code hold DIR} locks DIR, prints "locked" and
 * waits to be killed; {@code try DIR} tries to lock DIR and exits 0 if it could, else prints
 * the refusal and exits 2 (as the dd4j command line does).
 */
public final class RunLockHolder {

  private RunLockHolder() {}

  public static void main(String[] args) throws InterruptedException {
    Path dir = Path.of(args[1]);
    if (args[0].equals("hold")) {
      RunLock.acquire(dir);
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(120_000);
      return;
    }
    try (RunLock lock = RunLock.acquire(dir)) {
      System.out.println("acquired");
    } catch (RunLockedException refused) {
      System.out.println(refused.getMessage());
      System.exit(2);
    }
  }
}
