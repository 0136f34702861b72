package io.codesous.cli;

import io.codesous.platform.PlatformDefaults;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * {@code cs}: the code-sous command line.
 *
 * <p>The environment and stdin are handed in rather than read from {@link System} by the commands,
 * so a caller embedding the CLI (or a test) decides what the commands see.
 */
@Command(name = "cs",
    footer = {"", "Examples:",
        "  cs server                                  # embedded platform on :8080",
        "  cs deploy --tenant acme hello ./hello --alias prod",
        "  cs invoke acme default hello prod /items?x=1",
        "  cs run ./hello                             # no server: run a directory once",
        "  cs <command> --help                        # each command's options and examples"},
    mixinStandardHelpOptions = true, version = "code-sous 0.1.0",
    description = "code-sous: run JavaScript functions safely, for many tenants.",
    subcommands = {ServerCommand.class, TokenCommand.class, ApiCommand.class, FunctionsCommand.class,
        DeployCommand.class, InvokeCommand.class, ActivationsCommand.class, SecretsCommand.class,
        DraftsCommand.class, VersionsCommand.class, AliasesCommand.class, LogsCommand.class, RunCommand.class, SchedulesCommand.class,
        AutoComplete.GenerateCompletion.class})
public final class Cs implements Runnable {

  /** Names the server's data directory; the server reads the same variable. */
  static final String ENV_DATA_DIR = "CS_DATADIR";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final Map<String, String> env;
  private final InputStream stdin;

  public Cs() {
    this(System.getenv(), System.in);
  }

  public Cs(Map<String, String> env, InputStream stdin) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    this.stdin = Objects.requireNonNull(stdin, "stdin");
  }

  public static void main(String[] args) {
    System.exit(commandLine(new Cs()).execute(args));
  }

  /**
   * The command line of {@code cs}. picocli's argument files are off: {@code @FILE} is an option's value here
   * ({@code --data @body.json}, {@code --payload @payload.json}), which picocli would otherwise replace by the
   * file's words.
   */
  static CommandLine commandLine(Cs cs) {
    CommandLine line = new CommandLine(cs).setExpandAtFiles(false);
    // picocli's own command: its help gets the example it lacks here
    line.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().footer("", "Example:",
        "  cs generate-completion > ~/.cs-completion   # bash or zsh; then: source ~/.cs-completion");
    return line;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  Map<String, String> env() {
    return env;
  }

  InputStream stdin() {
    return stdin;
  }

  /** Whether stdin is the process's own, so a terminal prompt (without echo) may be used. */
  boolean stdinIsConsole() {
    return stdin == System.in && System.console() != null;
  }

  /** The data directory: the option, else {@code CS_DATADIR}, else the server's default. */
  Path dataDir(String option) {
    if (option != null && !option.isBlank()) {
      return Path.of(option);
    }
    String fromEnv = env.get(ENV_DATA_DIR);
    return Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : PlatformDefaults.DEFAULT_DATA_DIR);
  }
}
