package dev.orderly.kube;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.teardown.TeardownLedger;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A ledger Secret that cannot be read is a fact about its content, reported as such, never taken
 * for an API error to retry (JSON errors come wrapped in a client exception with an I/O cause).
 */
class TeardownLedgerStoreTest {
  @Test
  void aLedgerWhoseJsonDoesNotParseIsUnreadableNotTransient() {
    Secret ledger = ledger(TeardownLedger.compress("{\"phase\": [not json"));

    assertThatThrownBy(() -> TeardownLedgerStore.decode(ledger))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the teardown ledger Secret web.orderly-teardown cannot be read: ");
  }

  @Test
  void aLedgerThatIsNotGzipIsUnreadable() {
    Secret ledger = ledger("plain text".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> TeardownLedgerStore.decode(ledger))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("web.orderly-teardown cannot be read");
  }

  private static Secret ledger(byte[] data) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("web.orderly-teardown")
        .endMetadata()
        .addToData(TeardownLedger.DATA_KEY, Base64.getEncoder().encodeToString(data))
        .build();
  }
}
