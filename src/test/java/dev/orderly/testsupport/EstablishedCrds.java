package dev.orderly.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The status the apiextensions controller gives a CRD whose names it accepted. */
final class EstablishedCrds {

  private EstablishedCrds() {}

  /** Sets {@code status} of {@code crd} to NamesAccepted and Established, with stored versions. */
  static JsonNode establish(JsonNode crd) {
    ObjectNode status = ((ObjectNode) crd).putObject("status");
    status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
    ArrayNode conditions = status.putArray("conditions");
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    for (List<String> condition :
        List.of(
            List.of("NamesAccepted", "NoConflicts", "no conflicts found"),
            List.of(
                "Established", "InitialNamesAccepted", "the initial names have been accepted"))) {
      conditions
          .addObject()
          .put("type", condition.get(0))
          .put("status", "True")
          .put("reason", condition.get(1))
          .put("message", condition.get(2))
          .put("lastTransitionTime", now);
    }
    ArrayNode stored = status.putArray("storedVersions");
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.path("storage").asBoolean()) {
        stored.add(version.path("name").asText());
      }
    }
    return crd;
  }
}
