package dev.orderly.cli;

/**
 * A command cannot go on, for a reason the user can act on: the message is one line that names the
 * cause and what to do, printed as is with exit status 2.
 */
final class CommandFailure extends RuntimeException {
  CommandFailure(String message) {
    super(message);
  }

  CommandFailure(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The innermost cause's message, on one line: what a user can read without a stack trace, e.g.
   * "Connection refused" rather than the client's "Operation [list] ... failed".
   */
  static String rootCause(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    String text =
        message == null || message.isBlank()
            ? root.getClass().getSimpleName()
            : message.lines().findFirst().orElse("").trim();
    return text.isEmpty() ? root.getClass().getSimpleName() : text;
  }
}
