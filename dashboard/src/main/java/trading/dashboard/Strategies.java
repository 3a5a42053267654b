package trading.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The strategies the dashboard shows, as each describes itself at {@code GET /strategy}: its
 * name, rule, effective parameters and how to draw its indicators. Asked again on every poll
 * ({@link ServiceWatch}), so a strategy that starts later, or is redeployed with other
 * parameters, appears as it now is; one that does not answer is listed as unavailable.
 */
@ApplicationScoped
public class Strategies {

    /** A strategy that answered: its address and its own description. */
    public record Known(String name, String url, JsonNode description) {
        /** Its key in answers that name services ({@code strategy-abc}). */
        public String service() {
            return "strategy-" + name;
        }

        /** The names of its indicators, in the order it draws them. */
        public List<String> indicatorNames() {
            List<String> names = new ArrayList<>();
            description.path("indicators").forEach(plot -> names.add(plot.path("name").asText()));
            return names;
        }

        public String applicationId() {
            return description.path("applicationId").asText("trading-strategy." + name);
        }
    }

    private final ServiceClient services;
    private final ServiceUrls urls;
    private volatile List<Known> known = List.of();
    private volatile Map<String, String> unavailable = Map.of();

    public Strategies(ServiceClient services, ServiceUrls urls) {
        this.services = services;
        this.urls = urls;
    }

    /** Asks every strategy what it is; blocks for at most the client's answer timeout. */
    void refresh() {
        Map<String, CompletableFuture<ServiceClient.Answer>> asked = new LinkedHashMap<>();
        for (String url : urls.strategies()) {
            asked.put(url, services.getAt(url, url, "/strategy"));
        }
        Map<String, Known> byName = new LinkedHashMap<>();
        Map<String, String> missing = new LinkedHashMap<>();
        for (Known before : known) {
            byName.put(before.name(), before); // keep what an unanswering strategy said before
        }
        asked.forEach((url, future) -> {
            ServiceClient.Answer answer = future.join();
            if (answer.ok() && answer.body() != null && answer.body().hasNonNull("name")) {
                byName.put(answer.body().path("name").asText(), new Known(answer.body().path("name").asText(), url, answer.body()));
            } else {
                missing.put("strategy at " + url, answer.why());
            }
        });
        known = byName.values().stream().sorted(java.util.Comparator.comparing(Known::name)).toList();
        unavailable = missing;
    }

    /** The strategies that described themselves, by name. */
    public List<Known> known() {
        return known;
    }

    /** The addresses that did not answer on the last ask, with why. */
    public Map<String, String> unavailable() {
        return unavailable;
    }
}
