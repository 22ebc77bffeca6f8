package dev.orderly.logging;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Orderly's SLF4J binding: text or JSON lines ({@link LogOutput}); level from the {@code
 * ORDERLY_LOG_LEVEL} environment variable or {@code orderly.log.level} property.
 */
public final class OrderlyLoggingProvider implements SLF4JServiceProvider {
  private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
  private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, OrderlyLogger::new);
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    String level = System.getProperty("orderly.log.level", System.getenv("ORDERLY_LOG_LEVEL"));
    if (level != null && !level.isBlank()) {
      LogOutput.setThreshold(Level.valueOf(level.trim().toUpperCase(Locale.ROOT)));
    }
  }
}
