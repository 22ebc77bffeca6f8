package dev.orderly.logging;

import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger that hands each event to {@link LogOutput}. */
final class OrderlyLogger extends LegacyAbstractLogger {
  OrderlyLogger(String name) {
    this.name = name;
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable error) {
    String message = MessageFormatter.basicArrayFormat(pattern, arguments);
    LogOutput.write(level, name, message, error, MDC.getCopyOfContextMap());
  }

  @Override
  public boolean isTraceEnabled() {
    return LogOutput.enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return LogOutput.enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return LogOutput.enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return LogOutput.enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return LogOutput.enabled(Level.ERROR);
  }
}
