package trading.launcher.backtest;

import trading.launcher.catalog.StrategyCatalog;
import trading.launcher.stack.StackException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The backtest's {@code --param STRATEGY.PARAMETER=V1,V2,...}: for each strategy named, every
 * combination of the values given (several {@code --param} for one strategy multiply), each run
 * beside the live values as a strategy of its own ({@code abc[fast=3]}).
 */
public final class ParameterSets {

    private static final Pattern PARAM = Pattern.compile("([a-z][a-z0-9-]*)\\.([A-Za-z][A-Za-z0-9_-]*)=([^,]+(?:,[^,]+)*)");

    private ParameterSets() {
    }

    /** Strategy name to the parameter sets to try; a malformed option or unknown strategy stops with one line. */
    public static Map<String, List<Map<String, String>>> parse(List<String> options, StrategyCatalog catalog) {
        Map<String, Map<String, List<String>>> values = new LinkedHashMap<>();
        for (String option : options) {
            Matcher m = PARAM.matcher(option);
            if (!m.matches()) {
                throw new StackException("--param takes STRATEGY.PARAMETER=V1,V2,... (e.g. abc.fast=3,5,8), was '" + option + "'");
            }
            catalog.get(m.group(1)); // a one-line reason naming the strategies there are
            List<String> list = List.of(m.group(3).split(","));
            values.computeIfAbsent(m.group(1), s -> new LinkedHashMap<>()).put(m.group(2), list.stream().map(String::trim).toList());
        }
        Map<String, List<Map<String, String>>> sets = new LinkedHashMap<>();
        values.forEach((strategy, byParameter) -> {
            List<Map<String, String>> combinations = new ArrayList<>(List.of(Map.of()));
            byParameter.forEach((parameter, choices) -> {
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> before : combinations) {
                    for (String choice : choices) {
                        Map<String, String> set = new LinkedHashMap<>(before);
                        set.put(parameter, choice);
                        next.add(set);
                    }
                }
                combinations.clear();
                combinations.addAll(next);
            });
            if (combinations.size() > 64) {
                throw new StackException("--param for " + strategy + " makes " + combinations.size()
                        + " parameter sets; at most 64 run in one backtest");
            }
            sets.put(strategy, combinations);
        });
        return sets;
    }

    /** A variant's name: {@code abc[fast=3,slow=30]}. */
    public static String name(String strategy, Map<String, String> changed) {
        return strategy + changed.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",", "[", "]"));
    }
}
