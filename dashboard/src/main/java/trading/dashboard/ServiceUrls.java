package trading.dashboard;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.LinkedHashMap;
import java.util.Map;

/** Where each service answers (any instance will do: each merges or forwards for the others). */
@ApplicationScoped
public class ServiceUrls {

    public static final String PRICE_FEED = "price-feed";
    public static final String STRATEGY_ABC = "strategy-abc";
    public static final String STRATEGY_XYZ = "strategy-xyz";
    public static final String ORDER_EXECUTION = "order-execution";

    private final Map<String, String> urls = new LinkedHashMap<>();

    public ServiceUrls(@ConfigProperty(name = "dashboard.services.price-feed") String priceFeed,
                       @ConfigProperty(name = "dashboard.services.strategy-abc") String strategyAbc,
                       @ConfigProperty(name = "dashboard.services.strategy-xyz") String strategyXyz,
                       @ConfigProperty(name = "dashboard.services.order-execution") String orderExecution) {
        urls.put(PRICE_FEED, strip(priceFeed));
        urls.put(STRATEGY_ABC, strip(strategyAbc));
        urls.put(STRATEGY_XYZ, strip(strategyXyz));
        urls.put(ORDER_EXECUTION, strip(orderExecution));
    }

    public String of(String service) {
        String url = urls.get(service);
        if (url == null) {
            throw new IllegalArgumentException("no such service: " + service);
        }
        return url;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
