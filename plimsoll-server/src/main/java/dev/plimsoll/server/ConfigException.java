package dev.plimsoll.server;

/**
 * A setting is missing, unknown or outside what it allows. The message names the key (and the
 * environment variable or file it came from) and the allowed values; the server does not start.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String key;

  public ConfigException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  /** The dotted key of the offending setting, e.g. {@code store.kind}. */
  public String key() {
    return key;
  }
}
