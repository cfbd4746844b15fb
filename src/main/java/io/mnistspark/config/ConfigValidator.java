package io.mnistspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;

import java.util.ArrayList;
import java.util.List;

/** Typed, range-checked reads of a resolved configuration; every failure names the key and its origin. */
final class ConfigValidator {
    private final Config config;

    ConfigValidator(Config config) {
        this.config = config;
    }

    static String where(ConfigValue value) {
        if (value == null || value.origin() == null) {
            return "";
        }
        String file = value.origin().filename();
        String description = file != null ? file : value.origin().description();
        int line = value.origin().lineNumber();
        if (description == null || description.isEmpty() || description.contains(ConfigLoader.SCHEMA_RESOURCE)) {
            return "";
        }
        return file != null && line > 0 ? file + ":" + line + ": " : description.replaceFirst(": \\d+$", "") + ": ";
    }

    InvalidConfigException invalid(String key, String problem) {
        ConfigValue value = config.getValue(key);
        return new InvalidConfigException(where(value) + key + " = "
                + value.render(com.typesafe.config.ConfigRenderOptions.concise()) + ": " + problem);
    }

    private <T> T read(String key, String expected, java.util.function.Function<String, T> getter) {
        try {
            return getter.apply(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw invalid(key, "expected " + expected);
        } catch (ConfigException.Null e) {
            throw new InvalidConfigException(key + " must not be null: expected " + expected);
        }
    }

    /** A whole number: HOCON's getInt would turn 1.5 into 1. */
    private long whole(String key, String expected) {
        Number number = read(key, expected, config::getNumber);
        double asDouble = number.doubleValue();
        if (!(number instanceof Integer || number instanceof Long) && asDouble != Math.rint(asDouble)) {
            throw invalid(key, "expected " + expected + " (not a fraction)");
        }
        return number.longValue();
    }

    int intAtLeast(String key, int min) {
        long whole = whole(key, "a whole number >= " + min);
        if (whole > Integer.MAX_VALUE) {
            throw invalid(key, "must be at most " + Integer.MAX_VALUE);
        }
        int value = (int) Math.max(whole, Integer.MIN_VALUE);
        if (value < min) {
            throw invalid(key, "must be >= " + min);
        }
        return value;
    }

    int intInRange(String key, int min, int max) {
        int value = read(key, "a whole number in [" + min + ", " + max + "]", config::getInt);
        if (value < min || value > max) {
            throw invalid(key, "must be a whole number in [" + min + ", " + max + "]");
        }
        return value;
    }

    /** A fraction in [0, 1) or a whole number >= 1. */
    double fractionOrCount(String key) {
        String expected = "a fraction in [0, 1) or a whole number >= 1";
        double value = read(key, expected, config::getDouble);
        if (!(value >= 0) || Double.isInfinite(value) || (value >= 1 && value != Math.rint(value))) {
            throw invalid(key, "must be " + expected);
        }
        return value;
    }

    long longValue(String key) {
        return whole(key, "a whole number");
    }

    double positiveDouble(String key) {
        double value = read(key, "a number > 0", config::getDouble);
        if (!(value > 0) || Double.isInfinite(value)) {
            throw invalid(key, "must be a finite number > 0");
        }
        return value;
    }

    /** A number > 0 that the network's 32-bit floats can hold (DL4J turns a larger one into infinity). */
    double positiveFloat(String key) {
        double value = positiveDouble(key);
        if (value > Float.MAX_VALUE) {
            throw invalid(key, "must be at most " + Float.MAX_VALUE + ", the largest 32-bit float the network computes with");
        }
        return value;
    }

    double nonNegativeDouble(String key) {
        double value = read(key, "a number >= 0", config::getDouble);
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw invalid(key, "must be a finite number >= 0");
        }
        return value;
    }

    double doubleInRange(String key, double minInclusive, double maxExclusive) {
        String expected = "a number in [" + minInclusive + ", " + maxExclusive + ")";
        double value = read(key, expected, config::getDouble);
        if (!(value >= minInclusive && value < maxExclusive)) {
            throw invalid(key, "must be " + expected);
        }
        return value;
    }

    double doubleInHalfOpenRange(String key, double minExclusive, double maxInclusive) {
        String expected = "a number in (" + minExclusive + ", " + maxInclusive + "]";
        double value = read(key, expected, config::getDouble);
        if (!(value > minExclusive && value <= maxInclusive)) {
            throw invalid(key, "must be " + expected);
        }
        return value;
    }

    boolean bool(String key) {
        return read(key, "true or false", config::getBoolean);
    }

    <E extends Enum<E>> E choice(String key, Class<E> type) {
        String text = read(key, "one of " + ConfigChoice.allowed(type), config::getString);
        E value = ConfigChoice.parse(type, text);
        if (value == null) {
            throw invalid(key, "expected one of " + ConfigChoice.allowed(type));
        }
        return value;
    }

    List<Integer> hiddenLayers(String key) {
        String expected = "a list of layer sizes such as [30] or [128, 128]";
        List<Number> numbers = read(key, expected, config::getNumberList);
        List<Integer> sizes = new ArrayList<>();
        for (Number size : numbers) {
            double value = size.doubleValue();
            if (value != Math.rint(value)) {
                throw invalid(key, "every layer size must be a whole number (not a fraction)");
            }
            if (value < 1) {
                throw invalid(key, "every layer size must be >= 1");
            }
            if (value > Integer.MAX_VALUE) {
                throw invalid(key, "every layer size must be at most " + Integer.MAX_VALUE);
            }
            sizes.add(size.intValue());
        }
        return sizes;
    }
}
