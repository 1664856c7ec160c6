package dev.plimsoll.server.cli;

import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level {@code plimsoll} command. Its subcommands are listed once, in {@link #SUBCOMMANDS}:
 * adding a command (e.g. {@code leakwatch}) is one line there.
 */
@Command(
    name = "plimsoll",
    mixinStandardHelpOptions = true,
    versionProvider = PlimsollCommand.Version.class,
    description = {
      "Plimsoll: a background-job system that never loads past its line.",
      "",
      "Start a server:      plimsoll serve",
      "Submit a job:        plimsoll submit command --payload '{\"argv\":[\"echo\",\"hi\"]}'",
      "Read it back:        plimsoll job <id>",
      "See what it does:    plimsoll stats",
      ""
    },
    commandListHeading = "%nCommands:%n")
public final class PlimsollCommand implements Runnable {

  /** Every subcommand, in help order. */
  static final List<Supplier<Object>> SUBCOMMANDS =
      List.of(
          ServeCommand::new,
          SubmitCommand::new,
          JobCommand::new,
          StatsCommand::new,
          LeakwatchCommand::new);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The command line with every subcommand registered. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new PlimsollCommand());
    for (Supplier<Object> s : SUBCOMMANDS) {
      cl.addSubcommand(s.get());
    }
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The version from the jar manifest, or "development". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = PlimsollCommand.class.getPackage().getImplementationVersion();
      return new String[] {"plimsoll " + (v == null ? "development build" : v)};
    }
  }
}
