package dev.orderly.readiness;

/** Whether one object is ready, and if not, why in a few words. */
public record Verdict(boolean ready, String why) {
  private static final Verdict READY = new Verdict(true, null);

  public static Verdict isReady() {
    return READY;
  }

  public static Verdict notReady(String why) {
    return new Verdict(false, why);
  }
}
