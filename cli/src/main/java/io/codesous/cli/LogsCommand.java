package io.codesous.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code cs logs ACTIVATION [--follow]} and {@code cs logs --function F --follow}: an activation's log entries, all
 * pages of them, or followed as they are written until it ends; or a live tail of the function's new activations,
 * whose lines interleave as they are written, each starting with its activation's short id. Text lines on a terminal
 * ({@code [id] time level message}), one JSON object a line when piped (with {@code activation_id} in a tail).
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = {"Print an activation's log entries (every page), follow them as they are written until it ends, "
        + "or follow the logs of a function's new activations as they run."},
    footer = {"", "Examples:",
        "  cs logs --tenant acme 6f1c…-activation-id",
        "  cs logs --tenant acme \"$ID\" --follow",
        "  cs logs --tenant acme --function hello --follow          # until Ctrl-C",
        "  cs logs --tenant acme --function hello --follow -o json | jq .message"})
final class LogsCommand extends ClientCommand {

  /** How often the live tail of a function lists its activations. */
  static final long TAIL_POLL_MS = 500;
  /** How many characters of an activation id a tail's text line starts with. */
  static final int SHORT_ID = 8;

  @Mixin
  Target target;

  @Mixin
  OutputOptions output;

  @Parameters(arity = "0..1", paramLabel = "ACTIVATION", description = "Activation id")
  String activationId;

  @Option(names = "--function", paramLabel = "F", description = "Follow the new activations of this function")
  String function;

  @Option(names = {"-f", "--follow"}, description = "Keep printing until the activation ends (or, with "
      + "--function, until interrupted)")
  boolean follow;

  @Option(names = "--max-activations", paramLabel = "N",
      description = "With --function: stop after the logs of N activations")
  Integer maxActivations;

  @Override
  protected int execute() throws CliException {
    if ((activationId == null) == (function == null)) {
      throw CliException.usage("name an ACTIVATION or --function F (not both)");
    }
    if (function != null) {
      if (!follow) {
        throw CliException.usage("--function needs --follow (list a function's activations with cs activations list)");
      }
      return tail();
    }
    return follow ? followOne() : allPages();
  }

  private String logsPath(String id) {
    return ActivationsCommand.activationPath(target, id) + "/logs";
  }

  private int allPages() throws CliException {
    String cursor = null;
    do {
      ApiClient.Response page = client().get(logsPath(activationId) + "?limit=1000"
          + (cursor == null ? "" : "&cursor=" + ApiClient.segment(cursor)));
      if (!page.ok()) {
        return fail(page);
      }
      JsonObject json = jsonObject(page);
      json.getJsonArray("logs", new JsonArray()).forEach(e -> printEntry(null, (JsonObject) e));
      cursor = json.getString("next_cursor");
    } while (cursor != null);
    return 0;
  }

  private int followOne() throws CliException {
    return follow(activationId, false);
  }

  /**
   * Prints an activation's entries as they are written until it ends, following again when the server's follow
   * ends first; {@code tagged} puts the activation id on each line (the tail of a function).
   */
  private int follow(String id, boolean tagged) throws CliException {
    while (true) {
      JsonObject[] closing = new JsonObject[1];
      ApiClient.Response response = client().streamLines(logsPath(id) + "?follow=true", line -> {
        JsonObject json = new JsonObject(line);
        if (json.containsKey("done") || json.containsKey("error")) {
          closing[0] = json;
        } else {
          printEntry(tagged ? id : null, json);
        }
      });
      if (!response.ok()) {
        return fail(response);
      }
      if (closing[0] == null || closing[0].containsKey("error")) {
        err().println("cs: the log stream ended early" + (closing[0] == null ? "" : ": " + closing[0].encode()));
        return CliException.FAILED;
      }
      if (closing[0].getBoolean("done", false)) {
        ended(id, closing[0].getString("status"));
        return 0;
      }
      // the server's follow ended before the activation did: follow again
    }
  }

  /**
   * Lists the function's activations until interrupted. Each new one, oldest first, is followed on a thread of its
   * own: its lines are printed as it writes them, until it ends, so the lines of activations that run at the same
   * time interleave as they were written, each tagged with its activation. One that already ended is printed whole.
   */
  private int tail() throws CliException {
    String listPath = FunctionsCommand.functionPath(target, function) + "/activations?limit=50";
    Set<String> known = new HashSet<>();
    ApiClient.Response first = client().get(listPath);
    if (!first.ok()) {
      return fail(first);
    }
    // what already ended before the tail began is not new; what still runs is followed
    activations(first).stream().filter(a -> terminal(a.getString("status")))
        .forEach(a -> known.add(a.getString("activation_id")));
    if (Terminal.attached()) {
      err().println("cs: following new activations of " + function + " (Ctrl-C to stop)");
    }
    try (ActivationFollowers followers = new ActivationFollowers(id -> follow(id, true), err())) {
      while (maxActivations == null || followers.ended() < maxActivations) {
        if (maxActivations == null || followers.started() < maxActivations) {
          ApiClient.Response listed = client().get(listPath);
          if (!listed.ok()) {
            return fail(listed);
          }
          List<JsonObject> oldestFirst = new ArrayList<>(activations(listed));
          Collections.reverse(oldestFirst);
          for (JsonObject activation : oldestFirst) {
            String id = activation.getString("activation_id");
            if ((maxActivations != null && followers.started() >= maxActivations) || !known.add(id)) {
              continue;
            }
            if (!terminal(activation.getString("status"))) {
              followers.start(id);
              continue;
            }
            int exit = followers.printEnded(id);
            if (exit != 0) {
              return exit;
            }
          }
        }
        int failed = followers.awaitEnds(TAIL_POLL_MS);
        if (failed != 0) {
          return failed;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static List<JsonObject> activations(ApiClient.Response response) throws CliException {
    return jsonObject(response).getJsonArray("activations", new JsonArray()).stream()
        .map(JsonObject.class::cast).toList();
  }

  private static boolean terminal(String status) {
    return status != null && !status.equals("queued") && !status.equals("running");
  }

  /** Prints one entry; followers of a tail print from threads of their own, one whole line at a time. */
  private void printEntry(String id, JsonObject entry) {
    String line;
    if (!output.table()) {
      line = id == null ? entry.encode() : entry.copy().put("activation_id", id).encode();
    } else {
      String time = entry.getLong("ts_ms") == null ? "-" : Instant.ofEpochMilli(entry.getLong("ts_ms")).toString();
      line = (id == null ? "" : shortId(id) + " ") + time + " " + String.format("%-5s", entry.getString("level", ""))
          + " " + entry.getString("message", "");
    }
    synchronized (out()) {
      out().println(line);
      out().flush();
    }
  }

  /**
   * The start of an activation id, enough to tell apart the activations of one tail on a terminal: ids are random
   * UUIDs, so 8 hex digits collide among a few hundred concurrent ones about once in ten million.
   */
  static String shortId(String id) {
    return id.length() > SHORT_ID ? id.substring(0, SHORT_ID) : id;
  }

  /** On a terminal, a line saying how the activation ended; a pipe gets the entries only. */
  private void ended(String id, String status) {
    if (output.table()) {
      synchronized (err()) {
        err().println("-- activation " + id + " ended " + Terminal.status(status, Terminal.colour(root().env())));
      }
    }
  }
}
