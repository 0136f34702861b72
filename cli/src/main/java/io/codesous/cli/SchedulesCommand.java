package io.codesous.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;

/** {@code cs schedules put|list|get|ticks|pause|resume|trigger|delete}: functions run on a timetable. */
@Command(name = "schedules",
    footer = {"", "Examples:",
        "  cs schedules put --tenant acme nightly --function hello --ref prod --cron '0 3 * * *'",
        "  cs schedules list --tenant acme"},
    mixinStandardHelpOptions = true,
    description = "Create, read, pause, resume, trigger and delete schedules (functions run on a timetable).",
    subcommands = {SchedulesCommand.Put.class, SchedulesCommand.List.class, SchedulesCommand.Get.class,
        SchedulesCommand.Ticks.class, SchedulesCommand.Pause.class, SchedulesCommand.Resume.class,
        SchedulesCommand.Trigger.class, SchedulesCommand.Delete.class})
final class SchedulesCommand extends CliCommand {

  @Override
  protected int execute() {
    spec.commandLine().usage(err());
    return CliException.USAGE;
  }

  static String schedulesPath(Target target) {
    return target.path() + "/schedules";
  }

  static String schedulePath(Target target, String name) {
    return schedulesPath(target) + "/" + ApiClient.segment(name);
  }

  /** Exactly one timing: a fixed interval or a cron expression. */
  static final class Timing {
    @Option(names = "--every", required = true, paramLabel = "DURATION",
        description = "Fixed interval, at least 1s: e.g. 30s, 5m, 1h")
    String every;

    @Option(names = "--cron", required = true, paramLabel = "EXPR",
        description = "Standard 5-field cron expression, e.g. '*/5 * * * *'")
    String cron;
  }

  @Command(name = "put",
      footer = {"", "Examples:",
          "  cs schedules put --tenant acme nightly --function hello --ref prod --cron '0 3 * * *' \\",
          "      --timezone Europe/Berlin",
          "  cs schedules put --tenant acme poll --function poller --every 30s --payload '{\"source\":\"rss\"}'"},
      mixinStandardHelpOptions = true,
      description = "Create or replace a schedule; prints it with its next fire time.")
  static final class Put extends ClientCommand {
    @Mixin
    Target target;

    @Parameters(paramLabel = "NAME", description = "Schedule name")
    String name;

    @Option(names = "--function", required = true, paramLabel = "FUNCTION", description = "Function to run")
    String function;

    @Option(names = "--ref", defaultValue = "latest", paramLabel = "REF",
        description = "Version number, alias, or latest (default: ${DEFAULT-VALUE})")
    String ref;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Timing timing;

    @Option(names = "--timezone", paramLabel = "ZONE", description = "IANA zone of a cron expression (default UTC)")
    String timezone;

    @Option(names = "--overlap", paramLabel = "POLICY",
        description = "skip (default), allow, buffer_one or buffer_all: what a tick does while the last run goes on")
    String overlap;

    @Option(names = "--catchup", paramLabel = "DURATION",
        description = "How old a tick missed during an outage may be and still run (default 0s)")
    String catchup;

    @Option(names = "--payload", paramLabel = "JSON|@FILE", description = "JSON object passed to each run")
    String payload;

    @Option(names = "--disabled", description = "Create it paused")
    boolean disabled;

    @Override
    protected int execute() throws CliException {
      JsonObject body = new JsonObject().put("function", function).put("ref", ref);
      if (timing.every != null) {
        body.put("every", timing.every);
      } else {
        body.put("cron", timing.cron);
      }
      if (timezone != null) {
        body.put("timezone", timezone);
      }
      if (overlap != null) {
        body.put("overlap", overlap);
      }
      if (catchup != null) {
        body.put("catchup_window", catchup);
      }
      if (payload != null) {
        String text = new String(RequestBody.read(payload, "--payload"), StandardCharsets.UTF_8);
        try {
          body.put("payload", new JsonObject(text));
        } catch (DecodeException | ClassCastException e) {
          throw CliException.usage("--payload: not a JSON object");
        }
      }
      if (disabled) {
        body.put("enabled", false);
      }
      return print(client().putJson(schedulePath(target, name), body));
    }
  }

  @Command(name = "list",
      footer = {"", "Example:",
          "  cs schedules list --tenant acme"},
      mixinStandardHelpOptions = true, description = "List a namespace's schedules.")
  static final class List extends ClientCommand {
    @Mixin
    Target target;

    @Override
    protected int execute() throws CliException {
      return print(client().get(schedulesPath(target)));
    }
  }

  @Command(name = "get",
      footer = {"", "Example:",
          "  cs schedules get --tenant acme nightly"},
      mixinStandardHelpOptions = true,
      description = "Read a schedule with its live state: next fire time, inflight runs, counters.")
  static final class Get extends Named {
    @Override
    protected int execute() throws CliException {
      return print(client().get(schedulePath(target, name)));
    }
  }

  @Command(name = "ticks",
      footer = {"", "Example:",
          "  cs schedules ticks --tenant acme nightly --limit 5"},
      mixinStandardHelpOptions = true,
      description = "A schedule's recent ticks, newest first, each with its outcome.")
  static final class Ticks extends Named {
    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "At most N (default: 20)")
    int limit;

    @Override
    protected int execute() throws CliException {
      return print(client().get(schedulePath(target, name) + "/ticks?limit=" + limit));
    }
  }

  @Command(name = "pause",
      footer = {"", "Example:",
          "  cs schedules pause --tenant acme nightly"},
      mixinStandardHelpOptions = true,
      description = "Stop a schedule's ticks; those of the pause are never caught up.")
  static final class Pause extends Named {
    @Override
    protected int execute() throws CliException {
      return print(client().postJson(schedulePath(target, name) + "/pause", new JsonObject()));
    }
  }

  @Command(name = "resume",
      footer = {"", "Example:",
          "  cs schedules resume --tenant acme nightly"},
      mixinStandardHelpOptions = true, description = "Restart a paused schedule from now.")
  static final class Resume extends Named {
    @Override
    protected int execute() throws CliException {
      return print(client().postJson(schedulePath(target, name) + "/resume", new JsonObject()));
    }
  }

  @Command(name = "trigger",
      footer = {"", "Example:",
          "  cs schedules trigger --tenant acme nightly"},
      mixinStandardHelpOptions = true,
      description = "Fire once now, under the schedule's overlap policy.")
  static final class Trigger extends Named {
    @Override
    protected int execute() throws CliException {
      return print(client().postJson(schedulePath(target, name) + "/trigger", new JsonObject()));
    }
  }

  @Command(name = "delete",
      footer = {"", "Example:",
          "  cs schedules delete --tenant acme nightly"},
      mixinStandardHelpOptions = true, description = "Delete a schedule.")
  static final class Delete extends Named {
    @Override
    protected int execute() throws CliException {
      return print(client().delete(schedulePath(target, name)));
    }
  }

  /** A command about one schedule. */
  abstract static class Named extends ClientCommand {
    @Mixin
    Target target;

    @Parameters(paramLabel = "NAME", description = "Schedule name")
    String name;
  }
}
