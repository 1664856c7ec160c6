package dev.plimsoll.jdbc;

import dev.plimsoll.PlimsollException;

/**
 * The database holds a Plimsoll schema newer than this version of Plimsoll knows: another node was
 * upgraded first. The store refuses to start rather than misread the tables; upgrade this node.
 */
public final class SchemaVersionException extends PlimsollException {
  private static final long serialVersionUID = 1L;
  private final int found;
  private final int known;

  public SchemaVersionException(String where, int found, int known) {
    super(
        "the Plimsoll schema in "
            + where
            + " is at version "
            + found
            + ", newer than version "
            + known
            + " that this Plimsoll knows; upgrade Plimsoll on this node (or point it at another"
            + " database) before starting it");
    this.found = found;
    this.known = known;
  }

  /** The version recorded in the database. */
  public int found() {
    return found;
  }

  /** The newest version this code knows. */
  public int known() {
    return known;
  }

  @Override
  public String code() {
    return "schema_too_new";
  }
}
