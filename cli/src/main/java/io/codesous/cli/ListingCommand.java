package io.codesous.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Mixin;

import java.util.List;

/** A command that answers rows: a table on a terminal (or with {@code --output table}), else the API's JSON. */
abstract class ListingCommand extends ClientCommand {

  @Mixin
  OutputOptions output;

  /** Prints the answer's {@code member} array as a table of {@code columns}, or the whole answer as JSON. */
  int printRows(ApiClient.Response response, String member, List<String> columns) throws CliException {
    if (!response.ok() || !output.table()) {
      return print(response);
    }
    JsonObject answer = jsonObject(response);
    JsonArray rows = answer.getJsonArray(member, new JsonArray());
    out().print(Tables.render(rows, columns, Terminal.colour(root().env())));
    return 0;
  }

  /** Prints one object as a table of one row, or as JSON. */
  int printRow(ApiClient.Response response, List<String> columns) throws CliException {
    if (!response.ok() || !output.table()) {
      return print(response);
    }
    out().print(Tables.render(new JsonArray().add(jsonObject(response)), columns, Terminal.colour(root().env())));
    return 0;
  }
}
