package io.mnistspark.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Maps enum constants to and from their configuration spelling: {@code LEAKY_RELU <-> leaky-relu}. */
public final class ConfigChoice {
    private ConfigChoice() {
    }

    public static String spelling(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static <E extends Enum<E>> String allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigChoice::spelling).collect(Collectors.joining(", "));
    }

    /** Returns the constant spelled {@code text}, or null when there is none. */
    public static <E extends Enum<E>> E parse(Class<E> type, String text) {
        for (E constant : type.getEnumConstants()) {
            if (spelling(constant).equals(text)) {
                return constant;
            }
        }
        return null;
    }
}
