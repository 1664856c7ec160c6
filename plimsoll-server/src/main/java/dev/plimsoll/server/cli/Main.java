package dev.plimsoll.server.cli;

/** The {@code plimsoll} executable: {@code java -jar plimsoll.jar <command>}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(PlimsollCommand.commandLine().execute(args));
  }
}
