package trading.dashboard;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each service answers (any instance will do: each merges or forwards for the others):
 * price-feed and order-execution by name, and each strategy by its address alone
 * ({@code dashboard.strategies}); a strategy says what it is at {@code GET /strategy}
 * ({@link Strategies}), so the dashboard has no code for any one of them.
 */
@ApplicationScoped
public class ServiceUrls {

    public static final String PRICE_FEED = "price-feed";
    public static final String ORDER_EXECUTION = "order-execution";

    private final Map<String, String> urls = new LinkedHashMap<>();
    private final List<String> strategies;

    public ServiceUrls(@ConfigProperty(name = "dashboard.services.price-feed") String priceFeed,
                       @ConfigProperty(name = "dashboard.services.order-execution") String orderExecution,
                       @ConfigProperty(name = "dashboard.strategies") List<String> strategies) {
        urls.put(PRICE_FEED, strip(priceFeed));
        urls.put(ORDER_EXECUTION, strip(orderExecution));
        this.strategies = strategies.stream().map(String::trim).filter(url -> !url.isEmpty()).map(ServiceUrls::strip).toList();
    }

    public String of(String service) {
        String url = urls.get(service);
        if (url == null) {
            throw new IllegalArgumentException("no such service: " + service);
        }
        return url;
    }

    /** Every strategy's address, as configured. */
    public List<String> strategies() {
        return strategies;
    }

    static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
