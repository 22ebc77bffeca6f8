package dev.orderly.chart;

/** A chart could not be read, unpacked or rendered; the message includes Helm's own error text. */
public class ChartRenderException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ChartRenderException(String message) {
    super(message);
  }

  public ChartRenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
